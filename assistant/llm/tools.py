"""The tools the model may call, with their JSON schemas (tool_specs).

Every schema states its constraints (colour patterns, number bounds, enums,
required fields), so the model sees them before it calls; answers.py and the
scene tools check them again, and a refusal goes back to the model
(repair.py).
"""

from dataclasses import dataclass

from scenes.catalog import TEMPLATES
from scenes.render import FONTS, MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS
from scenes.tools import MAX_SECONDS, max_frames

# What each template shows, for the model (from the catalog).
TEMPLATE_HELP = {template.key: template.help for template in TEMPLATES}

COLOUR_PATTERN = "^#[0-9a-fA-F]{6}$"


def colour(what: str) -> dict:
    return {
        "type": "string",
        "pattern": COLOUR_PATTERN,
        "description": f"{what} colour as #rrggbb (six hex digits), e.g. #1e40af.",
    }


PROPS_SCHEMA = {
    "type": "object",
    "description": (
        "The scene's look. A template scene is drawn from these; a scene with `code` "
        "keeps them too (the title names it in the storyboard)."
    ),
    "properties": {
        "template": {
            "type": "string",
            "enum": list(TEMPLATE_LABELS),
            "description": "; ".join(f"{key} = {text}" for key, text in TEMPLATE_HELP.items()),
        },
        "title": {"type": "string", "description": "The main text."},
        "subtitle": {"type": "string", "description": "Secondary text (may be empty)."},
        "items": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Points of a bullet list, or cells of a comparison.",
        },
        "background": colour("Background"),
        "color": colour("Text"),
        "accent": colour("Accent"),
        "font": {"type": "string", "enum": list(FONTS), "description": "The font family."},
        "speed": {
            "type": "number",
            "minimum": MIN_SPEED,
            "maximum": MAX_SPEED,
            "description": "Animation speed, 1 = normal, 2 = twice as fast.",
        },
    },
    "additionalProperties": False,
}

SCENE_NUMBER = {
    "type": "integer",
    "minimum": 1,
    "description": "The scene's number in the storyboard (1 = first).",
}
CODE = {
    "type": "string",
    "description": (
        "Optional: the scene as one complete, self-contained HTML document written by "
        "you (see the scene code rules). Leave it out to draw the scene from a template. "
        "It may name its poster frame (the paused player's picture and the thumbnail), in ms: "
        '<meta name="chatvideo-poster" content="1200">; without one the middle is shown.'
    ),
}


def durations(fps: int, what: str = "the scene lasts") -> dict:
    """duration_seconds and duration_frames (give one), bounded as scenes.tools bounds them."""
    return {
        "duration_seconds": {
            "type": "number",
            "minimum": round(1 / fps, 4),
            "maximum": MAX_SECONDS,
            "description": f"How long {what}, in seconds.",
        },
        "duration_frames": {
            "type": "integer",
            "minimum": 1,
            "maximum": max_frames(fps),
            "description": f"How long {what}, in frames (instead of duration_seconds).",
        },
    }


def video_length(fps: int) -> dict:
    """The whole video's length: one frame per scene at least, so only a lower bound."""
    fields = durations(fps, "the whole video lasts")
    for field in fields.values():
        del field["maximum"]
    return fields


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict
    example: str  # what a person types to get it, for the prompt's capabilities


def obj(properties: dict, required: list[str], **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


def tool_specs(fps: int) -> list[ToolSpec]:
    """The tools, with duration bounds for a project of `fps` frames per second."""
    scene = {"scene_number": SCENE_NUMBER}
    return [
        ToolSpec(
            "add_scene",
            "Add a new scene at the end of the video.",
            obj({"props": PROPS_SCHEMA, **durations(fps), "code": CODE}, ["props"]),
            "add a title that says Launch Day",
        ),
        ToolSpec(
            "edit_scene",
            "Change a scene's text, colours, font, speed, template or code. Only the props "
            "given change. Without `code` the scene is drawn from its template with the new "
            "props, replacing any code you wrote for it; send `code` to keep a look of your own.",
            obj({**scene, "props": PROPS_SCHEMA, "code": CODE}, ["scene_number"]),
            "make scene 2 say Hello in red",
        ),
        ToolSpec(
            "edit_scenes",
            "The same prop changes on several scenes, or on every scene when scene_numbers "
            "is left out (a theme, background, text colour, accent, font or speed for the "
            "whole video). Each scene is drawn again from its template.",
            obj(
                {
                    "props": {**PROPS_SCHEMA, "minProperties": 1},
                    "scene_numbers": {
                        "type": "array",
                        "items": SCENE_NUMBER,
                        "minItems": 1,
                        "uniqueItems": True,
                        "description": "The scenes to change; leave out for every scene.",
                    },
                },
                ["props"],
            ),
            "give every scene a dark background",
        ),
        ToolSpec(
            "delete_scene",
            "Delete a scene; the scenes after it move up by one.",
            obj(scene, ["scene_number"]),
            "delete scene 3",
        ),
        ToolSpec(
            "trim_scene",
            "Change how long a scene lasts. For a scene with your own code, send `code` "
            "again with its timings fitted to the new duration.",
            obj({**scene, **durations(fps), "code": CODE}, ["scene_number"]),
            "make scene 1 3 seconds long",
        ),
        ToolSpec(
            "set_video_length",
            "Make the whole video last this long: the time is spread over the scenes in "
            "proportion to how long each lasts now (at least 1 frame per scene, at most "
            f"{MAX_SECONDS // 60} minutes each).",
            obj(video_length(fps), []),
            "make the whole video 20 seconds",
        ),
        ToolSpec(
            "move_scene",
            "Move a scene: give exactly one of position (its new number), "
            "before_scene_number, after_scene_number or swap_with_scene_number. The other "
            "scenes keep their order.",
            obj(
                {
                    **scene,
                    "position": {**SCENE_NUMBER, "description": "The scene's new number."},
                    "before_scene_number": {**SCENE_NUMBER, "description": "Put it before this."},
                    "after_scene_number": {**SCENE_NUMBER, "description": "Put it after this."},
                    "swap_with_scene_number": {
                        **SCENE_NUMBER,
                        "description": "Swap the two scenes.",
                    },
                },
                ["scene_number"],
            ),
            "move scene 3 before scene 1",
        ),
        ToolSpec(
            "duplicate_scene",
            "Copy a scene; the copy comes right after it and the later scenes move up by one.",
            obj(scene, ["scene_number"]),
            "duplicate scene 2",
        ),
        ToolSpec(
            "undo",
            "Undo the latest change to the scenes (an undo of an undo redoes it). "
            "Call it on its own, never with other tools in the same answer.",
            obj({}, []),
            "undo",
        ),
    ]


TOOL_NAMES = [spec.name for spec in tool_specs(30)]
