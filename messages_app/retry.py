"""Retry: an errored reply goes back to pending, in the same row."""

from django.db import transaction
from django.utils import timezone

from .events import publish_message
from .models import Message
from .ratelimit import check_rate_limit, lock_user
from .tasks import enqueue_orphan_reply


def reopen_reply(message: Message, *, per_minute: int = 0) -> bool:
    """Put an errored assistant message back to pending, to be answered again.

    One conditional UPDATE, so two clicks reopen it once. A failed reply
    changed no scene (the change and the status land together), so running it
    again is safe. A retry starts a reply like a submit does, so it counts
    against the same rate limit (raises RateLimited). Returns False when the
    message was not in error.
    """
    with transaction.atomic():
        lock_user(message.project.owner_id)
        check_rate_limit(message.project.owner_id, per_minute)
        now = timezone.now()
        reopened = Message.objects.filter(id=message.id).reopen(now)
        if not reopened:
            return False
        message.refresh_from_db()
        publish_message(message)  # stored now, sent on commit (events.py)
        transaction.on_commit(lambda: enqueue_orphan_reply(message.id))
    return True
