"""A worker answers a pending reply whose task call never came.

The page's task call is the fast path: the pending message's partial POSTs
it as soon as it renders. If the tab closed right after sending, or the page
never loaded, nobody calls it; so every submit (and retry) also enqueues
this task to run a few seconds later on a `manage.py db_worker`. Claims are
one conditional UPDATE, so when the page got there first (or a runner holds
a live claim) this is a no-op.

The worker keeps the page's rules for one user (messages_app/runners.py):
while the user already has CHATVIDEO_REPLIES_PER_USER replies running
anywhere (claimed, with a live lease, or finished a moment ago), it claims
nothing and queues itself to check again a few seconds later; and when it
does step in, it answers the user's oldest waiting reply first. So it takes
over only when the user's own runners are not busy (the daphne holding the
queue died, or the tab closed before its task call), and cannot jump that
user's queue. The repeats end when the reply is answered, retried (the
retry queues its own task) or past the hard limit.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .claim import claim_message
from .models import Message
from .ratelimit import lock_user
from .reply import answer_claimed

logger = logging.getLogger("chatvideo.reply")

# Ahead of exports waiting in the same queue: a person is waiting for this.
ORPHAN_REPLY_PRIORITY = 10

# What the task returns when it left the reply for later (it queued itself again).
WAITING = "waiting"

# A reply that finished this recently still counts as running: the daphne
# runner that answered it takes the user's next waiting reply within
# milliseconds, and a worker looking in between must not take that place.
HANDOFF_SECONDS = 1.0


@task(priority=ORPHAN_REPLY_PRIORITY)
def answer_orphan_reply(message_id: int, pending_since: str | None = None) -> str | None:
    """Answer the reply's user's oldest waiting reply, unless their runners are busy.

    Returns the reply's status once answered here, WAITING when it queued
    itself to look again, and None when there is nothing left to do: the
    reply was answered, a runner holds it, or it is past the hard limit
    (recover_messages gives up on it). `pending_since` ties the repeats to
    one submit or retry; a retry queues a task of its own, so this one stops.
    """
    now = timezone.now()
    reply = (
        Message.objects.claimable(now)
        .filter(id=message_id)
        .values("pending_since", "project__owner_id")
        .first()
    )
    if reply is None:
        return None
    since = reply["pending_since"]
    if since is None or since < now - timedelta(seconds=settings.CHATVIDEO_HARD_LIMIT_SECONDS):
        return None
    if pending_since is not None and since.isoformat() != pending_since:
        return None

    owner_id = reply["project__owner_id"]
    with transaction.atomic():
        # Workers taking the user's turns one at a time, so two cannot both
        # see a free place under the cap and take it twice.
        lock_user(owner_id)
        target_id = next_turn(owner_id, now)
        token = claim_message(target_id) if target_id is not None else None
    if token is None:
        # At the cap (or another runner just claimed): look again later.
        check_again(message_id, since, settings.CHATVIDEO_ORPHAN_REPLY_SECONDS)
        return WAITING
    answered = answer_claimed(target_id, token)
    if target_id != message_id:
        # An older reply of the user's went first; this one is next in line.
        check_again(message_id, since, 0)
        return WAITING
    return answered.status if answered is not None else None


def next_turn(owner_id: int, now: datetime) -> int | None:
    """The user's oldest waiting reply, or None while their cap is taken.

    Taken: replies running anywhere (a live claim) and those that finished
    in the last HANDOFF_SECONDS. Waiting: pending, nobody holds it, and not
    yet past the hard limit. The oldest goes first, as in the runners' queue.
    """
    mine = Message.objects.filter(project__owner_id=owner_id)
    just_finished = mine.filter(
        role=Message.Role.ASSISTANT, updated_at__gte=now - timedelta(seconds=HANDOFF_SECONDS)
    ).exclude(status=Message.Status.PENDING)
    if mine.running(now).count() + just_finished.count() >= settings.CHATVIDEO_REPLIES_PER_USER:
        return None
    limit = now - timedelta(seconds=settings.CHATVIDEO_HARD_LIMIT_SECONDS)
    return (
        mine.claimable(now)
        .filter(pending_since__gte=limit)
        .order_by("pending_since", "id")
        .values_list("id", flat=True)
        .first()
    )


def check_again(message_id: int, pending_since: datetime, seconds: float) -> None:
    run_after = timezone.now() + timedelta(seconds=seconds)
    answer_orphan_reply.using(run_after=run_after).enqueue(message_id, pending_since.isoformat())


def enqueue_orphan_reply(message_id: int) -> None:
    """Queue the fallback answer (called on commit); never raises into the request."""
    run_after = timezone.now() + timedelta(seconds=settings.CHATVIDEO_ORPHAN_REPLY_SECONDS)
    try:
        answer_orphan_reply.using(run_after=run_after).enqueue(message_id)
    except Exception:
        # The page's own task call still answers it; only the fallback is missing.
        logger.exception("could not queue the fallback answer for message %s", message_id)
