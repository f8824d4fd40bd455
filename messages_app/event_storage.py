"""Where project events are kept for reconnecting pages, and how old ones go.

django-eventstream's DjangoModelStorage (5.3.4, pinned) deletes expired events
inside every append, one row at a time, so after a busy day the request that
published paid for the whole backlog. Here an append only inserts, and
prune_old_events, run by the periodic ``recover_messages`` command, deletes
old rows in batches. An append also takes the channel's next id with one
UPDATE ... RETURNING instead of the library's four statements: the event is
stored in the submit's transaction, and each round trip there delays the
publish (benchmarks/event_store.py).

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
        # A savepoint: a failed insert must not break a transaction around us
        # (and undoes the counter's step with it).
        with transaction.atomic():
            db_event = models.Event(
                channel=channel, type=event_type, data=json.dumps(data, cls=DjangoJSONEncoder)
            )
            db_event.eid = _next_eid(channel) or 0
            # With eid set, save() is one INSERT; without (a channel's first
            # event), the library's path makes the counter and its id-0 row.
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


def _next_eid(channel: str) -> int | None:
    """The channel's next event id, from one UPDATE of its counter; None if it has none yet.

    The library's save() takes it in four statements (the counter read, a
    savepoint, the counter read FOR UPDATE, its update after the insert),
    each a round trip inside the submit's transaction, before the event can
    be published. One UPDATE ... RETURNING takes the same row lock (a
    concurrent append waits for this transaction, then reads the new value),
    so ids stay gap-free per channel, which Pushpin's prev-id check needs.
    A counter still at 0 (made by a read) is left to the library, which also
    inserts the channel's id-0 row then.
    """
    table = connection.ops.quote_name(models.EventCounter._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    update = f"UPDATE {table} SET value = value + 1, updated = %s WHERE name = %s AND value > 0"
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:  # UPDATE ... RETURNING too
            cursor.execute(update + " RETURNING value", [now, channel])
            row = cursor.fetchone()
            return row[0] if row else None
        cursor.execute(update, [now, channel])
        if not cursor.rowcount:
            return None
        cursor.execute(f"SELECT value FROM {table} WHERE name = %s", [channel])
        return cursor.fetchone()[0]


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
