"""The project's event stream, read from a real daphne server over HTTP.

No browser here: the test is the page's SSE connection, reading the bytes
daphne sends. It proves that a submit announces the pending reply's row id on
the project's channel, and that nobody but the owner can listen.

ChannelsLiveServerTestCase forks daphne and points it at TEST["NAME"], or, if
that is unset, at "test_" + NAME, which by then is already the test database's
name. settings.py therefore names the test database for every engine;
without that, daphne on PostgreSQL opens a database that does not exist.
"""

import json
import time
import uuid
from urllib.parse import urlsplit

import requests
from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings
from django.contrib.auth.models import User

from messages_app.models import PENDING_TEXT, Message
from projects.models import Project

from .conftest import PASSWORD

# Every wait in this file is bounded by this many seconds, so a missing event
# fails the test instead of hanging it.
TIMEOUT = 10.0


def login(base_url: str, username: str) -> requests.Session:
    """Log in through the login form, as a browser would."""
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=TIMEOUT)
    assert page.status_code == 200
    response = session.post(
        f"{base_url}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    # A failed login re-renders the form with 200; a good one redirects.
    assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
    return session


class EventStream:
    """One open SSE response, parsed into (event type, data, id) as it arrives.

    Reads happen in the calling thread with a socket read timeout, so no
    reader thread can be left blocked on the socket after the test.
    """

    def __init__(self, response: requests.Response) -> None:
        self.response = response
        self._chunks = response.iter_content(chunk_size=None, decode_unicode=True)
        self._buffer = ""
        self.seen: list[dict] = []

    def next_event(self, deadline: float) -> dict:
        fields: dict = {}
        while time.monotonic() < deadline:
            if "\n" not in self._buffer:
                # Blocks for at most the response's read timeout.
                self._buffer += next(self._chunks)
                continue
            line, self._buffer = self._buffer.split("\n", 1)
            line = line.rstrip("\r")
            if line == "":
                if "data" in fields:
                    event = {
                        "event": fields.get("event", "message"),
                        "data": fields["data"],
                        "id": fields.get("id"),
                    }
                    self.seen.append(event)
                    return event
                fields = {}
            elif line.startswith(":"):
                continue  # a comment: the stream's padding
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                fields[name] = f"{fields[name]}\n{value}" if name in fields else value
        raise AssertionError(f"no further event within {TIMEOUT}s; events so far: {self.seen}")

    def wait_for(self, event_type: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            event = self.next_event(deadline)
            if event["event"] == event_type:
                return event


class ProjectEventStreamTests(ChannelsLiveServerTestCase):
    def setUp(self) -> None:
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        User.objects.create_user("mallory", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.events_url = f"{self.live_server_url}/{self.project.id}/events/"

    def open_stream(self, session: requests.Session) -> requests.Response:
        response = session.get(self.events_url, stream=True, timeout=(TIMEOUT, TIMEOUT))
        self.addCleanup(response.close)
        return response

    def test_submit_announces_the_pending_reply_on_the_owners_stream(self) -> None:
        session = login(self.live_server_url, "alice")
        self.addCleanup(session.close)
        subscribers = redis_subscribers()
        response = self.open_stream(session)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/event-stream"))
        stream = EventStream(response)
        # The server has registered this listener once it says the stream is open.
        stream.wait_for("stream-open")
        wait_for_redis_subscriber(subscribers)

        sent = session.post(
            f"{self.live_server_url}/{self.project.id}/messages/send/",
            data={
                "content": "add a title scene that says Launch Day",
                "client_key": str(uuid.uuid4()),
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"HX-Request": "true"},
            timeout=TIMEOUT,
        )
        self.assertEqual(sent.status_code, 200, sent.text[:500])
        self.assertIn('id="composer"', sent.text)

        reply = Message.objects.get(project=self.project, role=Message.Role.ASSISTANT)
        self.assertEqual(reply.content, PENDING_TEXT)
        self.assertEqual(reply.status, Message.Status.PENDING)

        chat = stream.wait_for("chat")
        self.assertEqual(json.loads(chat["data"]), {"message_id": reply.id, "status": "pending"})
        # An id lets a reconnecting page resume from this event.
        self.assertTrue(chat["id"], chat)
        # One submit, one announcement: nothing else was said on the channel.
        self.assertEqual([e["event"] for e in stream.seen], ["stream-open", "chat"])

    def test_another_user_gets_404(self) -> None:
        session = login(self.live_server_url, "mallory")
        self.addCleanup(session.close)
        response = self.open_stream(session)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(response.headers.get("Content-Type", "").startswith("text/event-stream"))

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        session = requests.Session()
        self.addCleanup(session.close)
        response = session.get(
            self.events_url, stream=True, allow_redirects=False, timeout=(TIMEOUT, TIMEOUT)
        )
        self.addCleanup(response.close)
        self.assertEqual(response.status_code, 302)
        location = urlsplit(response.headers["Location"])
        self.assertEqual(location.path, "/accounts/login/")
        self.assertEqual(location.query, f"next=/{self.project.id}/events/")


def redis_subscribers() -> int | None:
    """How many processes listen to django-eventstream on Redis (None without Redis)."""
    if not settings.REDIS_URL:
        return None
    import redis

    with redis.Redis.from_url(settings.REDIS_URL) as client:
        return client.pubsub_numsub("events_channel")[0][1]


def wait_for_redis_subscriber(before: int | None) -> None:
    """With Redis, wait until daphne has subscribed to django-eventstream's channel.

    A daphne process subscribes to Redis in a background task when its first
    stream opens, so an event published in the first moments after that could
    miss this process. A person takes longer than that to type; the tests wait
    for the subscription instead of racing it. Without Redis there is nothing
    to wait for: a stream that opens late catches up from its last event id.
    """
    if before is None:
        return
    deadline = time.monotonic() + TIMEOUT
    while redis_subscribers() <= before:
        if time.monotonic() > deadline:
            raise AssertionError(f"daphne did not subscribe to Redis within {TIMEOUT}s")
        time.sleep(0.05)
