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
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.contrib.auth.models import User

from messages_app.models import PENDING_TEXT, Message
from projects.models import Project

from .helpers import PASSWORD
from .live import (
    TIMEOUT,
    EventStream,
    LiveServerTestCase,
    login,
    post_message,
    redis_listeners,
)


class ProjectEventStreamTests(LiveServerTestCase):
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
        response = self.open_stream(session)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/event-stream"))
        stream = EventStream(response)
        # The server has registered this listener once it says the stream is open.
        stream.wait_for("stream-open")
        self.wait_until_daphne_hears_redis()

        project_url = f"{self.live_server_url}/{self.project.id}"
        sent = post_message(session, project_url, "add a title scene that says Launch Day")
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


class FirstRequestTests(LiveServerTestCase):
    def test_a_process_listens_to_redis_from_its_first_request(self) -> None:
        """With Redis, events reach a page from the moment it opens its stream.

        The page load itself (before any stream) subscribes daphne to Redis,
        so no event can slip past while a first stream is subscribing.
        """
        if not settings.REDIS_URL:
            self.skipTest("runs with REDIS_URL set (as in CI)")
        # A fresh daphne (this class's own) has made no request yet.
        self.assertEqual(redis_listeners() - self.redis_listeners_before, set())

        response = requests.get(f"{self.live_server_url}/accounts/login/", timeout=TIMEOUT)

        self.assertEqual(response.status_code, 200)
        self.wait_until_daphne_hears_redis()
