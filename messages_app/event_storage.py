"""Where project events are kept for reconnecting pages, and how old ones go.

django-eventstream's DjangoModelStorage (5.3.4, pinned) deletes expired events
inside every append, one row at a time, so after a busy day the request that
published paid for the whole backlog. Here an append only inserts, and
prune_old_events, run by the periodic ``recover_messages`` command, deletes
old rows in batches.

Progress events (a streamed reply's text grew) are published but not kept:
a long reply would otherwise write one row per progress tick. A page that
reconnects re-renders the message from the database, and the final ``chat``
event of the reply is kept, so it still ends correct.
"""

import json
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django_eventstream import models
from django_eventstream.event import Event
from django_eventstream.storage import DjangoModelStorage

# Event types published but never stored (see the module docstring).
UNSTORED_PREFIX = "progress-"

# True while an open page's event stream reads storage (messages_app/stream.py
# sets it). django-eventstream reads in the request's own thread, which lives
# as long as the stream, so without this every open page would keep a
# database connection (a pooled one included) until it closes.
stream_reads = ContextVar("stream_reads", default=False)


def _release_after_stream_read() -> None:
    if stream_reads.get() and not connection.in_atomic_block:
        connection.close()  # with a pool, this hands the connection back


class EventStorage(DjangoModelStorage):
    """DjangoModelStorage whose append neither trims nor keeps progress events."""

    def append_event(self, channel: str, event_type: str, data: str) -> Event:
        if event_type.startswith(UNSTORED_PREFIX):
            # send_event needs an integer id (it computes id - 1), and the
            # stream view drops the channel from the ids it sends after an
            # event without one, so later events would go out without an id.
            # The channel's current id keeps both working: a page resuming
            # from it replays exactly what was stored after it (at worst one
            # repeated event, which only re-renders).
            return Event(channel, event_type, data, id=self.get_current_id(channel))
        # A savepoint: a failed insert must not break a transaction around us.
        with transaction.atomic():
            db_event = models.Event(
                channel=channel, type=event_type, data=json.dumps(data, cls=DjangoJSONEncoder)
            )
            db_event.save()
        return Event(channel, event_type, data, id=db_event.eid)

    # The two reads the library's stream makes; each is its last use of the
    # database before it waits for the next event.
    def get_events(self, channel: str, last_id: int, limit: int = 100) -> list[Event]:
        try:
            return super().get_events(channel, last_id, limit=limit)
        finally:
            _release_after_stream_read()

    def get_current_id(self, channel: str) -> int:
        try:
            return super().get_current_id(channel)
        finally:
            _release_after_stream_read()


def prune_old_events(older_than: timedelta | None = None, batch: int = 1000) -> int:
    """Delete stored events older than `older_than` (default: the retention setting).

    Deletes at most `batch` rows per statement, oldest first, so no single
    statement holds locks for long. Returns how many rows were deleted. A
    page resuming from a pruned event gets ``stream-reset`` and re-renders
    from the database.
    """
    if older_than is None:
        older_than = timedelta(hours=settings.CHATVIDEO_EVENT_RETENTION_HOURS)
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        ids = list(
            models.Event.objects.filter(created__lt=cutoff)
            .order_by("id")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return deleted
        deleted += models.Event.objects.filter(id__in=ids).delete()[0]
        if len(ids) < batch:
            return deleted
