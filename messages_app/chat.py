"""What the chat shows: the same context for the first page load and every re-render.

The page holds a window of the chat, the newest CHAT_WINDOW messages; older
ones are loaded a window at a time when the reader scrolls up, and newer ones
are appended as events name them. So a page costs the same to render however
long the chat is.
"""

import uuid

from projects.models import Project
from scenes.history import last_change_message_id, undo_target

from .models import Message

CHAT_WINDOW = 50


def chat_context(project: Project, before: int | None = None) -> dict:
    """The newest CHAT_WINDOW messages, or the ones before position `before`.

    `earlier_seq` is the position of the first message shown when there are
    older ones, for the "Earlier messages" loader; None when this is the start.
    """
    messages = project.messages.all()
    if before is not None:
        messages = messages.filter(seq__lt=before)
    # One more than shown tells whether there are older ones, in the same query.
    newest_first = list(messages.order_by("-seq")[: CHAT_WINDOW + 1])
    window = newest_first[:CHAT_WINDOW][::-1]
    has_earlier = len(newest_first) > CHAT_WINDOW
    return {
        **_actions(project),
        "project": project,
        "chat_messages": window,
        "earlier_seq": window[0].seq if has_earlier else None,
    }


def newer_context(project: Project, after: int) -> dict | None:
    """The messages after position `after`, oldest first; None if more than a window.

    A page that missed that many is better served a fresh window than a long append.
    """
    newer = list(project.messages.filter(seq__gt=after).order_by("seq")[: CHAT_WINDOW + 1])
    if len(newer) > CHAT_WINDOW:
        return None
    return {**_actions(project), "project": project, "chat_messages": newer}


def message_context(message: Message) -> dict:
    """For one message (its partial, or its body), with the same buttons as in the list."""
    return {**_actions(message.project), "message": message}


def _actions(project: Project) -> dict:
    target = undo_target(project)
    return {
        # The Undo button goes on the latest message that changed a scene; a
        # fresh key per render makes a double click send one undo.
        "undo_message_id": last_change_message_id(project),
        "undo_key": uuid.uuid4(),
        # An undo of an undo redoes: the button says which it will do.
        "undo_redoes": bool(target and target[1]),
    }
