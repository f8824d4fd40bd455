"""Where an export is requested: the one function the view and the command call."""

import uuid

from django.db import IntegrityError, transaction

from projects.models import Project
from scenes.timing import frames_at  # shared with a project changing its fps

from .events import publish_export
from .models import Export
from .tasks import enqueue_export

MAX_WIDTH, MAX_HEIGHT = 3840, 2160
MIN_SIDE = 16
MIN_FPS, MAX_FPS = 1, 60


class ExportRefused(Exception):
    """The export cannot be made as asked; str(exc) says why, for a person."""


def check_format(width: int, height: int, fps: int) -> None:
    """Refuse sizes and rates the renderer and H.264 players cannot take."""
    # 3840×2160 at most, either way up (a portrait video may be 2160×3840).
    long_side, short_side = max(width, height), min(width, height)
    if not (MIN_SIDE <= short_side <= MAX_HEIGHT and long_side <= MAX_WIDTH):
        raise ExportRefused(
            f"The size {width}×{height} is out of bounds: "
            f"from {MIN_SIDE}×{MIN_SIDE} up to {MAX_WIDTH}×{MAX_HEIGHT}."
        )
    if width % 2 or height % 2:
        # yuv420p H.264, which every player plays, needs even sides.
        raise ExportRefused(f"The size {width}×{height} must have even width and height.")
    if not MIN_FPS <= fps <= MAX_FPS:
        raise ExportRefused(f"{fps} fps is out of bounds: from {MIN_FPS} to {MAX_FPS}.")


def request_export(
    project: Project,
    client_key: uuid.UUID | None = None,
    *,
    width: int | None = None,
    height: int | None = None,
    fps: int | None = None,
    enqueue: bool = True,
) -> Export:
    """Create a queued export of the project's scenes as they are now, or find the one for this key.

    The snapshot is taken in one transaction under the project's row lock,
    the lock every scene change takes, so it is one consistent state of the
    scenes. The render task is enqueued after commit (a worker never sees a
    row that was rolled back); `enqueue=False` is for the command, which
    renders it itself. A repeated client key returns the first export.
    Raises ExportRefused when there is nothing to export or the format is
    out of bounds; then nothing is written.
    """
    width = project.width if width is None else width
    height = project.height if height is None else height
    fps = project.fps if fps is None else fps
    check_format(width, height, fps)
    try:
        with transaction.atomic():
            Project.objects.select_for_update().filter(pk=project.pk).first()
            if client_key is not None:
                earlier = Export.objects.filter(project=project, client_key=client_key).first()
                if earlier is not None:
                    return earlier
            scenes = [
                {
                    "order": scene.order,
                    "name": scene.name,
                    "duration_frames": frames_at(scene.duration_frames, project.fps, fps),
                    "code": scene.code,
                }
                for scene in project.scenes.order_by("order", "id")
            ]
            if not scenes:
                raise ExportRefused(
                    "This project has no scenes yet, so there is nothing to export. "
                    "Ask for a scene in the chat first."
                )
            export = Export.objects.create(
                project=project,
                snapshot={"width": width, "height": height, "fps": fps, "scenes": scenes},
                width=width,
                height=height,
                fps=fps,
                frames_total=sum(scene["duration_frames"] for scene in scenes),
                client_key=client_key,
            )
            if enqueue:
                transaction.on_commit(lambda: enqueue_export(export))
            transaction.on_commit(lambda: publish_export(project.pk, export.pk))
    except IntegrityError:
        # Two requests with one key raced past the lookup; the first one's row won.
        earlier = Export.objects.filter(project=project, client_key=client_key).first()
        if earlier is None:
            raise
        return earlier
    return export
