"""From the model's answer to a Decision.

Each tool call's arguments are checked, and scene numbers turned into scene
ids; several calls in one answer become one Decision's calls, in order. What
the model got wrong raises RefusedCall, which repair.py sends back to it.
"""

import json
import logging
import math

from assistant.decision import BrainContext, BrainError, Decision, ToolCall, Usage
from assistant.undo import decide_undo
from assistant.words import TEMPLATE_BY_WORD
from scenes.models import Scene
from scenes.render import (
    DEFAULT_PROPS,
    TEMPLATE_LABELS,
    describe_duration,
)
from scenes.tools import duration_problem
from scenes.values import hex_colour, shorten, template_key

from .streaming import Answer
from .streaming import ToolCall as ModelCall
from .tools import TOOL_NAMES

logger = logging.getLogger("chatvideo.llm")

DEFAULT_DURATION_SECONDS = 5
# A duration no project could use, whatever its scenes (the tools say why exactly).
MAX_VIDEO_FRAMES = 10**9


# --- Answer -> Decision ------------------------------------------------------------


class RefusedCall(BrainError):
    """A tool call the model can put right: its reason goes back to it as the
    call's result (repair.py), and only the last round's ends the reply."""


def answer_usage(answer: Answer) -> Usage:
    return Usage(
        model=answer.model[:100],
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
    )


def to_decision(context: BrainContext, answer: Answer) -> Decision:
    """Turn the model's answer into what the orchestrator runs.

    A BrainError raised for an unusable answer carries what it cost.
    """
    usage = answer_usage(answer)
    try:
        return answer_to_decision(context, answer, usage)
    except BrainError as exc:
        exc.usage = exc.usage or usage
        raise


def answer_to_decision(context: BrainContext, answer: Answer, usage: Usage) -> Decision:
    text = answer.text.strip()
    if not answer.tool_calls:
        if not text:
            if answer.truncated:
                raise BrainError("The model's answer was cut off at its output limit.")
            raise BrainError("The model returned an empty answer.")
        return Decision(reply=text, usage=usage)
    if answer.truncated:
        raise BrainError(
            "The model's answer was cut off at its output limit before the change was "
            "complete. Try asking for something simpler."
        )
    if any(call.name == "undo" for call in answer.tool_calls):
        if len(answer.tool_calls) > 1:
            raise RefusedCall(
                "Undo works on its own: call undo alone, or the other tools without it."
            )
        # What undo does is scenes.history's to say, as for the Undo button.
        undo = decide_undo(context.project)
        if undo.tool is None:  # nothing to undo: say so, whatever the model said
            return Decision(reply=undo.reply, usage=usage)
        return Decision(reply=text or undo.reply, tool="undo", usage=usage)
    resolved, count = [], len(context.scenes)
    for call in answer.tool_calls:
        scene_call, summary = resolve_tool_call(context, call, count + 1)
        # Numbers in replies follow the scenes added or deleted before this call.
        count += SCENE_COUNT_CHANGE.get(scene_call.tool, 0)
        resolved.append((scene_call, summary))
    reply = text or " ".join(summary for _, summary in resolved)
    return Decision(reply=reply, calls=[call for call, _ in resolved], usage=usage)


SCENE_COUNT_CHANGE = {"add_scene": 1, "duplicate_scene": 1, "delete_scene": -1}


def resolve_tool_call(
    context: BrainContext, call: ModelCall, new_number: int
) -> tuple[ToolCall, str]:
    """The scene tool call (scene numbers turned into ids) and a sentence saying what it does.

    Scene numbers mean the storyboard as the model saw it, whatever calls come
    before in the same answer (the ids do not move). `new_number` is the
    number a scene added by this call gets. Arguments the model got wrong
    raise RefusedCall, with what to send instead.
    """
    if call.name not in TOOL_NAMES:
        raise RefusedCall(
            f"There is no tool called {shorten(call.name)!r}; the tools are: "
            f"{', '.join(TOOL_NAMES)}."
        )
    args = parse_arguments(call.arguments)
    if call.name == "add_scene":
        return add_scene(context, args, new_number)
    return RESOLVERS[call.name](context, args)


def add_scene(context: BrainContext, args: dict, number: int) -> tuple[ToolCall, str]:
    fps = context.project.fps
    props = clean_props(args.get("props"))
    props.setdefault("template", "title")
    frames = duration(args, fps)
    if frames is None:
        frames = DEFAULT_DURATION_SECONDS * fps
    tool_args = {"props": props, "duration_frames": frames}
    code = scene_code(args)
    if code is not None:
        tool_args["code"] = code
    title = props.get("title", "")
    if code is None:
        label = TEMPLATE_LABELS.get(props["template"], "scene")
        what = f"a {label} reading \u201c{title}\u201d" if title else f"a {label}"
    else:
        what = f"\u201c{title}\u201d" if title else "a scene of its own"
    summary = f"Added scene {number}, {what}, {describe_duration(frames, fps)}."
    return ToolCall("add_scene", tool_args), summary


def edit_scene(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    number, scene = scene_by_number(context, args)
    props = clean_props(args.get("props"))
    code = scene_code(args)
    if not props and code is None:
        raise RefusedCall(
            f"Say what to change on scene {number}: give props (or code) in edit_scene."
        )
    tool_args = {"scene_id": scene.id, "props": props}
    if code is not None:
        tool_args["code"] = code
    return ToolCall("edit_scene", tool_args), f"Updated scene {number}."


def edit_scenes(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    props = clean_props(args.get("props"))
    if not props:
        raise RefusedCall("Say what to change on the scenes: give props in edit_scenes.")
    raw = args.get("scene_numbers")
    if raw is None:
        return ToolCall("edit_scenes", {"props": props}), "Updated every scene."
    if not isinstance(raw, list) or not raw:
        raise RefusedCall(
            "scene_numbers must be a list of scene numbers, or left out for every scene."
        )
    numbered = [scene_by_number(context, {"scene_number": value}) for value in raw]
    ids = list(dict.fromkeys(scene.id for _, scene in numbered))
    numbers = ", ".join(str(number) for number, _ in numbered)
    summary = f"Updated scene{'s' if len(ids) > 1 else ''} {numbers}."
    return ToolCall("edit_scenes", {"props": props, "scene_ids": ids}), summary


def delete_scene(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    number, scene = scene_by_number(context, args)
    return (
        ToolCall("delete_scene", {"scene_id": scene.id}),
        f"Deleted scene {number}, \u201c{scene.name}\u201d.",
    )


def trim_scene(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    fps = context.project.fps
    number, scene = scene_by_number(context, args)
    frames = duration(args, fps)
    if frames is None:
        raise RefusedCall(
            f"Say how long scene {number} should last: duration_seconds or duration_frames."
        )
    tool_args = {"scene_id": scene.id, "duration_frames": frames}
    # Without new code, the tool keeps code the model wrote and draws a
    # template scene again for its new length.
    code = scene_code(args)
    if code is not None:
        tool_args["code"] = code
    summary = f"Scene {number} now lasts {describe_duration(frames, fps)}."
    return ToolCall("trim_scene", tool_args), summary


def set_video_length(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    fps = context.project.fps
    frames = duration(args, fps, bounded=False)
    if frames is None:
        raise RefusedCall(
            "Say how long the video should last: duration_seconds or duration_frames."
        )
    summary = f"The whole video now lasts {describe_duration(frames, fps)}."
    return ToolCall("set_video_length", {"duration_frames": frames}), summary


MOVE_TARGETS = {
    "position": "position",
    "before_scene_number": "before_scene_id",
    "after_scene_number": "after_scene_id",
    "swap_with_scene_number": "swap_with_scene_id",
}


def move_scene(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    number, scene = scene_by_number(context, args)
    given = [key for key in MOVE_TARGETS if args.get(key) is not None]
    if len(given) != 1:
        raise RefusedCall(
            "Give exactly one of position, before_scene_number, after_scene_number or "
            "swap_with_scene_number in move_scene."
        )
    (key,) = given
    if key == "position":
        position = whole_number(args[key])
        if position is None:
            raise RefusedCall("The position must be a whole number, like 1 for the first scene.")
        target, summary = position, f"Moved scene {number} to position {position}."
    else:
        other_number, other = scene_by_number(context, {"scene_number": args[key]})
        target = other.id
        summary = {
            "before_scene_number": f"Moved scene {number} before scene {other_number}.",
            "after_scene_number": f"Moved scene {number} after scene {other_number}.",
            "swap_with_scene_number": f"Swapped scenes {number} and {other_number}.",
        }[key]
    return ToolCall("move_scene", {"scene_id": scene.id, MOVE_TARGETS[key]: target}), summary


def duplicate_scene(context: BrainContext, args: dict) -> tuple[ToolCall, str]:
    number, scene = scene_by_number(context, args)
    summary = f"Duplicated scene {number}; the copy is scene {number + 1}."
    return ToolCall("duplicate_scene", {"scene_id": scene.id}), summary


RESOLVERS = {
    "edit_scene": edit_scene,
    "edit_scenes": edit_scenes,
    "delete_scene": delete_scene,
    "trim_scene": trim_scene,
    "set_video_length": set_video_length,
    "move_scene": move_scene,
    "duplicate_scene": duplicate_scene,
}


def parse_arguments(raw: str | dict | None) -> dict:
    if isinstance(raw, dict):
        return raw
    text = (raw or "").strip() or "{}"
    try:
        args = json.loads(text)
    except ValueError:
        raise RefusedCall("The model returned tool arguments that are not valid JSON.") from None
    if not isinstance(args, dict):
        raise RefusedCall("The model returned tool arguments that are not a JSON object.")
    return args


def scene_by_number(context: BrainContext, args: dict) -> tuple[int, Scene]:
    raw = args.get("scene_number", args.get("scene"))
    number = whole_number(raw)
    if number is None:
        raise RefusedCall("The model did not say which scene (by its number) to change.")
    count = len(context.scenes)
    if not 1 <= number <= count:
        scenes = "no scenes" if not count else f"{count} scene" + ("s" if count != 1 else "")
        raise RefusedCall(f"The model referred to scene {number}, but this project has {scenes}.")
    return number, context.scenes[number - 1]


def duration(args: dict, fps: int, bounded: bool = True) -> int | None:
    """Frames, from duration_frames or duration_seconds (None when neither is given).

    `bounded`: within one scene's bounds (the whole video's are the tool's to check).
    """
    frames, seconds = args.get("duration_frames"), args.get("duration_seconds")
    if frames is not None:
        value = number_value(frames)
        if value is None:
            raise RefusedCall("The model gave a duration in frames that is not a number.")
    elif seconds is not None:
        value = number_value(seconds)
        if value is None:
            raise RefusedCall("The model gave a duration in seconds that is not a number.")
        value *= fps
    else:
        return None
    if bounded and (problem := duration_problem(fps, value)):
        raise RefusedCall(problem)
    if not math.isfinite(value) or not 1 <= round(value) <= MAX_VIDEO_FRAMES:
        raise RefusedCall("The model gave a duration that is far too long, or not positive.")
    return round(value)


def scene_code(args: dict) -> str | None:
    code = args.get("code")
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if not isinstance(code, str):
        raise RefusedCall("The model returned scene code that is not text.")
    return code


def clean_props(raw: object) -> dict:
    """Props as the tools want them; keys the scenes do not have are dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RefusedCall("The model returned scene props that are not a JSON object.")
    props = {}
    for key, value in raw.items():
        if key not in DEFAULT_PROPS:
            logger.info("dropping unknown prop %r from the model", key)
            continue
        if key in ("background", "color", "accent") and isinstance(value, str):
            value = hex_colour(value)
        elif key == "template" and isinstance(value, str):
            value = template_key(value, TEMPLATE_BY_WORD) or value.strip().lower()
        elif key == "items" and isinstance(value, list):
            value = [str(item) for item in value]
        elif key in ("title", "subtitle") and isinstance(value, int | float):
            value = str(value)
        elif key == "speed" and isinstance(value, str):
            value = number_value(value) if number_value(value) is not None else value
        elif key == "font" and isinstance(value, str):
            value = value.strip().lower()
        props[key] = value
    return props


def number_value(value: object) -> float | None:
    """A JSON number, or a number written as text; None for anything else (and NaN).

    It may be infinite (JSON's 1e400): a duration says so with the bounds.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            number = float(value)
        except OverflowError:  # an integer too big for a float
            number = math.inf if value > 0 else -math.inf
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return None if math.isnan(number) else number


def whole_number(value: object) -> int | None:
    number = number_value(value)
    if number is None or not math.isfinite(number) or number != int(number):
        return None
    return int(number)
