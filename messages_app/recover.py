"""Giving up on replies nobody finished, so no dots spin forever."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chatvideo.durations import describe_duration
from chatvideo.task_rows import fail_dead_rows, first_arg

from .events import publish_message
from .models import Message
from .tasks import answer_orphan_reply


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


def fail_dead_reply_tasks(now=None) -> list[str]:
    """Mark answer_orphan_reply rows left RUNNING by a dead worker FAILED; returns their ids.

    django-tasks-db never ends the row of a worker that was killed. A row is
    dead once it started more than a claim lease ago and its reply is not
    pending under a live claim (a runner that is alive renews it); the reply
    itself is left to the page's re-trigger and give_up_stale_replies.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CHATVIDEO_CLAIM_LEASE_SECONDS)
    held = Message.objects.filter(
        id=first_arg(outer=True), status=Message.Status.PENDING, claimed_at__gte=cutoff
    )
    return fail_dead_rows(
        answer_orphan_reply,
        started_before=cutoff,
        held=held,
        reason=(
            "The worker answering this reply stopped (killed or out of memory) before it "
            "finished. The reply is answered by its page, or ended in error by recover_messages."
        ),
        now=now,
    )
