"""Giving up on replies nobody finished, so no dots spin forever."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chatvideo.durations import describe_duration

from .events import publish_message
from .models import Message


def give_up_stale_replies(now=None) -> list[int]:
    """Mark pending replies older than the hard limit as error; returns their ids.

    A reply counts from when it last became pending (a retry starts the
    clock again), and one whose runner still holds a live lease (a model
    still writing renews it) is left alone. Each row is changed with its own
    conditional UPDATE, so a runner that finishes at the same moment either
    lands first (and the row is skipped) or finds its claim gone and rolls
    its scene change back.
    """
    now = now or timezone.now()
    limit = settings.CHATVIDEO_HARD_LIMIT_SECONDS
    reason = (
        f"No answer after {describe_duration(limit)}, so this request was stopped. "
        "Nothing was changed; press Retry to try again."
    )
    stale = Message.objects.stale(now)
    given_up = []
    for message in stale.only("id", "project_id"):
        with transaction.atomic():
            updated = stale.filter(id=message.id).end_in_error(reason, now)
            if updated:
                message.status = Message.Status.ERROR
                transaction.on_commit(lambda m=message: publish_message(m))
                given_up.append(message.id)
    return given_up
