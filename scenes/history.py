"""Scene history: what each message changed (the undo tool reads it).

Changes are found by comparing the project's scenes before and after a tool
runs, so every tool is recorded the same way without knowing about history.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from messages_app.models import Message
from projects.models import Project

from .models import SceneChange

SNAPSHOT_FIELDS = ("order", "name", "duration_frames", "code", "custom_code", "props")


def snapshot(project: Project) -> dict[int, dict]:
    return {
        row["id"]: {field: row[field] for field in SNAPSHOT_FIELDS}
        for row in project.scenes.values("id", *SNAPSHOT_FIELDS)
    }


@contextmanager
def recording_changes(project: Project, message) -> Iterator[None]:
    """Record, for `message`, every scene change made inside the block."""
    before = snapshot(project)
    yield
    after = snapshot(project)
    changes = []
    for scene_id in sorted(before.keys() | after.keys()):
        old, new = before.get(scene_id), after.get(scene_id)
        if old == new:
            continue
        if old is None:
            operation = SceneChange.Operation.ADD
        elif new is None:
            operation = SceneChange.Operation.DELETE
        else:
            operation = SceneChange.Operation.EDIT
        changes.append(
            SceneChange(
                message=message, scene_id=scene_id, operation=operation, before=old, after=new
            )
        )
    SceneChange.objects.bulk_create(changes)


def changed_by(project: Project):
    """The project's messages that changed a scene, latest first."""
    return (
        Message.objects.filter(project=project, scene_changes__isnull=False)
        .distinct()
        .order_by("-seq")
    )


def last_change_message_id(project: Project) -> int | None:
    """The latest message in the project that changed any scene (what undo reverts)."""
    return changed_by(project).values_list("id", flat=True).first()


def describe_undo(project: Project) -> str | None:
    """What "undo" would do now, in words; None when there is nothing to undo.

    Undo reverts the latest change; when that change was itself an undo, it
    redoes what that one reverted, and so on down a run of undos.
    """
    redoing = False
    for message in changed_by(project).iterator():
        if message.tool != "undo":
            return f"{'Redid' if redoing else 'Undid'}: \u201c{message.content}\u201d"
        redoing = not redoing
    return None
