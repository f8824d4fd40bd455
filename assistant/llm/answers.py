"""From the model's answer to a Decision.

The tool call's arguments are checked, and scene numbers turned into scene ids.
"""

import json
import logging
import math

from assistant.decision import BrainContext, BrainError, Decision, Usage
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

from .streaming import Answer, ToolCall
from .tools import TOOL_NAMES

logger = logging.getLogger("chatvideo.llm")

DEFAULT_DURATION_SECONDS = 5


# --- Answer -> Decision ------------------------------------------------------------


def to_decision(context: BrainContext, answer: Answer) -> Decision:
    """Turn the model's answer into what the orchestrator runs.

    A BrainError raised for an unusable answer carries what it cost.
    """
    usage = Usage(
        model=answer.model[:100],
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
    )
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
    call = answer.tool_calls[0]
    if answer.truncated:
        raise BrainError(
            "The model's answer was cut off at its output limit before the change was "
            "complete. Try asking for something simpler."
        )
    tool, args, summary = resolve_tool_call(context, call)
    if tool is None:  # refused (nothing to undo): the summary says why
        return Decision(reply=summary, usage=usage)
    reply = text or summary
    if len(answer.tool_calls) > 1:
        reply += (
            f" (You asked for {len(answer.tool_calls)} changes at once; I made only the "
            "first. Ask again for the rest.)"
        )
    return Decision(reply=reply, tool=tool, args=args, usage=usage)


def resolve_tool_call(context: BrainContext, call: ToolCall) -> tuple[str | None, dict, str]:
    """(tool, args for scenes.tools, a sentence saying what it does).

    The tool is None when the call cannot be made (undo with nothing to undo);
    the sentence then says why.
    """
    if call.name not in TOOL_NAMES:
        raise BrainError(f"The model asked for a tool that does not exist ({shorten(call.name)}).")
    args = parse_arguments(call.arguments)
    fps = context.project.fps
    if call.name == "undo":
        # What undo does is scenes.history's to say, as for the Undo button.
        undo = decide_undo(context.project)
        return undo.tool, undo.args, undo.reply
    if call.name == "add_scene":
        props = clean_props(args.get("props"))
        props.setdefault("template", "title")
        frames = duration(args, fps)
        if frames is None:
            frames = DEFAULT_DURATION_SECONDS * fps
        tool_args = {"props": props, "duration_frames": frames}
        code = scene_code(args)
        if code is not None:
            tool_args["code"] = code
        number, title = len(context.scenes) + 1, props.get("title", "")
        if code is None:
            label = TEMPLATE_LABELS.get(props["template"], "scene")
            what = f"a {label} reading \u201c{title}\u201d" if title else f"a {label}"
        else:
            what = f"\u201c{title}\u201d" if title else "a scene of its own"
        summary = f"Added scene {number}, {what}, {describe_duration(frames, fps)}."
        return "add_scene", tool_args, summary
    number, scene = scene_by_number(context, args)
    if call.name == "delete_scene":
        return (
            "delete_scene",
            {"scene_id": scene.id},
            f"Deleted scene {number}, \u201c{scene.name}\u201d.",
        )
    if call.name == "edit_scene":
        props = clean_props(args.get("props"))
        code = scene_code(args)
        if not props and code is None:
            raise BrainError(
                f"The model asked to change scene {number} without saying what to change."
            )
        tool_args = {"scene_id": scene.id, "props": props}
        if code is not None:
            tool_args["code"] = code
        return "edit_scene", tool_args, f"Updated scene {number}."
    # trim_scene
    frames = duration(args, fps)
    if frames is None:
        raise BrainError(f"The model did not say how long scene {number} should last.")
    tool_args = {"scene_id": scene.id, "duration_frames": frames}
    # Without new code, the tool keeps code the model wrote and draws a
    # template scene again for its new length.
    code = scene_code(args)
    if code is not None:
        tool_args["code"] = code
    return "trim_scene", tool_args, f"Scene {number} now lasts {describe_duration(frames, fps)}."


def parse_arguments(raw: str | dict | None) -> dict:
    if isinstance(raw, dict):
        return raw
    text = (raw or "").strip() or "{}"
    try:
        args = json.loads(text)
    except ValueError:
        raise BrainError("The model returned tool arguments that are not valid JSON.") from None
    if not isinstance(args, dict):
        raise BrainError("The model returned tool arguments that are not a JSON object.")
    return args


def scene_by_number(context: BrainContext, args: dict) -> tuple[int, Scene]:
    raw = args.get("scene_number", args.get("scene"))
    number = whole_number(raw)
    if number is None:
        raise BrainError("The model did not say which scene (by its number) to change.")
    count = len(context.scenes)
    if not 1 <= number <= count:
        scenes = "no scenes" if not count else f"{count} scene" + ("s" if count != 1 else "")
        raise BrainError(f"The model referred to scene {number}, but this project has {scenes}.")
    return number, context.scenes[number - 1]


def duration(args: dict, fps: int) -> int | None:
    """Frames, from duration_frames or duration_seconds (None when neither is given)."""
    frames, seconds = args.get("duration_frames"), args.get("duration_seconds")
    if frames is not None:
        value = number_value(frames)
        if value is None:
            raise BrainError("The model gave a duration in frames that is not a number.")
    elif seconds is not None:
        value = number_value(seconds)
        if value is None:
            raise BrainError("The model gave a duration in seconds that is not a number.")
        value *= fps
    else:
        return None
    if problem := duration_problem(fps, value):
        raise BrainError(problem)
    return round(value)


def scene_code(args: dict) -> str | None:
    code = args.get("code")
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if not isinstance(code, str):
        raise BrainError("The model returned scene code that is not text.")
    return code


def clean_props(raw: object) -> dict:
    """Props as the tools want them; keys the scenes do not have are dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BrainError("The model returned scene props that are not a JSON object.")
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
