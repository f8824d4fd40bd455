"""Stored events get gap-free ids per project, however many publish at once.

Pushpin passes an event on to held streams only when its previous id is the
last one they had, and a page resuming from Last-Event-ID replays what was
stored after it; a gap or a repeat would make pages re-fetch or miss an
event. EventStorage takes each id with one UPDATE of the channel's counter
(messages_app/event_storage.py); these publish from many connections at once
and read back what a reconnecting page would be sent.
"""

import json
import threading

import pytest
from django.db import connection, connections, transaction
from django_eventstream.models import EventCounter

from messages_app.event_storage import EventStorage
from messages_app.events import project_channel, send_project_event

PUBLISHERS, EACH = 6, 10


def replay(channel: str) -> list[dict]:
    """The (id, data) of what a page resuming from id 0 is sent, in order."""
    events = EventStorage().get_events(channel, 0, limit=1000)
    # Stored as the app publishes it: its JSON text.
    return [(event.id, json.loads(event.data)) for event in events]


@pytest.mark.django_db(transaction=True)
def test_events_published_at_once_from_many_connections_replay_all_in_order(project):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite takes one writer at a time)")
    channel = project_channel(project.id)
    send_project_event(project.id, "chat", {"first": True})  # the channel's counter exists
    start = threading.Barrier(PUBLISHERS)

    def publish(publisher: int) -> None:
        try:
            start.wait()
            for n in range(EACH):
                with transaction.atomic():
                    send_project_event(project.id, "chat", {"publisher": publisher, "n": n})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(p,)) for p in range(PUBLISHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    events = replay(channel)
    assert [event_id for event_id, _ in events] == list(range(1, PUBLISHERS * EACH + 2))
    assert EventCounter.objects.get(name=channel).value == PUBLISHERS * EACH + 1
    sent = [data for _, data in events[1:]]
    # Each publisher's events in its own order, none lost or repeated.
    for publisher in range(PUBLISHERS):
        mine = [data["n"] for data in sent if data["publisher"] == publisher]
        assert mine == list(range(EACH))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_no_gap(project):
    channel = project_channel(project.id)
    send_project_event(project.id, "chat", {"n": 1})

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        send_project_event(project.id, "chat", {"n": "rolled back"})
        raise Undone
    send_project_event(project.id, "chat", {"n": 2})

    assert replay(channel) == [(1, {"n": 1}), (2, {"n": 2})]
