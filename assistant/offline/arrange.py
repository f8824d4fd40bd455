"""Arranging scenes: move, swap, duplicate; intro, outro and countdown; list items.

A new scene always lands at the end (add_scene), and a tool call cannot name
a scene an earlier call of the same message made. So "put it first" for a new
scene moves each scene that should come after it to the end, in order: the
same result, in calls that exist, undone together.
"""

import re

from assistant.decision import BrainContext, Decision, ToolCall
from scenes.models import Scene
from scenes.render import describe_duration

from . import phrases as P
from . import vocabulary as V
from .decisions import add
from .parsers import clean_text, duration_frames, parse_all, split_items, spoken_number
from .patterns import LOOK_OPTIONS, ORDINAL, REF, TAIL, A, rx
from .references import by_number, by_template, resolve
from .replies import Unresolved, describe_items, join_and, quoted

REF_ONLY = rx(rf"^{REF}$")


def scene_at(words: str, context: BrainContext) -> Scene | None:
    """The scene the words name, or None when they are not a scene reference."""
    match = REF_ONLY.match(words.strip())
    return resolve(match, context) if match else None


def two_scenes(match: re.Match, context: BrainContext) -> tuple[Scene, Scene] | None:
    first, second = scene_at(match["a"], context), scene_at(match["b"], context)
    return (first, second) if first and second else None


def named(scene: Scene) -> str:
    title = (scene.props or {}).get("title") or ", ".join((scene.props or {}).get("items", []))
    return f"scene {scene.order}" + (f" ({quoted(title)})" if title else "")


def with_calls(reply: str, calls: list[ToolCall]) -> Decision:
    return Decision(reply=reply, calls=tuple(calls))


# --- Move, swap, duplicate -----------------------------------------------------------

MOVE = A(P.MOVE_VERBS)
MOVE_NEXT_TO = rx(
    rf"^{MOVE}\s+(?P<a>.+?)\s+(?P<how>before|after|in\s+front\s+of|ahead\s+of|behind)"
    rf"\s+(?P<b>.+?){TAIL}"
)
PLACE = rf"(?P<pos>\d+|{ORDINAL}|{A(P.TO_START)}|{A(P.TO_END)})"
MOVE_TO = [
    rx(
        rf"^{MOVE}\s+(?P<a>.+?)\s+(?:to|at|in)\s+(?:be\s+)?(?:the\s+)?"
        rf"(?:position|place|spot|slot|number)?\s*{PLACE}(?:\s+(?:place|position|scene|slot))?{TAIL}"
    ),
    rx(
        rf"^make\s+(?P<a>.+?)\s+(?:the\s+)?(?P<pos>{ORDINAL}|last)(?:\s+(?:scene|one|slide))?{TAIL}"
    ),
    rx(rf"^{MOVE}\s+(?P<a>.+?)\s+(?P<pos>first|last)(?:\s+(?:place|position))?{TAIL}"),
]
MOVE_STEP = rx(
    rf"^{MOVE}\s+(?P<a>.+?)\s+(?P<dir>up|down|earlier|later|back|forward)(?:\s+one)?{TAIL}"
)
# "swap the last two scenes", "switch the first 2 slides around"
SWAP_PAIR = rx(
    rf"^{A(P.SWAP_VERBS)}\s+(?:the\s+)?(?P<end>first|last|final|opening)\s+(?:two|2|pair\s+of)"
    rf"(?:\s+(?:scenes|slides|ones))?(?:\s+(?:around|over|round))?{TAIL}"
)
SWAP = [
    rx(
        rf"^{A(P.SWAP_VERBS)}\s+(?:the\s+)?(?P<a>{ORDINAL}|last)\s+(?:and|with|&)\s+(?:the\s+)?"
        rf"(?P<b>{ORDINAL}|last)\s+(?:scenes|slides|ones){TAIL}"
    ),
    rx(rf"^{A(P.SWAP_VERBS)}\s+(?:scenes|slides)\s+(?P<a>\d+)\s+(?:and|with|&)\s+(?P<b>\d+){TAIL}"),
    rx(rf"^{A(P.SWAP_VERBS)}\s+(?P<a>.+?)\s+(?:and|with|&)\s+(?P<b>.+?){TAIL}"),
]
DUPLICATE = rx(
    rf"^(?:{A(P.DUPLICATE_VERBS)}|(?:make|create|add)\s+(?:a\s+|another\s+)?(?:copy|duplicate)"
    rf"\s+of)\s+(?P<a>.+?)(?:\s+(?:again|(?P<times>twice|three\s+times|3\s+times)))?{TAIL}"
)


def position_of(words: str, count: int) -> int:
    words = " ".join(words.lower().split())
    if words in P.TO_START:
        return 1
    if words in P.TO_END:
        return count
    if words.isdigit():
        return int(words)
    digits = re.match(r"\d+", words)
    return int(digits[0]) if digits else V.lookup(V.ORDINALS, words)


def move_call(scene: Scene, position: int, context: BrainContext) -> Decision:
    count = len(context.scenes)
    if not 1 <= position <= count:
        raise Unresolved(f"There is no position {position}; the video has {count} scenes.")
    if position == scene.order:
        return Decision(reply=f"Scene {scene.order} is already at position {position}.")
    return Decision(
        reply=f"Moved {named(scene)} to position {position}.",
        tool="move_scene",
        args={"scene_id": scene.id, "position": position},
    )


MOVE_BETWEEN = rx(rf"^{MOVE}\s+(?P<a>.+?)\s+between\s+(?P<b>.+?)\s+and\s+(?P<c>.+?){TAIL}")


def move_between(match: re.Match, context: BrainContext) -> Decision | None:
    """ "put scene 3 between scene 1 and scene 2": after the first of two neighbours."""
    scene, left, right = (scene_at(match[k], context) for k in "abc")
    if not (scene and left and right):
        return None
    left, right = sorted((left, right), key=lambda s: s.order)
    if scene.id in (left.id, right.id) or right.order - left.order != 1:
        raise Unresolved(
            "I move a scene between two other scenes that are next to each other; say for "
            f'example "move scene {scene.order} after scene {left.order}".'
        )
    return Decision(
        reply=f"Moved {named(scene)} between scene {left.order} and scene {right.order}.",
        tool="move_scene",
        args={"scene_id": scene.id, "after_scene_id": left.id},
    )


def move(text: str, context: BrainContext) -> Decision | None:
    if (match := MOVE_BETWEEN.match(text)) and (between := move_between(match, context)):
        return between
    if (match := MOVE_NEXT_TO.match(text)) and (pair := two_scenes(match, context)):
        scene, other = pair
        if scene.id == other.id:
            raise Unresolved(f"Scene {scene.order} cannot move next to itself.")
        after = match["how"].lower() in ("after", "behind")
        key = "after_scene_id" if after else "before_scene_id"
        where = "after" if after else "before"
        return Decision(
            reply=f"Moved {named(scene)} {where} {named(other)}.",
            tool="move_scene",
            args={"scene_id": scene.id, key: other.id},
        )
    for pattern in MOVE_TO:
        if (match := pattern.match(text)) and (scene := scene_at(match["a"], context)):
            return move_call(scene, position_of(match["pos"], len(context.scenes)), context)
    if (match := MOVE_STEP.match(text)) and (scene := scene_at(match["a"], context)):
        step = -1 if match["dir"].lower() in ("up", "earlier", "forward") else 1
        return move_call(scene, scene.order + step, context)
    return None


def swap_call(first: Scene, second: Scene) -> Decision:
    return Decision(
        reply=f"Swapped {named(first)} and {named(second)}.",
        tool="move_scene",
        args={"scene_id": first.id, "swap_with_scene_id": second.id},
    )


def swap(text: str, context: BrainContext) -> Decision | None:
    if match := SWAP_PAIR.match(text):
        if len(context.scenes) < 2:
            raise Unresolved("There are fewer than two scenes to swap.")
        ends = context.scenes[:2] if match["end"].lower() in ("first", "opening") else None
        first, second = ends or context.scenes[-2:]
        return swap_call(first, second)
    for pattern in SWAP:
        if not (match := pattern.match(text)):
            continue
        if re.match(rf"{ORDINAL}|last", match["a"]) and "scene" not in match["a"]:
            match = {k: f"the {v} scene" for k, v in match.groupdict().items()}
            pair = two_scenes(match, context)
        elif match["a"].isdigit():
            pair = by_number(int(match["a"]), context), by_number(int(match["b"]), context)
        elif not (pair := two_scenes(match, context)):
            continue
        if not pair:
            continue
        return swap_call(*pair)
    return None


def duplicate(text: str, context: BrainContext) -> Decision | None:
    if not (match := DUPLICATE.match(text)) or not (scene := scene_at(match["a"], context)):
        return None
    copies = {"twice": 2}.get((match["times"] or "").lower(), 3 if match["times"] else 1)
    call = ToolCall("duplicate_scene", {"scene_id": scene.id})
    if copies == 1:
        reply = f"Duplicated {named(scene)}; the copy is scene {scene.order + 1}, right after it."
    else:
        reply = (
            f"Made {copies} copies of {named(scene)}; they are scenes {scene.order + 1} to "
            f"{scene.order + copies}, right after it."
        )
    return with_calls(reply, [call] * copies)


# --- A new scene somewhere other than the end ------------------------------------------

PLACE_WORDS = rf"(?:{A(P.TO_START)}|position\s+\d+)"
WHERE = rx(
    rf"\s+(?:(?:right|just)\s+)?(?:(?P<how>before|after|ahead\s+of)\s+(?P<ref>(?:the\s+)?"
    rf"(?:scene|slide)\s+\d+|the\s+(?:{ORDINAL}|last)\s+(?:scene|slide|one)"
    rf"|the\s+{A(V.TEMPLATE_BY_WORD)})"
    rf"|(?:at|to)\s+(?:the\s+)?(?P<place>{PLACE_WORDS})|as\s+(?:the\s+)?first(?:\s+scene)?)"
    r"(?=$|[\s,:.!?])"
)


def placed(text: str, context: BrainContext) -> Decision | None:
    """ "add a title after scene 2 that says Hi": add it, then move the later scenes to the end."""
    if not re.match(rf"^{ADD_VERB}\s", text, re.I) or not (where := WHERE.search(text)):
        return None
    new = add(text[: where.start()] + text[where.end() :], context)
    if new is None or not new.tool:
        return new
    if where["ref"]:
        other = scene_at(where["ref"], context)
        if other is None:
            return None
        position = other.order + (where["how"].lower() == "after")
    elif where["place"] and where["place"].lower().startswith("position"):
        position = int(where["place"].split()[-1])
    else:
        position = 1
    if not 1 <= position <= len(context.scenes) + 1:
        raise Unresolved(
            f"There is no position {position}; the video has {len(context.scenes)} scenes."
        )
    later = context.scenes[position - 1 :]
    if not later:
        return new
    reply = new.reply.replace(
        f"Added scene {len(context.scenes) + 1}", f"Added scene {position}", 1
    )
    return with_calls(
        reply.rstrip(".") + "; the scenes after it move one place later.",
        [ToolCall(new.tool, new.args), *send_to_end(later)],
    )


# --- Intro, outro, countdown --------------------------------------------------------------

ADD_VERB = A(V.ADD_VERBS)
INTRO = rx(
    rf"^{ADD_VERB}\s+(?:(?:a|an|the)\s+)?(?:new\s+)?(?P<kind>{A(P.INTRO_WORDS + P.OUTRO_WORDS)})"
    r"(?:\s+(?:title|scene|slide|card|screen))?(?P<rest>(?:\s+|:).*)?$"
)


def send_to_end(scenes: list[Scene]) -> list[ToolCall]:
    """Move these scenes, in order, to the end: what a new last scene then precedes."""
    last = scenes[-1].order + 1 if scenes else 1
    return [ToolCall("move_scene", {"scene_id": s.id, "position": last}) for s in scenes]


def intro(text: str, context: BrainContext) -> Decision | None:
    if not (match := INTRO.match(text)):
        return None
    start = match["kind"].lower() in P.INTRO_WORDS
    rest = (match["rest"] or "").strip()
    default = context.project.title if start else "Thanks for watching"
    new = add(f"add a title card {rest or 'saying ' + default}", context)
    if new is None or not new.tool:
        return new
    name = "an intro" if start else "an outro"
    reply = new.reply.replace(f"Added scene {len(context.scenes) + 1}", f"Added {name}", 1)
    if not start or not context.scenes:
        return Decision(reply=reply, tool=new.tool, args=new.args)
    reply = reply.rstrip(".") + ", as scene 1 (the other scenes move up one)."
    return with_calls(reply, [ToolCall(new.tool, new.args), *send_to_end(context.scenes)])


COUNTDOWN = rx(
    rf"^(?:{ADD_VERB}\s+)?(?:(?:a|an)\s+)?(?:(?P<len>\d+|{A(V.NUMBER_WORDS)})[\s-]*"
    rf"(?:seconds?|secs?|s)?[\s-]*)?{A(P.COUNTDOWN_WORDS)}"
    rf"(?:\s+(?:from|starting\s+at)\s+(?P<from>\d+|{A(V.NUMBER_WORDS)}))?(?:\s+to\s+(?:1|one))?{TAIL}"
)


def countdown(text: str, context: BrainContext) -> Decision | None:
    if not (match := COUNTDOWN.match(text)):
        return None
    said = match["from"] or match["len"]
    start = int(spoken_number(said)) if said else P.COUNTDOWN_DEFAULT
    if not 1 <= start <= P.COUNTDOWN_MAX:
        raise Unresolved(
            f"A countdown can start from 1 to {P.COUNTDOWN_MAX}; say for example "
            '"add a countdown from 5".'
        )
    fps = context.project.fps
    calls = [
        ToolCall(
            "add_scene",
            {"props": {"template": "counter", "title": str(n)}, "duration_frames": fps},
        )
        for n in range(start, 0, -1)
    ]
    first = len(context.scenes) + 1
    return with_calls(
        f"Added a countdown from {start} to 1: scenes {first} to {first + start - 1}, a big "
        f"number each, {describe_duration(fps, fps)} apiece.",
        calls,
    )


# --- List items ------------------------------------------------------------------------------

ITEM = (
    rf"(?:(?:an?|the|new|another)\s+)*(?:{A(P.ITEM_WORDS)})(?:\s+(?:called|saying|that\s+says))?\s+"
)
LIST_REF = rf"(?P<list>{A(P.LIST_PLACES)})|(?P<ref>.+?)"
ADD_ITEMS = rx(
    rf"^(?:add|append|include|put)\s+(?:{ITEM})?(?P<items>.+?)\s+(?:to|onto|on|in|into)\s+"
    rf"(?:{LIST_REF})(?:(?:'s|\u2019s)?\s+(?:list|items|points|bullets))?{TAIL}"
)
REMOVE_ITEMS = rx(
    rf"^(?:remove|delete|drop|take\s+out|take|cut)\s+(?:{ITEM})?(?P<items>.+?)\s+"
    rf"(?:from|off|out\s+of)\s+(?:{LIST_REF}){TAIL}"
)
NTH_ITEM = rx(rf"^(?:the\s+)?(?P<nth>{ORDINAL}|last)(?:\s+(?:{A(P.ITEM_WORDS)}|one))?$")


def list_scene(match: re.Match, context: BrainContext) -> Scene | None:
    """The scene whose items the words name: "the list", or a list or comparison scene."""
    scene = (
        by_template("bullet list", context) if match["list"] else scene_at(match["ref"], context)
    )
    template = (scene.props or {}).get("template", "title") if scene else ""
    if not scene or V.TEMPLATE_CONTENT[template] not in ("list", "pair"):
        return None
    items = match["items"]
    if parse_all(items, LOOK_OPTIONS) or duration_frames(items, context.project.fps) is not None:
        return None  # "add red to scene 3", "take a second off scene 3": not items
    return scene


def items_edit(scene: Scene, items: list[str], what: str) -> Decision:
    return Decision(
        reply=f"Scene {scene.order} now lists {describe_items(items) or 'nothing'} ({what}).",
        tool="edit_scene",
        args={"scene_id": scene.id, "props": {"items": items}},
    )


def add_items(text: str, context: BrainContext) -> Decision | None:
    if not (match := ADD_ITEMS.match(text)) or not (scene := list_scene(match, context)):
        return None
    new = split_items(match["items"])
    old = list((scene.props or {}).get("items", []))
    return items_edit(scene, old + new, f"added {describe_items(new)}")


def remove_items(text: str, context: BrainContext) -> Decision | None:
    if not (match := REMOVE_ITEMS.match(text)) or not (scene := list_scene(match, context)):
        return None
    old = list((scene.props or {}).get("items", []))
    if nth := NTH_ITEM.match(match["items"].strip()):
        word = nth["nth"].lower()
        index = len(old) if word == "last" else position_of(word, len(old))
        if not index or not 1 <= index <= len(old):
            raise Unresolved(f"Scene {scene.order} has {len(old)} items; there is no item {index}.")
        gone = [old[index - 1]]
    else:
        wanted = {clean_text(w).casefold() for w in split_items(match["items"])}
        gone = [item for item in old if item.casefold() in wanted]
        if len(gone) < len(wanted):
            raise Unresolved(
                f"Scene {scene.order} lists {describe_items(old) or 'nothing'}; say which of "
                f"these to remove."
            )
    left = [item for item in old if item not in gone]
    return items_edit(scene, left, f"removed {join_and([quoted(g) for g in gone])}")
