"""200 open pages on PostgreSQL hold no database connections, and the site keeps working.

Before the pool, each open stream kept its own PostgreSQL connection until it
closed, and at max_connections every other request failed. Here one user
opens 200 streams against a real daphne; its connections to the test database
(told apart by their application_name, set only for the forked daphne) stay
at or under the pool's 5 while a second user loads a page, submits a message
and hears it on their own stream.
"""

import json
import os
import time
from unittest import SkipTest

from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings

from messages_app.models import Message
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, EventStream, LiveServerTestCase, login, post_message

from .streams import open_stream, read_until, session_cookie_header, status_of

STREAMS = 200
POOL_MAX = 5
DAPHNE_APP_NAME = "chatvideo-live-daphne"


def daphne_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [DAPHNE_APP_NAME],
        )
        return cursor.fetchone()[0]


@override_settings(CHATVIDEO_STREAMS_PER_USER=STREAMS)
class ManyStreamsOnPostgresTests(LiveServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        if connection.vendor != "postgresql":
            raise SkipTest("counts PostgreSQL connections (pg_stat_activity); SQLite has none")
        # libpq names the connections of processes started while this is set:
        # daphne's, forked below, and none of this process's.
        os.environ["PGAPPNAME"] = DAPHNE_APP_NAME
        try:
            super().setUpClass()
        finally:
            del os.environ["PGAPPNAME"]

    def test_200_open_streams_keep_daphne_within_its_pool_and_others_are_served(self) -> None:
        alice = User.objects.create_user("alice", password=PASSWORD)
        User.objects.create_user("bob", password=PASSWORD)
        alices = Project.objects.create(owner=alice, title="Launch video")
        bobs = Project.objects.create(owner=User.objects.get(username="bob"), title="Recap")

        session = login(self.live_server_url, "alice")
        self.addCleanup(session.close)
        cookie = session_cookie_header(session)
        url = f"{self.live_server_url}/{alices.id}/events/"
        most = 0
        started = time.monotonic()
        for _ in range(STREAMS):
            sock, answer = open_stream(url, cookie)
            self.addCleanup(sock.close)
            self.assertEqual(status_of(answer), 200, answer[:300])
            most = max(most, daphne_connections())
        # Streams that kept their connections would wait on the pool's
        # timeout for one (minutes for 200); freed at once, seconds.
        self.assertLess(time.monotonic() - started, 30)
        # Counting the right thing: daphne did use the database.
        self.assertGreater(most, 0)
        self.assertLessEqual(most, POOL_MAX)

        # A second user is served meanwhile: page, stream, submit, event.
        bob = login(self.live_server_url, "bob")
        self.addCleanup(bob.close)
        started = time.monotonic()
        page = bob.get(f"{self.live_server_url}/{bobs.id}/", timeout=TIMEOUT)
        self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Recap", page.text)
        response = bob.get(
            f"{self.live_server_url}/{bobs.id}/events/", stream=True, timeout=(TIMEOUT, TIMEOUT)
        )
        self.addCleanup(response.close)
        self.assertEqual(response.status_code, 200)
        stream = EventStream(response)
        stream.wait_for("stream-open")
        self.wait_until_daphne_hears_redis()
        sent = post_message(bob, f"{self.live_server_url}/{bobs.id}", "add a title scene")
        self.assertEqual(sent.status_code, 200, sent.text[:300])
        reply = Message.objects.get(project=bobs, role=Message.Role.ASSISTANT)
        chat = stream.wait_for("chat")
        self.assertEqual(json.loads(chat["data"])["message_id"], reply.id)
        self.assertLessEqual(daphne_connections(), POOL_MAX)

        # Alice's 200 streams are still live: a message of hers reaches the last one.
        sent = post_message(session, f"{self.live_server_url}/{alices.id}", "add an outro scene")
        self.assertEqual(sent.status_code, 200, sent.text[:300])
        read_until(sock, b"event: chat")

        # Idle, the streams hold nothing: the pool is back to what it keeps open.
        deadline = time.monotonic() + TIMEOUT
        while daphne_connections() > POOL_MAX:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
