"""Edits of a scene's words by what they say: "change Launch Day to Launch
Week", "remove the subtitle from scene 1", "give scene 1 the subtitle Soon"."""

import re

from assistant.decision import BrainContext, Decision

from . import vocabulary as V
from .decisions import content_props, edit_decision
from .parsers import bare, clean_text
from .patterns import FIELD, REF, TAIL, rx
from .references import REF_GROUPS, scene_of
from .replies import Unresolved, quoted

TEXT_PROPS = ("title", "subtitle", "items")
EMPTY = {"title": "", "subtitle": "", "items": []}

CLEAR = rx(
    rf"^(?:remove|delete|clear|drop|erase|get\s+rid\s+of|take\s+out)\s+(?:the\s+)?(?P<field>{FIELD})"
    rf"(?:\s+(?:from|of|on|in)\s+{REF})?{TAIL}"
)
GIVE = [
    # "add a subtitle to scene 1 saying Coming soon"
    rx(
        rf"^(?:add|put|give|set)\s+(?:a\s+|an\s+|the\s+)?(?P<field>{FIELD})\s+(?:to|on|for)\s+{REF}"
        rf"\s*(?:saying|that\s+says|reading|which\s+says|:|of)\s*(?P<value>.+)$"
    ),
    # "give scene 1 the subtitle Coming soon"
    rx(rf"^give\s+{REF}\s+(?:a|an|the)\s+(?P<field>{FIELD})\s+(?:of\s+|:\s*)?(?P<value>.+)$"),
]
REPLACE = rx(
    rf"^(?:change|replace|swap|turn|switch)\s+(?P<old>.+?)\s+(?:to|with|for|into|by)\s+"
    rf"(?P<new>.+?){TAIL}"
)


def clear(text: str, context: BrainContext) -> Decision | None:
    if not (match := CLEAR.match(text)):
        return None
    prop = V.lookup(V.FIELDS, match["field"])
    if prop not in TEXT_PROPS:
        return None
    word = " ".join(match["field"].lower().split())
    named = any(match.groupdict().get(g) for g in REF_GROUPS)
    kind = V.TEMPLATE_BY_WORD.get(word)
    if not named and kind and any(s.props.get("template") == kind for s in context.scenes):
        return None  # "delete the list": the bullet list scene, not a list's items
    scene = scene_of(match, context)
    return Decision(
        reply=f"Scene {scene.order} no longer has {'any' if prop == 'items' else 'a'} {word}.",
        tool="edit_scene",
        args={"scene_id": scene.id, "props": {prop: EMPTY[prop]}},
    )


def give(text: str, context: BrainContext) -> Decision | None:
    for pattern in GIVE:
        if not (match := pattern.match(text)):
            continue
        prop = V.lookup(V.FIELDS, match["field"])
        if prop not in ("title", "subtitle") or not bare(match["value"]):
            continue
        props = content_props("title", match["value"]) if prop == "title" else {}
        return edit_decision(
            scene_of(match, context), props or {prop: clean_text(match["value"])}, {}
        )
    return None


def replace_text(text: str, context: BrainContext) -> Decision | None:
    """The one scene whose words contain the old text, with it replaced."""
    if not (match := REPLACE.match(text)):
        return None
    old = clean_text(match["old"]).casefold()
    found = []
    for scene in context.scenes:
        props = scene.props or {}
        for prop in ("title", "subtitle"):
            if old and old in str(props.get(prop, "")).casefold():
                found.append((scene, prop))
        items = [str(i) for i in props.get("items", [])]
        if any(old == item.casefold() for item in items):
            found.append((scene, "items"))
    if not found:
        return None
    if len(found) > 1:
        scenes = sorted({scene.order for scene, _ in found})
        raise Unresolved(
            f"{quoted(clean_text(match['old']))} is in more than one place (scenes "
            f"{', '.join(map(str, scenes))}); say which, for example "
            f'"change the text of scene {scenes[0]} to {clean_text(match["new"])}".'
        )
    scene, prop = found[0]
    new = clean_text(match["new"])
    current = (scene.props or {}).get(prop)
    if prop == "items":
        value = [new if item.casefold() == old else item for item in current]
    else:
        value = re.sub(re.escape(match["old"].strip(" \"'")), new, current, count=1, flags=re.I)
    return edit_decision(scene, {prop: value}, {})
