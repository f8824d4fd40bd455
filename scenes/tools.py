"""Where a tool changes a scene: add, edit, delete, trim.

Each tool validates its arguments and raises ToolError with a sentence a
person can act on; callers run it inside the transaction that also marks the
message done, so a scene change and its message's status land together.
"""

import re

from django.db.models import F

from projects.models import Project

# ToolError lives in scenes.check (which raises it too); import it from here.
from .check import ToolError, check_scene_code
from .history import last_change_message_id
from .models import Scene, SceneChange
from .render import FONTS, MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS, render_scene_code, scene_props

MAX_SECONDS = 600
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
COLOUR_PROPS = ("background", "color", "accent")


def max_frames(project: Project) -> int:
    return project.fps * MAX_SECONDS


def check_duration(project: Project, duration_frames: int) -> int:
    if not isinstance(duration_frames, int) or isinstance(duration_frames, bool):
        raise ToolError("The duration must be a whole number of frames.")
    if not 1 <= duration_frames <= max_frames(project):
        raise ToolError(
            f"A scene lasts from 1 frame to {MAX_SECONDS // 60} minutes "
            f"({max_frames(project)} frames at {project.fps} fps); "
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
    label = TEMPLATE_LABELS[props["template"]].capitalize()
    return f"{label}: {props['title'] or 'untitled'}"[:120]


def add_scene(
    project: Project, *, props: dict, duration_frames: int = 150, code: str | None = None
) -> Scene:
    """Add a scene at the end. Its code is rendered from the props, or, when a
    model wrote it, `code` as given (checked first; the props still name it)."""
    props = check_props(scene_props(**props))
    duration_frames = check_duration(project, duration_frames)
    return Scene.objects.create(
        project=project,
        order=project.scenes.count() + 1,
        name=scene_name(props),
        duration_frames=duration_frames,
        props=props,
        code=(
            check_scene_code(code)
            if code is not None
            else render_scene_code(props, duration_frames, project.fps)
        ),
    )


def edit_scene(
    project: Project, *, scene_id: int, props: dict | None = None, code: str | None = None
) -> Scene:
    scene = get_scene(project, scene_id)
    scene.props = check_props(scene_props(**{**scene.props, **(props or {})}))
    scene.name = scene_name(scene.props)
    if code is not None:
        scene.code = check_scene_code(code)
    else:
        scene.code = render_scene_code(scene.props, scene.duration_frames, project.fps)
    scene.save()
    return scene


def trim_scene(
    project: Project, *, scene_id: int, duration_frames: int, code: str | None = None
) -> Scene:
    scene = get_scene(project, scene_id)
    scene.duration_frames = check_duration(project, duration_frames)
    # Animation timings depend on the duration, so the code follows it: rendered
    # again from the props, or, for a model-written scene, the code it sends.
    if code is not None:
        scene.code = check_scene_code(code)
    else:
        scene.code = render_scene_code(scene.props, scene.duration_frames, project.fps)
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
