"""What the assistant is told about a pending reply: the project, its scenes
and the chat so far, read from the database here so the assistant never
imports the chat.
"""

from collections.abc import Callable

from assistant.decision import BrainContext

from .models import Message

HISTORY_LENGTH = 20


def build_context(reply: Message, **callbacks: Callable) -> BrainContext:
    """`callbacks` are BrainContext's on_text and keep_alive."""
    project = reply.project
    history = list(
        Message.objects.filter(project=project, seq__lt=reply.in_reply_to.seq).order_by("-seq")[
            :HISTORY_LENGTH
        ]
    )
    history.reverse()
    return BrainContext(
        project=project,
        scenes=list(project.scenes.order_by("order")),
        history=history,
        text=reply.in_reply_to.content,
        **callbacks,
    )
