"""Edits of several scenes at once: "make every scene dark", "use Georgia
everywhere", "all quotes in orange", "make the whole video 20 seconds".

A look (colours, font, a theme, an absolute speed) is one edit_scenes call;
what depends on each scene (a relative speed, a length per scene) is one call
per scene; the video's total length is set_video_length, which spreads it
over the scenes in proportion.
"""

from assistant.decision import BrainContext, Decision, ToolCall
from scenes.models import Scene
from scenes.render import TEMPLATE_LABELS, describe_duration
from scenes.tools import SCENE_LENGTHS, max_frames

from . import phrases as P
from . import vocabulary as V
from .decisions import options_to_props
from .parsers import colour_hex, duration_frames, font_key, parse_all, speed_value
from .patterns import DURATION, EDIT_OPTIONS, REF, TAIL, A, rx
from .references import plural_label, resolve, scene_numbers
from .replies import NO_SCENES, Unresolved, check_frames, edit_phrases, join_and

# "quotes", "title cards", "calls to action": each template's words, plural.
KIND_WORDS = {
    **{f"{w}s": key for key, words in V.TEMPLATE_WORDS.items() for w in words},
    **{plural_label(key): key for key in TEMPLATE_LABELS},
    **V.TEMPLATE_BY_WORD,
}
FIELD = A(V.FIELDS)
FIELDS = A([*V.FIELDS, *(f"{field}s" for field in V.FIELDS)])  # "all backgrounds"
LINK = r"(?:(?:to|into|as|be)\s+)?"
WHOLE_VIDEO = [w for w in P.EVERY if "video" in w or "thing" in w]
THEME = rf"(?P<theme>{A(P.THEMES)})(?:\s+(?:theme|mode|look|style|colou?rs))?"
VERB = r"(?:make|turn|set|change|paint|colou?r|give|use|put|switch|apply)"
WHO = (
    rf"(?:(?P<every>{A(P.EVERY)})"
    rf"|(?:{A(P.EVERY_KIND)})\s+(?:(?:of\s+)?the\s+)?(?P<kind>{A(KIND_WORDS)}))"
)
PATTERNS = [
    # "make every scene dark", "all quotes in orange", "set every scene to serif"
    rx(rf"^(?:{VERB}\s+)?{WHO}\s+(?:to\s+|into\s+|be\s+)?(?P<value>.+?){TAIL}"),
    # "use Georgia everywhere", "make it dark for every scene"
    rx(
        rf"^{VERB}\s+(?:(?:it|them)\s+)?(?P<value>.+?)\s+(?:(?:for|on|in|to|across)\s+)?{WHO}{TAIL}"
    ),
    # "use a dark theme", "switch to dark mode", "turn on dark mode", "dark mode"
    rx(rf"^(?:(?:{VERB}|go|enable|activate)\s+(?:to\s+|on\s+)?)?(?:(?:a|the)\s+)?{THEME}{TAIL}"),
    # "change the background of all scenes to black", "set the accent to gold everywhere"
    # ... "change the font everywhere to mono"
    rx(
        rf"^{VERB}\s+(?:the\s+)?(?P<field>{FIELD})\s+(?:(?:of|in|on|for|across)\s+)?{WHO}\s+{LINK}"
        rf"(?P<value>.+?){TAIL}"
    ),
    rx(
        rf"^{VERB}\s+(?:the\s+)?(?P<field>{FIELD})\s+{LINK}(?P<value>.+?)\s+(?:(?:for|on|in|across)\s+)?{WHO}{TAIL}"
    ),
    # "make all the text white", "set every background to navy"
    rx(
        rf"^{VERB}\s+(?P<every>all|every)\s+(?:the\s+|of\s+the\s+)?(?P<field>{FIELDS})\s+{LINK}(?P<value>.+?){TAIL}"
    ),
    # "set the video length to 20 seconds"
    rx(
        rf"^(?:set|change|make)\s+(?:the\s+)?(?:video|total|video's)\s+(?:length|duration|"
        rf"running\s+time)\s+(?:to\s+)?(?P<value>{DURATION}){TAIL}"
    ),
]


def targets(match, context: BrainContext) -> tuple[list[Scene], str]:
    """The scenes the words name, and how the reply calls them."""
    if not context.scenes:
        raise Unresolved(NO_SCENES)
    kind = match.groupdict().get("kind")
    if not kind:
        return context.scenes, f"all {len(context.scenes)} scenes"
    template = V.lookup(KIND_WORDS, kind)
    found = [s for s in context.scenes if (s.props or {}).get("template", "title") == template]
    if not found:
        raise Unresolved(f"There is no {TEMPLATE_LABELS[template]} in this project.")
    if len(found) == 1:
        return found, f"the {TEMPLATE_LABELS[template]} (scene {found[0].order})"
    return found, f"the {len(found)} {plural_label(template)} (scenes {scene_numbers(found)})"


def whole_length(value: str, context: BrainContext) -> Decision:
    fps = context.project.fps
    frames = round(duration_frames(value, fps) or 0)
    before = sum(s.duration_frames for s in context.scenes)
    count, most = len(context.scenes), max_frames(fps)
    if not count <= frames <= count * most:
        raise Unresolved(
            f"{SCENE_LENGTHS}, so a video of {count} scenes lasts from "
            f"{count} frames to {describe_duration(count * most, fps)}."
        )
    if frames == before:
        return Decision(reply=f"The video already lasts {describe_duration(frames, fps)}.")
    return Decision(
        reply=f"The video now lasts {describe_duration(frames, fps)} (it was "
        f"{describe_duration(before, fps)}); each scene keeps its share of the time.",
        tool="set_video_length",
        args={"duration_frames": frames},
    )


VIDEO_LONGER = rx(
    rf"^(?:make|have)\s+{A(WHOLE_VIDEO)}\s+(?:a\s+(?:bit|little)\s+|much\s+|a\s+lot\s+)?"
    rf"(?P<dir>{A(V.LONGER_SHORTER)}){TAIL}"
)


def everywhere(text: str, context: BrainContext) -> Decision | None:
    if VIDEO_LONGER.match(text):
        if not context.scenes:
            raise Unresolved(NO_SCENES)
        now = describe_duration(sum(s.duration_frames for s in context.scenes), context.project.fps)
        return Decision(
            reply=f"How long should it be? It is {now} now; say for example \u201cmake the whole "
            "video 20 seconds\u201d and each scene keeps its share of the time."
        )
    for pattern in PATTERNS:
        if match := pattern.match(text):
            decision = decide(match, context)
            if decision is not None:
                return decision
    return None


def decide(match, context: BrainContext) -> Decision | None:
    groups = match.groupdict()
    value = groups.get("value") or ""
    if not groups.get("every") and not groups.get("kind"):  # a theme alone, or the video length
        if groups.get("theme") is None and not value:
            return None
        if not context.scenes:
            raise Unresolved(NO_SCENES)
    if theme := groups.get("theme") or (parse_theme(value)):
        scenes, who = targets(match, context) if groups.get("kind") else (context.scenes, "")
        who = who or f"all {len(scenes)} scenes"
        props = P.THEMES[" ".join(theme.lower().split())]
        label = P.THEME_LABELS.get(theme.lower().split()[0], f"a {theme.lower()} theme")
        return edit_calls(
            scenes, props, f"{capital(who)} now {plural('has', scenes)} {label}.", context
        )
    found = field_options(groups["field"], value) if groups.get("field") else None
    found = found or parse_all(value, EDIT_OPTIONS)
    if found is None:
        return None
    if [p for p, _ in found] == ["duration"] and (
        not groups.get("kind") and (groups.get("every") or "").lower() in WHOLE_VIDEO + [""]
    ):
        return whole_length(found[0][1], context)
    scenes, who = targets(match, context)
    per_scene = [options_to_props(found, context, scene) for scene in scenes]
    props, labels, frames = per_scene[0]
    if frames is not None:
        if props:
            return None
        frames = check_frames(frames, context)
        calls = [
            ToolCall("trim_scene", {"scene_id": s.id, "duration_frames": frames}) for s in scenes
        ]
        each = " each" if len(scenes) > 1 else ""
        return Decision(
            reply=f"{capital(who)} now {plural('lasts', scenes)} "
            f"{describe_duration(frames, context.project.fps)}{each}.",
            calls=tuple(calls),
        )
    things = join_and(
        [f"{plural(verb, scenes)} {thing}" for verb, thing in edit_phrases(props, labels)]
    )
    reply = f"{capital(who)} now {things}."
    if all(p == props for p, _, _ in per_scene):
        return edit_calls(scenes, props, reply, context)
    calls = [
        ToolCall("edit_scene", {"scene_id": s.id, "props": p})
        for s, (p, _, _) in zip(scenes, per_scene, strict=True)
    ]
    return Decision(reply=reply, calls=tuple(calls))


def field_options(field: str, value: str) -> list[tuple[str, str]] | None:
    """ "background", "navy" -> [("background", "navy")]: a value said for a named field."""
    prop = V.lookup(V.FIELDS, field) or V.lookup(V.FIELDS, field.rstrip("sS"))
    if prop in ("title", "subtitle") and colour_hex(value):
        return [("color", value)]
    if prop in ("background", "color", "accent") and colour_hex(value):
        return [(prop, value)]
    if prop == "font" and font_key(value):
        return [("font", value)]
    if prop == "speed" and speed_value(value, 1.0, loose=True) is not None:
        return [("speed", value)]
    if prop == "duration" and duration_frames(value, 30) is not None:
        return [("duration", value)]
    return None


THEME_ONE = rx(rf"^{VERB}\s+{REF}\s+(?:(?:a|the)\s+)?{THEME}{TAIL}")


def theme_one(text: str, context: BrainContext) -> Decision | None:
    """ "make it dark", "give the quote a light theme": a theme for one scene."""
    if not (match := THEME_ONE.match(text)):
        return None
    scene = resolve(match, context)
    theme = " ".join(match["theme"].lower().split())
    label = P.THEME_LABELS.get(theme.split()[0], f"a {theme} theme")
    return Decision(
        reply=f"Scene {scene.order} now has {label}.",
        tool="edit_scene",
        args={"scene_id": scene.id, "props": dict(P.THEMES[theme])},
    )


def parse_theme(value: str) -> str | None:
    match = rx(rf"^(?:(?:a|the)\s+)?{THEME}$").match(value.strip())
    return match["theme"] if match else None


def edit_calls(scenes: list[Scene], props: dict, reply: str, context: BrainContext) -> Decision:
    ids = None if len(scenes) == len(context.scenes) else [s.id for s in scenes]
    return Decision(reply=reply, tool="edit_scenes", args={"props": props, "scene_ids": ids})


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def plural(verb: str, scenes: list) -> str:
    """ "has" -> "have", "uses" -> "use": the edit phrases' verbs, for several scenes."""
    if len(scenes) == 1:
        return verb
    first, _, rest = verb.partition(" ")
    first = {"has": "have", "is": "are"}.get(first, first[:-1] if first.endswith("s") else first)
    return f"{first} {rest}".strip()
