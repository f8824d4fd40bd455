"""Open event streams end once their reader may no longer read them.

Against a real daphne. Before, access was checked once, when a stream
opened: after a project changed owner and every session was deleted, the
old owner's open stream kept receiving events.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.http import StreamingHttpResponse
from django.test import override_settings

from messages_app.events import project_channel
from messages_app.models import Message
from messages_app.stream import NO_LONGER_ALLOWED, close_when_not_allowed
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, EventStream, LiveServerTestCase, login, post_message

RECHECK_SECONDS = 1.0
# What the user would notice: the stream ends within a recheck and a margin.
ENDS_WITHIN = RECHECK_SECONDS + 2


@override_settings(CHATVIDEO_STREAM_RECHECK_SECONDS=RECHECK_SECONDS)
class StreamReauthorisationTests(LiveServerTestCase):
    def setUp(self) -> None:
        self.alice = User.objects.create_user("alice", password=PASSWORD)
        self.bob = User.objects.create_user("bob", password=PASSWORD)
        self.project = Project.objects.create(owner=self.alice, title="Launch video")
        self.project_url = f"{self.live_server_url}/{self.project.id}"
        self.session = login(self.live_server_url, "alice")
        self.addCleanup(self.session.close)

    def open_stream(self, session: requests.Session) -> EventStream:
        response = session.get(
            f"{self.project_url}/events/", stream=True, timeout=(TIMEOUT, TIMEOUT)
        )
        self.addCleanup(response.close)
        self.assertEqual(response.status_code, 200)
        stream = EventStream(response)
        stream.wait_for("stream-open")
        self.wait_until_daphne_hears_redis()
        return stream

    def assert_ends_soon(self, stream: EventStream) -> None:
        """The server ends the response within ENDS_WITHIN seconds, saying why."""
        started = time.monotonic()
        deadline = started + TIMEOUT
        try:
            while True:
                stream.next_event(deadline)
        except StopIteration:
            pass  # the server closed the response
        took = time.monotonic() - started
        self.assertLess(took, ENDS_WITHIN, f"the stream stayed open {took:.1f}s")
        error = stream.seen[-1]
        self.assertEqual(error["event"], "stream-error", stream.seen)
        self.assertEqual(json.loads(error["data"])["condition"], "forbidden")

    def test_a_stream_ends_when_the_project_changes_owner(self) -> None:
        stream = self.open_stream(self.session)

        Project.objects.filter(id=self.project.id).update(owner=self.bob)

        self.assert_ends_soon(stream)

    def test_a_stream_ends_when_its_session_logs_out_in_another_tab(self) -> None:
        stream = self.open_stream(self.session)
        other_tab = requests.Session()
        self.addCleanup(other_tab.close)
        other_tab.cookies.update(self.session.cookies)

        logout = other_tab.post(
            f"{self.live_server_url}/accounts/logout/",
            data={"csrfmiddlewaretoken": self.session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        self.assertEqual(logout.status_code, 302)

        self.assert_ends_soon(stream)

    def test_a_stream_ends_when_every_session_is_deleted(self) -> None:
        stream = self.open_stream(self.session)

        Session.objects.all().delete()

        self.assert_ends_soon(stream)

    def test_a_stream_ends_when_its_user_is_deactivated(self) -> None:
        stream = self.open_stream(self.session)

        User.objects.filter(id=self.alice.id).update(is_active=False)

        self.assert_ends_soon(stream)

    def test_a_stream_ends_when_its_user_changes_password_elsewhere(self) -> None:
        stream = self.open_stream(self.session)

        self.alice.set_password("a brand new passphrase")
        self.alice.save()

        self.assert_ends_soon(stream)

    def test_an_untouched_stream_stays_open_and_keeps_receiving_events(self) -> None:
        stream = self.open_stream(self.session)
        # Alice's other login goes away; this one is untouched.
        other_login = login(self.live_server_url, "alice")
        self.addCleanup(other_login.close)
        other_login.post(
            f"{self.live_server_url}/accounts/logout/",
            data={"csrfmiddlewaretoken": other_login.cookies["csrftoken"]},
            timeout=TIMEOUT,
        )

        # Several rechecks pass; the stream is still open and still delivers.
        time.sleep(RECHECK_SECONDS * 3.5)
        sent = post_message(self.session, self.project_url, "add a title scene that says Hi")
        self.assertEqual(sent.status_code, 200)

        chat = stream.wait_for("chat")
        reply = Message.objects.get(project=self.project, role="assistant")
        self.assertEqual(json.loads(chat["data"]), {"message_id": reply.id, "status": "pending"})
        self.assertTrue(chat["id"].startswith(f"{project_channel(self.project.id)}:"))
        self.assertNotIn("stream-error", [event["event"] for event in stream.seen])


class SlowStream:
    """Stands in for the library's stream: chunks further apart than the recheck."""

    def __init__(self, chunks: list[bytes], gap: float) -> None:
        self.chunks, self.gap = chunks, gap
        self.sent = 0
        self.cleaned_up = False

    async def __call__(self):
        try:
            for chunk in self.chunks:
                await asyncio.sleep(self.gap)
                self.sent += 1
                yield chunk
        finally:
            # The library unregisters its listener here.
            self.cleaned_up = True


def read_all(response: StreamingHttpResponse) -> list[bytes]:
    async def read() -> list[bytes]:
        return [chunk async for chunk in response]

    return asyncio.run(read())


def test_rechecks_between_slow_chunks_pass_every_chunk_through_in_order():
    source = SlowStream([b"event: keep-alive\ndata:\n\n", b"event: chat\ndata: 1\n\n"], gap=0.25)
    checks = []

    response = close_when_not_allowed(
        StreamingHttpResponse(source()), lambda: checks.append(1) or True, every=0.05
    )

    assert read_all(response) == source.chunks
    assert len(checks) >= 5  # checked while waiting, not only between chunks
    assert source.cleaned_up


def test_a_failed_recheck_ends_a_waiting_stream_and_cleans_it_up():
    source = SlowStream([b"event: chat\ndata: 1\n\n", b"never sent"], gap=0.3)

    # Allowed until the first event has gone out, then no longer.
    response = close_when_not_allowed(
        StreamingHttpResponse(source()), lambda: source.sent == 0, every=0.05
    )

    chunks = read_all(response)
    assert chunks[0] == source.chunks[0]
    assert chunks[1:] == [NO_LONGER_ALLOWED.encode()]
    assert source.cleaned_up


def test_a_recheck_that_cannot_run_ends_the_stream_so_the_page_reconnects(caplog):
    source = SlowStream([b"event: chat\ndata: 1\n\n", b"never sent"], gap=0.3)

    def database_down() -> bool:
        if source.sent:
            raise OperationalError("the database is unreachable")
        return True

    response = close_when_not_allowed(StreamingHttpResponse(source()), database_down, every=0.05)

    # No stream-error: the browser's own reconnect resumes from its last id.
    assert read_all(response) == source.chunks[:1]
    assert source.cleaned_up
    assert "Could not re-check an event stream; ending it" in caplog.text


def test_a_recheck_period_of_zero_is_refused_at_startup():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parent.parent.parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "chatvideo.settings",
            "CHATVIDEO_STREAM_RECHECK_SECONDS": "0",
        },
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "CHATVIDEO_STREAM_RECHECK_SECONDS must be more than 0" in result.stderr
