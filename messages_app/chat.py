"""What the chat shows: the same context for the first page load and every re-render."""

import uuid

from projects.models import Project
from scenes.history import last_change_message_id


def chat_context(project: Project) -> dict:
    return {
        "project": project,
        "chat_messages": project.messages.select_related("scene"),
        # The Undo button goes on the latest message that changed a scene; a
        # fresh key per render makes a double click send one undo.
        "undo_message_id": last_change_message_id(project),
        "undo_key": uuid.uuid4(),
    }
