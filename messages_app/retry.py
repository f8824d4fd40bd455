"""Retry: an errored reply goes back to pending, in the same row."""

from django.db import transaction
from django.utils import timezone

from .events import publish_message
from .models import PENDING_TEXT, Message


def reopen_reply(message: Message) -> bool:
    """Put an errored assistant message back to pending, to be answered again.

    One conditional UPDATE, so two clicks reopen it once. A failed reply
    changed no scene (the change and the status land together), so running it
    again is safe. Returns False when the message was not in error.
    """
    with transaction.atomic():
        reopened = Message.objects.filter(
            id=message.id, role=Message.Role.ASSISTANT, status=Message.Status.ERROR
        ).update(
            status=Message.Status.PENDING,
            content=PENDING_TEXT,
            error="",
            tool="",
            claimed_at=None,
            claim_token=None,
            updated_at=timezone.now(),
        )
        if reopened:
            transaction.on_commit(lambda: publish_message(message))
    if reopened:
        message.refresh_from_db()
    return bool(reopened)
