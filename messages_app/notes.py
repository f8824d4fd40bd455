"""Where a scene control becomes a chat note: the scene list's move, duplicate and delete.

A control runs the same tool as the chat would, recorded in the scene history
against a short assistant note ("Moved scene 3 to position 1."), so the chat
stays the history of the video and the chat's Undo reverts a control like any
reply. The note, the change and their events land together or not at all.
"""

from django.db import transaction
from django.utils import timezone

from projects.models import Project
from scenes.errors import ToolError
from scenes.history import recording_changes
from scenes.models import Scene
from scenes.tools import apply_tool, get_scene

from .events import publish_message, publish_scenes
from .models import Message
from .ratelimit import lock_user

# The tools the scene list runs, each with its note: (scene before, scene after) -> text.
NOTES = {
    "move_scene": lambda before, after: f"Moved scene {before.order} to position {after.order}.",
    "duplicate_scene": lambda before, after: (
        f"Duplicated scene {before.order} as scene {after.order}."
    ),
    "delete_scene": lambda before, after: (
        f"Deleted scene {before.order} ({before.name}). Undo brings it back."
    ),
}
# Said when a control would change nothing (a move to where the scene is).
UNCHANGED = "Scene {order} is already there; nothing changed."


def control_scene(project: Project, tool: str, *, scene_id: int, **args) -> Message:
    """Run one scene control and note it in the chat; returns the note.

    Raises ToolError (a sentence for the user) when the scene or the
    arguments are wrong; then nothing is written and nothing is published.
    """
    if tool not in NOTES:
        raise ToolError(f"The scene list has no {tool!r} control.")
    with transaction.atomic():
        # The owner's lock keeps message positions gap-free, as a submit does;
        # the project's serialises scene changes, as a reply's does.
        lock_user(project.owner_id)
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = get_scene(project, scene_id)
        note = Message.objects.create(
            project=project,
            seq=project.messages.last_seq() + 1,
            role=Message.Role.ASSISTANT,
            status=Message.Status.SUCCESS,
            content="",
            tool=tool,
        )
        with recording_changes(project, note):
            touched = apply_tool(project, tool, {"scene_id": scene_id, **args})
        if not note.scene_changes.exists():
            # Rolls the note back: a note Undo would skip says nothing true.
            raise ToolError(UNCHANGED.format(order=before.order))
        after = touched if isinstance(touched, Scene) else before
        note.content = NOTES[tool](before, after)
        note.scene = touched if isinstance(touched, Scene) else None
        note.save(update_fields=["content", "scene", "updated_at"])
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
        # Stored in this transaction, sent once it commits (events.py).
        publish_scenes(project.pk)
        publish_message(note)
    return note
