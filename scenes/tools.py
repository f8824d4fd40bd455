"""Where a tool changes a scene: add, edit, delete, trim, move, duplicate,
edit several, set the video's length, and several calls in a row.

Each tool validates its arguments and raises ToolError with a sentence a
person can act on; callers run it inside the transaction that also marks the
message done, so a scene change and its message's status land together.
"""

import copy
import math
import re
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F

from projects.models import Project

from .check import check_scene_code
from .errors import ToolError
from .history import last_change_message_id
from .models import Scene, SceneChange
from .render import (
    DEFAULT_PROPS,
    FONTS,
    MAX_SPEED,
    MIN_SPEED,
    TEMPLATE_LABELS,
    render_scene_code,
    scene_props,
)

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


def with_props(props: dict, changes: dict) -> dict:
    """`props` with `changes` made, checked; a prop no scene has is refused, not stored."""
    for key in changes:
        if key not in DEFAULT_PROPS:
            raise ToolError(f"A scene has no {key!r}; it has: {', '.join(DEFAULT_PROPS)}.")
    return check_props(scene_props(**{**props, **changes}))


def get_scene(project: Project, scene_id: int) -> Scene:
    # Only an int is an id: Django would read True as scene 1 and 2.9 as scene 2.
    if isinstance(scene_id, bool) or not isinstance(scene_id, int):
        raise ToolError("That scene does not exist any more.")
    try:
        return project.scenes.get(id=scene_id)
    except (Scene.DoesNotExist, ValueError, TypeError):
        raise ToolError("That scene does not exist any more.") from None


def count_scenes(count: int) -> str:
    return "1 scene" if count == 1 else f"{count} scenes"


def check_room(project: Project) -> int:
    """Refuse a new scene when the project is full; returns how many it has."""
    count = project.scenes.count()
    if count >= settings.CHATVIDEO_MAX_SCENES:
        raise ToolError(
            f"This project has {count_scenes(count)}, the most it can hold; delete some first."
        )
    return count


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
    props = with_props({}, props)
    count = check_room(project)
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
    scene.props = with_props(scene.props, props or {})
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


# --- Arranging the video: order, copies, several scenes at once, total length ---


def renumber(project: Project, scene_ids: list[int]) -> None:
    """Give the scenes orders 1..n in the order of `scene_ids` (the changed ones only)."""
    scenes = {scene.id: scene for scene in project.scenes.only("id", "order")}
    moved = []
    for order, scene_id in enumerate(scene_ids, start=1):
        scene = scenes[scene_id]
        if scene.order != order:
            scene.order = order
            moved.append(scene)
    Scene.objects.bulk_update(moved, ["order"])


def check_position(position: int, count: int) -> int:
    if isinstance(position, bool) or not isinstance(position, int):
        raise ToolError("The position must be a whole number, like 1 for the first scene.")
    if not 1 <= position <= count:
        raise ToolError(f"There is no position {position}; the video has {count_scenes(count)}.")
    return position


def move_scene(
    project: Project,
    *,
    scene_id: int,
    position: int | None = None,
    before_scene_id: int | None = None,
    after_scene_id: int | None = None,
    swap_with_scene_id: int | None = None,
) -> Scene:
    """Move a scene to a 1-based position, before or after another scene, or
    swap it with another; the others keep their order and numbers stay 1..n."""
    targets = [position, before_scene_id, after_scene_id, swap_with_scene_id]
    if sum(target is not None for target in targets) != 1:
        raise ToolError(
            "Say where the scene should go: a position, before or after another scene, "
            "or a scene to swap it with (one of them)."
        )
    scene = get_scene(project, scene_id)
    order = list(project.scenes.order_by("order", "id").values_list("id", flat=True))
    if swap_with_scene_id is not None:
        other = get_scene(project, swap_with_scene_id)
        i, j = order.index(scene.id), order.index(other.id)
        order[i], order[j] = order[j], order[i]
    elif position is not None:
        check_position(position, len(order))
        order.remove(scene.id)
        order.insert(position - 1, scene.id)
    else:
        other = get_scene(project, before_scene_id if after_scene_id is None else after_scene_id)
        if other.id == scene.id:
            raise ToolError(f"Scene {scene.order} cannot move next to itself; name another scene.")
        order.remove(scene.id)
        order.insert(order.index(other.id) + (after_scene_id is not None), scene.id)
    renumber(project, order)
    scene.refresh_from_db()
    return scene


def duplicate_scene(project: Project, *, scene_id: int) -> Scene:
    """An exact copy of the scene, right after it; the later scenes move one place on."""
    scene = get_scene(project, scene_id)
    check_room(project)
    project.scenes.filter(order__gt=scene.order).update(order=F("order") + 1)
    return Scene.objects.create(
        project=project,
        order=scene.order + 1,
        name=scene.name,
        duration_frames=scene.duration_frames,
        code=scene.code,
        custom_code=scene.custom_code,
        props=copy.deepcopy(scene.props),
    )


def edit_scenes(
    project: Project, *, props: dict, scene_ids: list[int] | None = None
) -> Scene | None:
    """The same prop changes on several scenes (every scene when `scene_ids`
    is None), each drawn again like edit_scene. All or nothing: every scene is
    checked before any is saved. Returns the scene when only one changed."""
    if not isinstance(props, dict) or not props:
        raise ToolError("Say what to change on the scenes, for example their background colour.")
    scenes = list(project.scenes.order_by("order", "id"))
    if not scenes:
        raise ToolError("There are no scenes yet.")
    if scene_ids is not None:
        if not isinstance(scene_ids, list | tuple) or not scene_ids:
            raise ToolError("Say which scenes to change, or leave them out to change every scene.")
        wanted = set()
        for scene_id in scene_ids:
            wanted.add(get_scene(project, scene_id).id)
        scenes = [scene for scene in scenes if scene.id in wanted]
    for scene in scenes:
        scene.props = with_props(scene.props, props)
    for scene in scenes:
        scene.name = scene_name(scene.props)
        scene.custom_code = False
        set_code(scene, project.fps, None)
        scene.save()
    return scenes[0] if len(scenes) == 1 else None


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights`, exactly: the floors, then one
    more each for the largest remainders (the earliest first on a tie)."""
    whole = sum(weights)
    if not weights:
        return []
    shares = [total * weight // whole for weight in weights]
    remainders = [total * weight % whole for weight in weights]
    leftover = total - sum(shares)
    for i in sorted(range(len(weights)), key=lambda i: -remainders[i])[:leftover]:
        shares[i] += 1
    return shares


def spread_frames(total: int, weights: list[int], most: int) -> list[int]:
    """`total` frames over the scenes in proportion to `weights`, each scene
    from 1 to `most` frames (the caller checked the total allows that)."""
    capped: set[int] = set()
    while True:
        free = [i for i in range(len(weights)) if i not in capped]
        rest = largest_remainder(total - most * len(capped), [weights[i] for i in free])
        shares = dict(zip(free, rest, strict=True)) | dict.fromkeys(capped, most)
        over = {i for i in free if shares[i] > most}
        if not over:
            break
        capped |= over
    frames = [shares[i] for i in range(len(weights))]
    # A very short scene may have rounded to nothing: it takes a frame from the longest.
    for i, share in enumerate(frames):
        if share == 0:
            frames[i] = 1
            frames[frames.index(max(frames))] -= 1
    return frames


def set_video_length(project: Project, *, duration_frames: int) -> None:
    """Make the whole video last `duration_frames`, spread over the scenes in
    proportion to how long each lasts now."""
    if isinstance(duration_frames, bool) or not isinstance(duration_frames, int):
        raise ToolError(WHOLE_FRAMES)
    scenes = list(project.scenes.order_by("order", "id"))
    if not scenes:
        raise ToolError("There are no scenes yet.")
    count, most = len(scenes), max_frames(project.fps)
    if duration_frames < count:
        raise ToolError(
            f"The video has {count_scenes(count)}, so it needs at least {count} frames "
            f"(one per scene); {duration_frames} is too few."
        )
    if duration_frames > count * most:
        raise ToolError(
            f"{SCENE_LENGTHS}, so {count_scenes(count)} last at most "
            f"{count * most} frames at {project.fps} fps; {duration_frames} is too many."
        )
    frames = spread_frames(duration_frames, [s.duration_frames for s in scenes], most)
    for scene, length in zip(scenes, frames, strict=True):
        if scene.duration_frames != length:
            scene.duration_frames = length
            set_code(scene, project.fps, None)
            scene.save()


TOOLS = {
    "undo": undo,
    "add_scene": add_scene,
    "edit_scene": edit_scene,
    "delete_scene": delete_scene,
    "trim_scene": trim_scene,
    "move_scene": move_scene,
    "duplicate_scene": duplicate_scene,
    "edit_scenes": edit_scenes,
    "set_video_length": set_video_length,
}


def apply_tool(project: Project, tool: str, args: dict) -> Scene | None:
    """Run one tool; returns the scene it touched (None after a delete)."""
    if tool not in TOOLS:
        raise ToolError(f"There is no {tool!r} tool; there are: {', '.join(TOOLS)}.")
    if not isinstance(args, dict):
        raise ToolError(f"The {tool} tool's arguments must be named values.")
    try:
        return TOOLS[tool](project, **args)
    except TypeError as exc:
        raise ToolError(f"The {tool} tool was called with the wrong arguments ({exc}).") from exc


class Call(Protocol):
    """A tool call (assistant.decision.ToolCall is one)."""

    tool: str
    args: dict


def apply_calls(project: Project, calls: Iterable[Call]) -> Scene | None:
    """Run the calls in order; returns the scene the last one touched.

    When there are several, a refusal says which step it was, so a person
    (or a model repairing its calls) knows which one to change.
    """
    calls = list(calls)
    if len(calls) > 1 and any(call.tool == "undo" for call in calls):
        raise ToolError("Undo works on its own; ask for it in a message without other changes.")
    scene = None
    for step, call in enumerate(calls, start=1):
        try:
            scene = apply_tool(project, call.tool, call.args)
        except ToolError as exc:
            if len(calls) == 1:
                raise
            raise ToolError(f"Step {step} ({call.tool}): {exc}") from exc
    return scene


def check_calls(project: Project, calls: Iterable[Call]) -> None:
    """Raise the ToolError the calls would end in, changing nothing.

    They run for real inside a savepoint that is always rolled back, so every
    check a tool makes (the scene code's too) is the one the reply will make.
    They first wait for the project's lock, as applying does: changing scene
    rows in their own order beside a reply or control that holds it could
    deadlock with it.
    """
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        try:
            apply_calls(project, calls)
        finally:
            transaction.set_rollback(True)
