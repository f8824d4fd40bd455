"""Scene history: what each message changed (the undo tool reads it).

Changes are found by comparing the project's scenes before and after a tool
runs, so every tool is recorded the same way without knowing about history.
"""

from collections.abc import Iterator
from contextlib import contextmanager

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


def changes_latest_first(project: Project):
    """The project's scene changes, the latest made first.

    In the order they were made (their ids: every change is written under
    the project's lock), not their messages' places in the chat: a reply
    answered while a scene-list note was added lands after that note though
    it sits above it, and undo must revert the change that landed last, the
    only one whose "before" still describes the scenes. One message's changes
    are written together, so they stay together.

    Found through SceneChange alone (its message is only followed as a
    foreign key), so scenes never imports the chat that sends the messages.
    """
    return SceneChange.objects.filter(message__project=project).order_by("-id")


def last_change_message_id(project: Project) -> int | None:
    """The message whose scene change landed last (what undo reverts)."""
    return changes_latest_first(project).values_list("message_id", flat=True).first()


def undo_target(project: Project) -> tuple[str, bool] | None:
    """What "undo" would revert now: (the text of the message whose change it
    reverts, whether that reverting is a redo); None when there is nothing to undo.

    Undo reverts the latest change; when that change was itself an undo, it
    redoes what that one reverted, and so on down a run of undos.
    """
    redoing = False
    seen = None
    rows = changes_latest_first(project).values_list(
        "message_id", "message__tool", "message__content"
    )
    for message_id, tool, content in rows.iterator():
        if message_id == seen:
            continue
        seen = message_id
        if tool != "undo":
            return content, redoing
        redoing = not redoing
    return None


def last_touched_scene_id(project: Project) -> int | None:
    """The scene the latest change added or changed: what "it" and "that" mean.

    Of the latest changing message's changes, an added scene comes first, then
    the edited scene that moved furthest (a move shifts its neighbours by one),
    then the latest edited. None when there is no change yet or the latest
    change only deleted.
    """
    changes = changes_latest_first(project)
    latest = changes.values_list("message_id", flat=True).first()
    if latest is None:
        return None
    kept = [
        c for c in changes.filter(message_id=latest) if c.operation != SceneChange.Operation.DELETE
    ]

    def rank(change: SceneChange) -> tuple:
        moved = abs((change.after or {}).get("order", 0) - (change.before or {}).get("order", 0))
        return (change.operation == SceneChange.Operation.ADD, moved, change.id)

    return max(kept, key=rank).scene_id if kept else None
