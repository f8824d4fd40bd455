"""The offline brain's rules, tried in order (RULES); the first that understands answers."""

import math
import re
from dataclasses import replace

from assistant.decision import BrainContext, Decision, ToolCall
from assistant.undo import decide_redo, decide_undo
from scenes.models import Scene
from scenes.render import describe_duration

from . import vocabulary as V
from .arrange import add_items, countdown, duplicate, intro, move, placed, remove_items, swap
from .decisions import (
    add,
    content_props,
    edit_decision,
    field_decision,
    options_decision,
    trim_decision,
)
from .everywhere import everywhere, theme_one
from .parsers import (
    bare,
    clean_text,
    duration_frames,
    parse_all,
    spoken_number,
    squash,
    times_value,
)
from .patterns import (
    DURATION,
    EDIT_OPTIONS,
    FIELD,
    LINK,
    LOOK_OPTIONS,
    POSSESSIVE,
    REF,
    TAIL,
    TIMES,
    WHOLE_NUMBER_WORDS,
    A,
    rx,
)
from .references import resolve, scene_of
from .replies import Unresolved, join_and, quoted
from .talk import cannot, dislike, feature, greeting, question, topic, vague, what_to_change
from .texts import clear, give, replace_text

# --- Undo -------------------------------------------------------------------------


def undo(text: str, context: BrainContext) -> Decision | None:
    """ "undo that", "revert", "redo"...: what undo does is scenes.history's to say."""
    said = squash(text).lower().rstrip(".!?")
    if said not in V.UNDO_PHRASES and said not in V.REDO_PHRASES:
        return None
    if said in V.REDO_PHRASES:
        return decide_redo(context.project)
    return decide_undo(context.project)


# --- Rules --------------------------------------------------------------------------

EDIT_VERB = A(V.EDIT_VERBS)
DURATION_GROUP = rf"(?P<d>{DURATION})"
TRIM_LINK = r"(?:(?:to\s+be|to\s+last|to\s+run\s+for|to\s+run|to|be|last|run\s+for|run)\s+)?"

TRIM_TO = rx(
    rf"^{A(V.TRIM_VERBS)}\s+{REF}{POSSESSIVE}(?:\s+(?:duration|length))?\s+{TRIM_LINK}"
    rf"(?:for\s+)?(?:exactly\s+)?{DURATION_GROUP}(?:\s+(?:long|in\s+length))?{TAIL}"
)
LONGER = A(V.LONGER_SHORTER)
TRIM_BY = [
    # "make it 2 seconds longer"
    rx(rf"^(?:make|have)\s+{REF}\s+(?:last\s+)?{DURATION_GROUP}\s+(?P<dir>{LONGER}){TAIL}"),
    # "make scene 2 shorter by 1 second"
    rx(rf"^(?:make|have)\s+{REF}\s+(?P<dir>{LONGER})\s+by\s+{DURATION_GROUP}{TAIL}"),
    # "extend scene 1 by 2 seconds"
    rx(rf"^(?P<verb>{A(V.TRIM_BY_VERBS)})\s+{REF}\s+by\s+{DURATION_GROUP}{TAIL}"),
    # "add 2 seconds to scene 1", "take a second off the last scene"
    rx(
        rf"^(?P<verb>{A(V.TRIM_ADD_VERBS)})\s+(?:another\s+|an\s+extra\s+)?{DURATION_GROUP}"
        rf"\s+(?:more\s+|extra\s+)?(?:to|onto|from|off(?:\s+of)?)\s+{REF}{TAIL}"
    ),
    # "give scene 2 two more seconds", "give it an extra second"
    rx(
        rf"^(?P<verb>give)\s+{REF}\s+(?:another\s+|an\s+extra\s+)?{DURATION_GROUP}"
        rf"(?:\s+(?:more|extra|longer))?{TAIL}"
    ),
]
TRIM_TIMES = rx(
    rf"^(?:make|have)\s+{REF}\s+(?:last\s+|run\s+)?(?P<times>{TIMES})\s+as\s+(?P<dir>long|short)"
    rf"{TAIL}"
)
TRIM_VAGUE = [
    rx(
        rf"^(?:make|have)\s+{REF}\s+(?:last\s+|run\s+)?(?:(?P<degree>a\s+(?:bit|little)|much|a\s+lot)\s+)?"
        rf"(?P<dir>{LONGER}){TAIL}"
    ),
    rx(rf"^(?P<verb>shorten|lengthen|extend)\s+{REF}{TAIL}"),
]
DELETE_ALL = rx(rf"^{A(V.DELETE_VERBS)}\s+{A(V.DELETE_ALL)}{TAIL}")
DELETE = rx(rf"^{A(V.DELETE_VERBS)}\s+{REF}{TAIL}")
# "delete the last two scenes", "remove the first 3 slides"
DELETE_ENDS = rx(
    rf"^{A(V.DELETE_VERBS)}\s+(?:the\s+)?(?P<end>first|last|final)\s+(?P<n>\d+|{A(WHOLE_NUMBER_WORDS)})"
    rf"\s+(?:scenes|slides|ones){TAIL}"
)
SPEED_VERB = rx(
    rf"^(?P<verb>{A(V.SPEED_VERBS)})(?:\s+{REF})?(?:\s+(?P<degree>{A(V.SPEED_DEGREES)}))?{TAIL}"
)
RENAME = rx(rf"^{A(V.RENAME_VERBS)}\s+{REF}(?:\s+(?:(?:to|as)(?:\s+|$))?(?P<value>.*))?$")
LINK_HEAD = rf"(?:\s+(?P<link>{LINK}))?"
LINK_START = rx(rf"(?:{LINK}|of)\s")
FIELD_OF_REF = rx(
    rf"^{EDIT_VERB}\s+(?:the\s+)?(?P<field>{FIELD})\s+(?:of|in|on|for)\s+{REF}{LINK_HEAD}"
)
REFS_FIELD = rx(rf"^{EDIT_VERB}\s+{REF}{POSSESSIVE}\s+(?P<field>{FIELD}){LINK_HEAD}")
FIELD_ONLY = rx(rf"^{EDIT_VERB}\s+(?:the\s+|its\s+)?(?P<field>{FIELD}){LINK_HEAD}")
REF_HEAD = rx(rf"^{EDIT_VERB}\s+{REF}{LINK_HEAD}")
VALUE_TO_REF = rx(rf"^(?:give|add|put|apply)\s+(?P<value>.+?)\s+(?:to|on|for)\s+{REF}{TAIL}")
USE = rx(rf"^use\s+(?P<value>.+?)(?:\s+(?:for|in|on)\s+{REF})?{TAIL}")


def trim_to(text: str, context: BrainContext) -> Decision | None:
    if not (match := TRIM_TO.match(text)):
        return None
    scene = resolve(match, context)
    return trim_decision(scene, duration_frames(match["d"], context.project.fps), context)


def trim_by(text: str, context: BrainContext) -> Decision | None:
    match = next((m for pattern in TRIM_BY if (m := pattern.match(text))), None)
    if not match:
        return None
    scene = resolve(match, context)
    sign = V.lookup(V.LONGER_SHORTER, match["dir"]) if "dir" in match.groupdict() else None
    if sign is None:
        verb = match["verb"].lower()
        sign = V.TRIM_BY_VERBS.get(verb) if " by " in text.lower() else V.TRIM_ADD_VERBS[verb]
    change = duration_frames(match["d"], context.project.fps)
    return trim_decision(scene, scene.duration_frames + sign * change, context)


def trim_times(text: str, context: BrainContext) -> Decision | None:
    if not (match := TRIM_TIMES.match(text)):
        return None
    scene = resolve(match, context)
    factor = times_value(match["times"])
    if match["dir"].lower() == "long":
        frames = scene.duration_frames * factor
    else:  # "0 times as short" cannot be: treated as endless, so out of bounds
        frames = scene.duration_frames / factor if factor else math.inf
    return trim_decision(scene, frames, context)


def trim_vague(text: str, context: BrainContext) -> Decision | None:
    match = next((m for pattern in TRIM_VAGUE if (m := pattern.match(text))), None)
    if not match:
        return None
    scene = resolve(match, context)
    groups = match.groupdict()
    if groups.get("dir"):
        sign = V.lookup(V.LONGER_SHORTER, match["dir"])
    else:
        sign = V.TRIM_BY_VERBS[match["verb"].lower()]
    seconds = V.VAGUE_TRIM_SECONDS[squash(groups.get("degree") or "").lower()]
    fps = context.project.fps
    frames = scene.duration_frames + sign * round(seconds * fps)
    try:
        decision = trim_decision(scene, frames, context)
    except Unresolved as refused:  # already as short (or long) as a scene can be
        raise Unresolved(
            f"{refused.reply} Scene {scene.order} lasts "
            f"{describe_duration(scene.duration_frames, fps)}."
        ) from None
    change = describe_duration(round(seconds * fps), fps)
    return replace(
        decision,
        reply=(
            f"{decision.reply[:-1]}, {change} {'longer' if sign > 0 else 'shorter'}. "
            f'For an exact length, say for example "make scene {scene.order} 3 seconds".'
        ),
    )


def delete_all(text: str, context: BrainContext) -> Decision | None:
    if not DELETE_ALL.match(text):
        return None
    return Decision(reply='I delete one scene at a time; say which, for example "delete scene 2".')


def delete_ends(text: str, context: BrainContext) -> Decision | None:
    if not (match := DELETE_ENDS.match(text)):
        return None
    count, scenes = int(spoken_number(match["n"])), context.scenes
    if not 1 <= count <= len(scenes):
        raise Unresolved(f"There are {len(scenes)} scenes; say which to delete.")
    gone = scenes[:count] if match["end"].lower() == "first" else scenes[-count:]
    return Decision(
        reply="Deleted " + join_and([f"scene {s.order}, {quoted(s.name)}" for s in gone]) + ".",
        calls=tuple(ToolCall("delete_scene", {"scene_id": s.id}) for s in gone),
    )


def delete(text: str, context: BrainContext) -> Decision | None:
    if not (match := DELETE.match(text)):
        return None
    scene = resolve(match, context)
    return Decision(
        reply=f"Deleted scene {scene.order}, {quoted(scene.name)}.",
        tool="delete_scene",
        args={"scene_id": scene.id},
    )


def speed_verb(text: str, context: BrainContext) -> Decision | None:
    if not (match := SPEED_VERB.match(text)):
        return None
    scene = scene_of(match, context)
    change = V.SPEED_VERBS[squash(match["verb"]).lower()]
    if match["degree"]:
        change = f"{squash(match['degree']).lower()} {change}"
    return options_decision([("speed_change", change)], scene, context)


def rename(text: str, context: BrainContext) -> Decision | None:
    if not (match := RENAME.match(text)):
        return None
    scene = resolve(match, context)
    if not bare(match["value"] or ""):
        return Decision(
            reply=f"What should the new text of scene {scene.order} be? Say for example "
            f'"rename scene {scene.order} to Welcome".'
        )
    return edit_decision(scene, {"title": clean_text(match["value"])}, {})


def split_matches(head: re.Pattern, text: str):
    """Each way to read the text as head + value, the longest value first.

    Trying every split (instead of one regex with a trailing value group) lets
    "the scene called Launch Day red" find where the name ends.
    """
    for gap in re.finditer(r"\s+", text):
        match = head.fullmatch(text, 0, gap.start())
        value = text[gap.end() :]
        if match and not (match.groupdict().get("link") is None and LINK_START.match(value)):
            yield match, value


def first_decision(attempts) -> Decision | None:
    """The first attempt that decides; a soft problem is raised only if none does."""
    soft = None
    for attempt in attempts:
        try:
            decision = attempt()
        except Unresolved as problem:
            if not problem.soft:
                raise
            soft = problem  # the last: it read the most of the text as the head
            continue
        if decision is not None:
            return decision
    if soft:
        raise soft
    return None


def field_of_ref(text: str, context: BrainContext) -> Decision | None:
    def attempt(match: re.Match, value: str):
        return lambda: field_decision(
            match["field"], match["link"], value, scene_of(match, context), context
        )

    return first_decision(
        attempt(match, value)
        for pattern in (FIELD_OF_REF, REFS_FIELD, FIELD_ONLY)
        for match, value in split_matches(pattern, text)
    )


# "make scene 2 say Welcome for 4 seconds": a length after the words is not part of them.
SAID_LENGTH = rx(
    rf"(?:\s*,\s*(?:for\s+|lasting\s+)?|\s+(?:for|lasting)\s+){DURATION_GROUP}(?:\s+long)?[.!]*$"
)


def say_decision(scene: Scene, value: str, context: BrainContext) -> Decision:
    """New words for the scene, and a new length when one follows them."""
    length = SAID_LENGTH.search(value)
    if not length or not bare(value[: length.start()]):
        return edit_decision(scene, content_props("title", value), {})
    words = edit_decision(scene, content_props("title", value[: length.start()]), {})
    frames = trim_decision(scene, duration_frames(length["d"], context.project.fps), context)
    return Decision(
        reply=f"{words.reply} {frames.reply}", calls=(*words.tool_calls, *frames.tool_calls)
    )


def ref_value(text: str, context: BrainContext) -> Decision | None:
    def attempt(match: re.Match, value: str):
        if match["link"] and squash(match["link"]).lower() in V.SAY_LINKS:
            return lambda: say_decision(resolve(match, context), value, context)
        found = parse_all(value, EDIT_OPTIONS)
        named_kind = match["kind"] and V.lookup(V.FIELDS, match["kind"]) is None
        if found is None and named_kind and squash(match["link"] or "").lower() == "to":
            # "change the quote to Stay curious": a scene named by its kind gets new words
            return lambda: edit_decision(resolve(match, context), content_props("title", value), {})
        if found is None:
            return lambda: None
        return lambda: options_decision(found, resolve(match, context), context)

    return first_decision(attempt(match, value) for match, value in split_matches(REF_HEAD, text))


def value_to_ref(text: str, context: BrainContext) -> Decision | None:
    for pattern in (VALUE_TO_REF, USE):
        if (match := pattern.match(text)) and (found := parse_all(match["value"], LOOK_OPTIONS)):
            return options_decision(found, scene_of(match, context), context)
    return None


RULES = [
    undo,
    greeting,
    question,
    everywhere,
    theme_one,
    intro,
    placed,
    countdown,
    delete_all,
    delete_ends,
    trim_to,
    trim_by,
    trim_times,
    trim_vague,
    clear,
    give,
    add_items,
    remove_items,
    move,
    swap,
    duplicate,
    delete,
    speed_verb,
    rename,
    field_of_ref,
    ref_value,
    value_to_ref,
    replace_text,
    add,
    topic,
    vague,
    feature,
    cannot,
    what_to_change,
    dislike,
]
