"""Helpers for tests against a live daphne over HTTP (no browser)."""

import time
import uuid

import requests
from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings

from .helpers import PASSWORD

# Every wait in these tests is bounded by this many seconds, so a missing event
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


def post_message(session: requests.Session, project_url: str, text: str) -> requests.Response:
    """Submit a chat message as the page's form does (project_url ends without a slash)."""
    return session.post(
        f"{project_url}/messages/send/",
        data={
            "content": text,
            "client_key": str(uuid.uuid4()),
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"HX-Request": "true"},
        timeout=TIMEOUT,
    )


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


def redis_listeners() -> set[int] | None:
    """Ids of the Redis clients listening on Pub/Sub (None without Redis)."""
    if not settings.REDIS_URL:
        return None
    import redis

    with redis.Redis.from_url(settings.REDIS_URL) as client:
        return {int(c["id"]) for c in client.client_list(_type="pubsub")}


class LiveServerTestCase(ChannelsLiveServerTestCase):
    """Real daphne (forked once per class), and a way to know it hears Redis.

    With Redis, a daphne process subscribes to django-eventstream's channel
    on its first request (chatvideo/asgi.py), in a background task; an event
    published before that finishes would reach that process's pages only on
    their next reconnect. People take longer than that to type; tests wait
    for it instead of racing it. The listeners that existed before daphne was
    forked are noted, so a new one is this daphne's, whatever else comes and
    goes. Without Redis there is nothing to wait for.
    """

    @classmethod
    def setUpClass(cls) -> None:
        cls.redis_listeners_before = redis_listeners()
        super().setUpClass()

    def wait_until_daphne_hears_redis(self) -> None:
        before = self.redis_listeners_before
        if before is None:
            return
        deadline = time.monotonic() + TIMEOUT
        while not (redis_listeners() - before):
            if time.monotonic() > deadline:
                raise AssertionError(f"daphne did not subscribe to Redis within {TIMEOUT}s")
            time.sleep(0.05)
