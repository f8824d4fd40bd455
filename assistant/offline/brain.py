"""The offline brain: understands plain requests with no network.

Every word it knows lives in vocabulary.py and phrases.py (template words in
scenes' catalog); patterns.py combines those tables into patterns, parsers.py
reads values, references.py finds scenes, decisions.py turns a match into a
Decision and replies.py words the answer. Rules are tried in order
(rules.RULES); the first that understands the request answers.

What it cannot resolve (no such scene, an ambiguous reference, a value it does
not know) gets a reply saying what it needs, and no tool: it never guesses.

Around the rules:
- Several asks in one message ("add a title saying Hi and then a quote saying
  Bye", "make scene 1 red, make scene 2 blue") are split at "then", ";", a
  sentence end, or an "and"/comma before a verb; each part is decided in turn
  and the calls run in order as one undoable change. "it" in a later part is
  the scene an earlier part touched; a change to a scene added in the same
  message folds into its add_scene call. When a part is not understood the
  whole message is read as one ask; when a part is understood but cannot be
  done, nothing is done and the reply says which part. A part that is only
  chat ("thanks!", "I don't like it") is left out when another part asks.
- Typos in command words are corrected (typos.py) only when the message as
  typed is not understood, and the reply says how it was read.

Choices on ambiguous wording, also stated in the tables:
- "make scene 2 red" / "make it red" colours the BACKGROUND; "make the text
  red" colours the text ("color" prop); "make the accent red" the accent.
- "faster" multiplies the speed by vocabulary.FASTER (1.5), "slower" divides
  by it; "twice as fast" doubles it, "twice as slow" halves it. A speed outside
  MIN_SPEED..MAX_SPEED is refused with the bounds, never clamped.
- "change the text of scene 1 to red" could mean the words or their colour, so
  it asks; "make the text red" colours it, "make the text say red" rewrites it.
- "it", "this scene" = the scene the latest change touched (the scene
  history); if that scene is gone, it asks which scene (with only one scene and
  no earlier change, "it" is that scene).
- Scene numbers in every part of a message mean the scenes as they are when
  it is sent.
"""

import re
from dataclasses import dataclass, replace

from assistant.decision import BrainContext, Decision, ToolCall
from scenes.models import Scene
from scenes.render import scene_props

from . import phrases as P
from . import vocabulary as V
from .parsers import squash, strip_polite
from .replies import REPHRASE, Unresolved, quoted
from .rules import RULES
from .talk import social
from .typos import correct

UNDO_ALONE = 'I changed nothing: "undo" works on its own; send it as a message by itself.'
REWRITES = [(re.compile(pattern, re.I), replacement) for pattern, replacement in P.REWRITES]


@dataclass(frozen=True)
class Planned(BrainContext):
    """The context of a later ask in a message: "it" is what an earlier one touched."""

    touched: Scene | None = None


class OfflineBrain:
    def decide(self, context: BrainContext) -> Decision:
        text = strip_polite(squash(context.text))
        decision, sure = decide_message(text, context)
        if sure:
            return decision
        for pattern, replacement in REWRITES:
            if (again := pattern.sub(replacement, text, count=1)) != text:
                rewritten, sure = decide_message(again, context)
                if sure:
                    return rewritten
        fixed, fixes = correct(text)
        if fixes:
            again, sure = decide_message(fixed, context)
            if sure:
                read = ", ".join(f"{quoted(a)} as {quoted(b)}" for a, b in fixes)
                return replace(again, reply=f"{again.reply} (I read {read}.)")
        return decision


def decide_one(text: str, context: BrainContext) -> tuple[Decision, bool]:
    """The first rule's decision, and whether a rule understood the text at all."""
    fallback = REPHRASE
    for rule in RULES:
        try:
            decision = rule(text, context)
        except Unresolved as problem:
            if not problem.soft:
                return Decision(reply=problem.reply), True
            fallback = problem.reply if fallback == REPHRASE else fallback
            continue
        if decision is not None:
            return decision, True
    return Decision(reply=fallback), False


# --- Several asks in one message ----------------------------------------------------------

VERBS = V.alternation(
    ["add", "make", "delete", "remove", "move", "change", "set", "turn", "put", "duplicate",
     "copy", "swap", "use", "rename", "give", "trim", "extend", "shorten", "speed up",
     "slow down", "create", "insert", "append", "undo", "colour", "color", "paint"]
)  # fmt: skip
# "make the background of scene 1 navy and the text gold": a second look, same scene.
LOOK_FIELD = (
    r"(?:the|its)\s+(?:text|background|accent|font|speed)\s+(?!and\b)"
    r"|(?:every|each|all)\s+(?!of\b|and\b)"  # "... and every title serif"
)
SPLIT = re.compile(
    rf"\s*;\s*|(?<=[.!?])\s+(?=\w)|\s*,?\s+and\s+then\s+|\s*,\s*then\s+|\s*,\s*after\s+that,?\s+"
    rf"|\s*,?\s+and\s+(?=(?:{VERBS}|(?:a|an|another)\s|scene\s|slide\s|{LOOK_FIELD}))"
    rf"|\s+then\s+(?={VERBS})"
    rf"|\s*,\s*(?={VERBS})",
    re.I,
)
QUOTED = re.compile(r"[\"\u201c][^\"\u201d]*[\"\u201d]")
LEADING_VERB = re.compile(rf"^{VERBS}", re.I)


def split_asks(text: str) -> list[str]:
    quoted_spans = [m.span() for m in QUOTED.finditer(text)]
    parts, start = [], 0
    for match in SPLIT.finditer(text):
        if any(a <= match.start() < b for a, b in quoted_spans):
            continue
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    parts = [strip_polite(p.strip()) for p in parts if p.strip()]
    # "... and a quote saying Bye": the part without a verb borrows the one before.
    for i in range(1, len(parts)):
        if not LEADING_VERB.match(parts[i]) and (verb := LEADING_VERB.match(parts[i - 1])):
            parts[i] = f"{verb.group(0)} {parts[i]}"
    return parts


# "make scenes 1 and 2 red" = "make scene 1 red" and "make scene 2 red".
SEVERAL = re.compile(
    r"^(?P<head>.*?\b)(?:scenes?|slides?)\s+(?P<numbers>\d+(?:\s*(?:,|and|&|,\s*and)\s*\d+)+)"
    r"(?P<tail>.*)$",
    re.I,
)


def each_scene(text: str) -> list[str]:
    match = SEVERAL.match(text)
    head = match["head"].lower() if match else ""
    if not head.strip() or head.endswith("between ") or head.split()[0] in P.SWAP_VERBS:
        return [text]
    numbers = re.findall(r"\d+", match["numbers"])
    return [f"{match['head']}scene {n}{match['tail']}" for n in numbers]


def decide_message(text: str, context: BrainContext) -> tuple[Decision, bool]:
    parts = [each for part in split_asks(text) for each in each_scene(part)]
    if len(parts) > 1 and (combined := decide_parts(parts, context)):
        return combined, True
    return decide_one(text, context)


def decide_parts(parts: list[str], context: BrainContext) -> Decision | None:
    # "thanks! now delete scene 3", "I don't like it, make it blue": the chat around asks
    # is not an ask of its own.
    parts = [part for part in parts if not social(part)]
    if not parts:  # "hi! thanks!": read as one message
        return None
    if len(parts) == 1:  # "hi! what can you do?": the one ask, answered as itself
        decision, sure = decide_one(strip_polite(parts[0]), context)
        return decision if sure else None
    calls: list[ToolCall] = []
    replies: list[str] = []
    scenes = list(context.scenes)
    planned = Planned(**{f: getattr(context, f) for f in BrainContext.__dataclass_fields__})
    gone: set[int] = set()
    for part in parts:
        decision, sure = decide_one(strip_polite(part), planned)
        if not sure:
            return None
        if not decision.tool_calls:
            return Decision(reply=f"I changed nothing. About {quoted(part)}: {decision.reply}")
        if any(call.tool == "undo" for call in decision.tool_calls):
            return Decision(reply=UNDO_ALONE)
        touched = planned.touched
        if any(gone & set(ids_of(call)) for call in decision.tool_calls):
            return Decision(
                reply=f"I changed nothing. About {quoted(part)}: that scene is deleted earlier "
                "in the same message; ask for one or the other."
            )
        gone |= {c.args["scene_id"] for c in decision.tool_calls if c.tool == "delete_scene"}
        for call in decision.tool_calls:
            if not fold(call, calls, scenes):
                return None
            if call.tool == "add_scene":
                touched = new_scene(call.args, len(scenes) + 1)
                scenes.append(touched)
            elif call.args.get("scene_id"):
                touched = next((s for s in scenes if s.id == call.args["scene_id"]), touched)
        replies.append(decision.reply)
        planned = replace(planned, scenes=list(scenes), touched=touched)
    return Decision(reply=" ".join(replies), calls=tuple(calls))


def ids_of(call: ToolCall) -> list[int]:
    """The existing scenes a call names."""
    keys = ("scene_id", "before_scene_id", "after_scene_id", "swap_with_scene_id")
    return [call.args[key] for key in keys if call.args.get(key)] + list(
        call.args.get("scene_ids") or []
    )


def new_scene(args: dict, order: int) -> Scene:
    """The scene an add_scene call will make, for the asks after it (it has no id yet)."""
    return Scene(
        order=order, props=scene_props(**args["props"]), duration_frames=args["duration_frames"]
    )


def fold(call: ToolCall, calls: list[ToolCall], scenes: list[Scene]) -> bool:
    """Add the call; a change to the scene added last in this message joins its add_scene."""
    if call.tool == "add_scene" or call.args.get("scene_id", 0) is not None:
        calls.append(call)
        return True
    adds = [i for i, c in enumerate(calls) if c.tool == "add_scene"]
    if not adds or call.tool not in ("edit_scene", "trim_scene"):
        return False
    args = dict(calls[adds[-1]].args)
    if call.tool == "edit_scene":
        args["props"] = {**args["props"], **call.args["props"]}
    else:
        args["duration_frames"] = call.args["duration_frames"]
    calls[adds[-1]] = ToolCall("add_scene", args)
    scenes[-1].props = scene_props(**args["props"])
    return True
