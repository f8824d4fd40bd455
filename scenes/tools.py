"""Where a tool changes a scene: add, edit, delete, trim.

Each tool validates its arguments and raises ToolError with a sentence a
person can act on; callers run it inside the transaction that also marks the
message done, so a scene change and its message's status land together.
"""

import math
import re

from django.conf import settings
from django.db.models import F

from projects.models import Project

from .check import check_scene_code
from .errors import ToolError
from .history import last_change_message_id
from .models import Scene, SceneChange
from .render import FONTS, MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS, render_scene_code, scene_props

MAX_SECONDS = 600
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
COLOUR_PROPS = ("background", "color", "accent")

# How long a scene may last: the brains reply with DURATION_BOUNDS when asked
# for anything else; the tools refuse it with the same words and the numbers.
SCENE_LENGTHS = f"A scene lasts from 1 frame to {MAX_SECONDS // 60} minutes"
DURATION_BOUNDS = f"{SCENE_LENGTHS}."
WHOLE_FRAMES = "The duration must be a whole number of frames."


def max_frames(fps: int) -> int:
    return fps * MAX_SECONDS


def duration_problem(fps: int, frames: float) -> str | None:
    """Why a scene cannot last `frames` frames (rounded), or None when it can.

    A brain passes what it worked out, which may be any number: a float that
    is not whole, or not even finite ("a 300-digit number of seconds" is inf).
    """
    if isinstance(frames, bool) or not isinstance(frames, int | float):
        return WHOLE_FRAMES
    if isinstance(frames, float) and not math.isfinite(frames):
        return DURATION_BOUNDS
    if not 1 <= round(frames) <= max_frames(fps):
        return DURATION_BOUNDS
    return None


def check_duration(project: Project, duration_frames: int) -> int:
    if isinstance(duration_frames, bool) or not isinstance(duration_frames, int):
        raise ToolError(WHOLE_FRAMES)
    if duration_problem(project.fps, duration_frames):
        raise ToolError(
            f"{SCENE_LENGTHS} ({max_frames(project.fps)} frames at {project.fps} fps); "
            f"{duration_frames} frames is outside that."
        )
    return duration_frames


def check_props(props: dict) -> dict:
    """Refuse props the templates cannot render safely; returns them unchanged."""
    for key in COLOUR_PROPS:
        if not HEX_COLOUR.match(str(props[key])):
            raise ToolError(f"The {key} colour must look like #rrggbb, not {props[key]!r}.")
    if props["template"] not in TEMPLATE_LABELS:
        raise ToolError(
            f"There is no {props['template']!r} template; there are: "
            + ", ".join(TEMPLATE_LABELS.values())
            + "."
        )
    if props["font"] not in FONTS:
        raise ToolError(f"Unknown font {props['font']!r}; choose one of: {', '.join(FONTS)}.")
    speed = props["speed"]
    if isinstance(speed, bool) or not isinstance(speed, int | float):
        raise ToolError("The speed must be a number.")
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ToolError(f"The speed must be between {MIN_SPEED} and {MAX_SPEED}.")
    if not isinstance(props["items"], list) or not all(isinstance(i, str) for i in props["items"]):
        raise ToolError("The items must be a list of texts.")
    for key in ("title", "subtitle"):
        if not isinstance(props[key], str):
            raise ToolError(f"The {key} must be text.")
    return props


def get_scene(project: Project, scene_id: int) -> Scene:
    try:
        return project.scenes.get(id=scene_id)
    except (Scene.DoesNotExist, ValueError, TypeError):
        raise ToolError("That scene does not exist any more.") from None


def scene_name(props: dict) -> str:
    """What the scene list calls it: its kind and its text (a list's items when untitled)."""
    label = TEMPLATE_LABELS[props["template"]].capitalize()
    text = props["title"] or ", ".join(props["items"]) or "untitled"
    return f"{label}: {text}"[:120]


def set_code(scene: Scene, fps: int, code: str | None) -> None:
    """Give the scene its code after a change to its props or duration.

    `code` (from a model) is checked and kept, and marks the scene as having
    its own code. Without it, a template scene is drawn again from its props
    (animation timings follow the duration), and a scene with its own code
    keeps that code as it is.
    """
    if code is not None:
        scene.code = check_scene_code(code)
        scene.custom_code = True
    elif not scene.custom_code:
        scene.code = render_scene_code(scene.props, scene.duration_frames, fps)


def add_scene(
    project: Project, *, props: dict, duration_frames: int = 150, code: str | None = None
) -> Scene:
    """Add a scene at the end. Its code is rendered from the props, or, when a
    model wrote it, `code` as given (checked first; the props still name it)."""
    props = check_props(scene_props(**props))
    count = project.scenes.count()
    if count >= settings.CHATVIDEO_MAX_SCENES:
        scenes = "1 scene" if count == 1 else f"{count} scenes"
        raise ToolError(f"This project has {scenes}, the most it can hold; delete some first.")
    scene = Scene(
        project=project,
        order=count + 1,
        name=scene_name(props),
        duration_frames=check_duration(project, duration_frames),
        props=props,
    )
    set_code(scene, project.fps, code)
    scene.save()
    return scene


def edit_scene(
    project: Project, *, scene_id: int, props: dict | None = None, code: str | None = None
) -> Scene:
    """Change the props given (the others stay) and, with `code`, the code.

    Without `code`, the scene is drawn again from its template and new props,
    even when a model had written its code: that code cannot follow the new
    props, and the user asked for a picture that does.
    """
    scene = get_scene(project, scene_id)
    scene.props = check_props(scene_props(**{**scene.props, **(props or {})}))
    scene.name = scene_name(scene.props)
    if code is None and props:
        scene.custom_code = False
    set_code(scene, project.fps, code)
    scene.save()
    return scene


def trim_scene(
    project: Project, *, scene_id: int, duration_frames: int, code: str | None = None
) -> Scene:
    """Change how long the scene lasts. A template scene is drawn again for
    the new length; a scene with its own code keeps it unless `code` is sent."""
    scene = get_scene(project, scene_id)
    scene.duration_frames = check_duration(project, duration_frames)
    set_code(scene, project.fps, code)
    scene.save()
    return scene


def delete_scene(project: Project, *, scene_id: int) -> None:
    scene = get_scene(project, scene_id)
    scene.delete()
    # Close the gap so scene numbers stay 1..n, as the user sees them.
    project.scenes.filter(order__gt=scene.order).update(order=F("order") - 1)


def undo(project: Project) -> Scene | None:
    """Put the scenes back as they were before the latest change.

    The undo is itself recorded as a change, like any tool's, so undoing an
    undo redoes.
    """
    message_id = last_change_message_id(project)
    if message_id is None:
        raise ToolError("There is nothing to undo yet.")
    touched = None
    for change in SceneChange.objects.filter(message_id=message_id).order_by("-id"):
        if change.before is None:
            project.scenes.filter(id=change.scene_id).delete()
        else:
            scene, _ = Scene.objects.update_or_create(
                id=change.scene_id, project=project, defaults=change.before
            )
            touched = touched or scene
    return touched


TOOLS = {
    "undo": undo,
    "add_scene": add_scene,
    "edit_scene": edit_scene,
    "delete_scene": delete_scene,
    "trim_scene": trim_scene,
}


def apply_tool(project: Project, tool: str, args: dict) -> Scene | None:
    """Run one tool; returns the scene it touched (None after a delete)."""
    try:
        return TOOLS[tool](project, **args)
    except TypeError as exc:
        raise ToolError(f"The {tool} tool was called with the wrong arguments ({exc}).") from exc
