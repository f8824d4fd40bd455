"""Events over Pushpin's ZeroMQ PUSH socket (PUSHPIN_PUSH_SPEC), as the README's production setup.

The flows of test_pushpin.py again, with daphne (and this process) sending
events to Pushpin's push_in_spec. Nothing listens on GRIP_URL's control port
here, so every event a page hears came over the socket. And a publish while
Pushpin is away neither waits for it nor loses the stored event.
"""

import time

import pytest
from django_eventstream.models import Event as EventRow

from messages_app.events import project_channel, send_project_event

from . import test_pushpin
from .pushpin import free_port


class PushChatTests(test_pushpin.PushpinTestCase):
    push = True
    test_a_reply_reaches_another_open_tab_through_pushpin = (
        test_pushpin.PushpinChatTests.test_a_reply_reaches_another_open_tab_through_pushpin
    )
    wait_for_pushpin_log = test_pushpin.PushpinChatTests.wait_for_pushpin_log


class PushStreamTests(test_pushpin.PushpinTestCase):
    push = True
    test_a_reconnect_with_last_event_id_replays_what_it_missed = (
        test_pushpin.PushpinStreamTests.test_a_reconnect_with_last_event_id_replays_what_it_missed
    )
    test_a_reply_s_progress_reaches_a_held_stream_and_later_events_keep_their_ids = test_pushpin.PushpinStreamTests.test_a_reply_s_progress_reaches_a_held_stream_and_later_events_keep_their_ids  # noqa: E501


@pytest.mark.django_db(transaction=True)
def test_a_publish_while_pushpin_is_away_returns_at_once_and_keeps_the_event(
    project, settings, monkeypatch, caplog
):
    """Sends queue for Pushpin, a few (SEND_QUEUE), then fail and are logged; none waits."""
    settings.GRIP_URL = "http://127.0.0.1:9?iss=pushpin&key=k"
    settings.PUSHPIN_PUSH_SPEC = f"tcp://127.0.0.1:{free_port()}"  # nobody listens
    monkeypatch.setattr("messages_app.pushpin_push.SEND_QUEUE", 5)
    started = time.monotonic()
    for n in range(30):
        send_project_event(project.id, "chat", {"message_id": n, "status": "pending"})
    assert time.monotonic() - started < 5
    assert "could not publish chat" in caplog.text
    stored = EventRow.objects.filter(channel=project_channel(project.id), eid__gt=0)
    assert stored.count() == 30
