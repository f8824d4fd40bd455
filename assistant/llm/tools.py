"""The tools the model may call, with their JSON schemas (TOOL_SPECS)."""

from dataclasses import dataclass

from scenes.catalog import TEMPLATES
from scenes.render import (
    FONTS,
    MAX_SPEED,
    MIN_SPEED,
    TEMPLATE_LABELS,
)

# --- Tools -----------------------------------------------------------------------

# What each template shows, for the model (from the catalog).
TEMPLATE_HELP = {template.key: template.help for template in TEMPLATES}

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
        "background": {"type": "string", "description": "Background colour, #rrggbb."},
        "color": {"type": "string", "description": "Text colour, #rrggbb."},
        "accent": {"type": "string", "description": "Accent colour, #rrggbb."},
        "font": {"type": "string", "enum": list(FONTS)},
        "speed": {
            "type": "number",
            "minimum": MIN_SPEED,
            "maximum": MAX_SPEED,
            "description": "Animation speed, 1 = normal.",
        },
    },
    "additionalProperties": False,
}

SCENE_NUMBER = {
    "type": "integer",
    "minimum": 1,
    "description": "The scene's number in the storyboard (1 = first).",
}
DURATION_SECONDS = {"type": "number", "description": "How long the scene lasts, in seconds."}
DURATION_FRAMES = {
    "type": "integer",
    "description": "How long the scene lasts, in frames (instead of duration_seconds).",
}
CODE = {
    "type": "string",
    "description": (
        "Optional: the scene as one complete, self-contained HTML document written by "
        "you (see the scene code rules). Leave it out to draw the scene from a template."
    ),
}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict


TOOL_SPECS = [
    ToolSpec(
        "add_scene",
        "Add a new scene at the end of the video.",
        {
            "type": "object",
            "properties": {
                "props": PROPS_SCHEMA,
                "duration_seconds": DURATION_SECONDS,
                "duration_frames": DURATION_FRAMES,
                "code": CODE,
            },
            "required": ["props"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "edit_scene",
        "Change a scene's text, colours, template or code. Only the props given change. "
        "Without `code` the scene is drawn from its template with the new props, replacing "
        "any code you wrote for it; send `code` to keep a look of your own.",
        {
            "type": "object",
            "properties": {"scene_number": SCENE_NUMBER, "props": PROPS_SCHEMA, "code": CODE},
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "delete_scene",
        "Delete a scene; the scenes after it move up by one.",
        {
            "type": "object",
            "properties": {"scene_number": SCENE_NUMBER},
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "trim_scene",
        "Change how long a scene lasts. For a scene with your own code, send `code` "
        "again with its timings fitted to the new duration.",
        {
            "type": "object",
            "properties": {
                "scene_number": SCENE_NUMBER,
                "duration_seconds": DURATION_SECONDS,
                "duration_frames": DURATION_FRAMES,
                "code": CODE,
            },
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "undo",
        "Undo the latest change to the scenes (an undo of an undo redoes it).",
        {"type": "object", "properties": {}, "additionalProperties": False},
    ),
]
TOOL_NAMES = [spec.name for spec in TOOL_SPECS]
