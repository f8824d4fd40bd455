"""A worker answers a pending reply whose task call never came.

The page's task call is the fast path: the pending message's partial POSTs
it as soon as it renders. If the tab closed right after sending, or the page
never loaded, nobody calls it; so every submit (and retry) also enqueues
this task to run a few seconds later on a `manage.py db_worker`. run_reply
claims with one conditional UPDATE, so when the page got there first (or
holds a live claim) this is a no-op.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .reply import run_reply

logger = logging.getLogger("chatvideo.reply")

# Ahead of exports waiting in the same queue: a person is waiting for this.
ORPHAN_REPLY_PRIORITY = 10


@task(priority=ORPHAN_REPLY_PRIORITY)
def answer_orphan_reply(message_id: int) -> str | None:
    message = run_reply(message_id)
    return message.status if message is not None else None


def enqueue_orphan_reply(message_id: int) -> None:
    """Queue the fallback answer (called on commit); never raises into the request."""
    run_after = timezone.now() + timedelta(seconds=settings.CHATVIDEO_ORPHAN_REPLY_SECONDS)
    try:
        answer_orphan_reply.using(run_after=run_after).enqueue(message_id)
    except Exception:
        # The page's own task call still answers it; only the fallback is missing.
        logger.exception("could not queue the fallback answer for message %s", message_id)
