"""What the chat shows: the same context for the first page load and every re-render."""

import uuid

from projects.models import Project
from scenes.history import last_change_message_id

from .models import Message


def chat_context(project: Project) -> dict:
    """For the whole message list."""
    return {
        **_actions(project),
        "project": project,
        "chat_messages": project.messages.all(),
    }


def message_context(message: Message) -> dict:
    """For one message (its partial, or its body), with the same buttons as in the list."""
    return {**_actions(message.project), "message": message}


def _actions(project: Project) -> dict:
    return {
        # The Undo button goes on the latest message that changed a scene; a
        # fresh key per render makes a double click send one undo.
        "undo_message_id": last_change_message_id(project),
        "undo_key": uuid.uuid4(),
    }
