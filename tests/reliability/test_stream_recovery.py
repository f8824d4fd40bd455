"""Against a real daphne: reconnects lose nothing, a closed tab loses nothing."""

import json
import time

import requests
from django.contrib.auth.models import User
from django.test import override_settings

from messages_app.events import project_channel
from messages_app.models import Message
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, EventStream, LiveServerTestCase, login, post_message


@override_settings(CHATVIDEO_BRAIN="tests.brains.SlowOfflineBrain")
class StreamRecoveryTests(LiveServerTestCase):
    def setUp(self) -> None:
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.session = login(self.live_server_url, "alice")
        self.addCleanup(self.session.close)

    def url(self, path: str) -> str:
        return f"{self.live_server_url}/{self.project.id}/{path}"

    def submit(self, text: str) -> Message:
        response = post_message(self.session, self.url("").rstrip("/"), text)
        self.assertEqual(response.status_code, 200)
        return Message.objects.filter(project=self.project, role="assistant").latest("seq")

    def open_stream(self, last_event_id: str) -> EventStream:
        response = self.session.get(
            self.url("events/"),
            params={"lastEventId": last_event_id},
            stream=True,
            timeout=(TIMEOUT, TIMEOUT),
        )
        self.addCleanup(response.close)
        self.assertEqual(response.status_code, 200)
        return EventStream(response)

    def test_a_reconnect_replays_the_events_it_missed(self) -> None:
        channel = project_channel(self.project.id)
        # The page was rendered at event 0, then the connection dropped and
        # two messages were sent meanwhile (from another tab, say).
        first = self.submit("add a title scene that says One")
        second = self.submit("add a title scene that says Two")

        stream = self.open_stream(f"{channel}:0")

        replayed = [stream.wait_for("chat"), stream.wait_for("chat")]
        self.assertEqual(
            [json.loads(event["data"])["message_id"] for event in replayed],
            [first.id, second.id],
        )
        self.assertEqual(replayed[-1]["id"], f"{channel}:2")

    def test_an_unknown_event_id_asks_the_page_to_start_over(self) -> None:
        self.submit("add a title scene that says One")

        stream = self.open_stream(f"{project_channel(self.project.id)}:999")

        reset = stream.wait_for("stream-reset")
        self.assertEqual(
            json.loads(reset["data"]), {"channels": [project_channel(self.project.id)]}
        )

    def test_closing_the_tab_while_the_brain_works_does_not_lose_the_reply(self) -> None:
        pending = self.submit("add a title scene that says Launch Day")

        # The page calls the task view, then goes away before the slow brain
        # (2 s) answers: the client gives up after 0.3 s and drops the socket.
        with self.assertRaises(requests.exceptions.ReadTimeout):
            self.session.post(
                self.url(f"messages/{pending.id}/task/"),
                headers={"X-CSRFToken": self.session.cookies["csrftoken"]},
                timeout=(TIMEOUT, 0.3),
            )
        self.session.close()
        pending.refresh_from_db()
        self.assertEqual(pending.status, "pending")

        deadline = time.monotonic() + TIMEOUT
        while pending.status == "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
            pending.refresh_from_db()

        self.assertEqual(pending.status, "success")
        self.assertEqual(
            pending.content, "Added scene 1, a title card reading “Launch Day”, 5 seconds."
        )
        self.assertEqual(self.project.scenes.count(), 1)
        self.assertEqual(Message.objects.count(), 2)
