"""Whole-project writes that reach into the scenes: duplicating, changing format.

They live here, not in projects/, because imports run one way (scenes use
projects, never the other way round).
"""

from django.db import transaction

from projects.models import Project

from .models import Scene, SceneChange
from .timing import frames_at


def do_duplicate_project(project: Project, title: str) -> Project:
    """A copy of the project with its scenes, in one transaction.

    The chat is not copied: it is the history of how the original was made,
    and undo in the copy would otherwise revert changes it never had.
    """
    with transaction.atomic():
        copy = Project.objects.create(
            owner=project.owner,
            title=title,
            fps=project.fps,
            width=project.width,
            height=project.height,
        )
        Scene.objects.bulk_create(
            Scene(
                project=copy,
                order=scene.order,
                name=scene.name,
                duration_frames=scene.duration_frames,
                code=scene.code,
                custom_code=scene.custom_code,
                props=scene.props,
            )
            for scene in project.scenes.order_by("order", "id")
        )
    return copy


def do_change_project(project: Project, *, title: str, width: int, height: int, fps: int) -> None:
    """Rename the project and set its size and rate, in one transaction.

    A new rate keeps every scene's seconds: durations are rescaled like an
    export at another rate does, and so is the undo history, so undoing a
    later change does not bring back a length counted at the old rate.
    """
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(id=project.id)
        old_fps = locked.fps
        if fps != old_fps:
            scenes = list(locked.scenes.all())
            for scene in scenes:
                scene.duration_frames = frames_at(scene.duration_frames, old_fps, fps)
            Scene.objects.bulk_update(scenes, ["duration_frames"])
            changes = list(SceneChange.objects.filter(message__project=locked))
            for change in changes:
                for state in (change.before, change.after):
                    if state and "duration_frames" in state:
                        state["duration_frames"] = frames_at(state["duration_frames"], old_fps, fps)
            SceneChange.objects.bulk_update(changes, ["before", "after"])
        project.title, project.width, project.height, project.fps = title, width, height, fps
        project.save(update_fields=["title", "width", "height", "fps", "updated_at"])
