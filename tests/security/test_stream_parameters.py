"""The event stream takes its channel and reader from the view, and answers bad input with 400.

Against a real daphne, with DEBUG on (where a crash would show Django's
debug page) and off. django-eventstream trusts a JWT `es-meta` parameter signed with
SECRET_KEY; with the key known, a user forged one and read another user's
project. Malformed parameters gave a 500, or sent headers and then hung.
"""

import json
import time

import jwt
import requests
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from django_eventstream import send_event

from messages_app.events import project_channel
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, EventStream, LiveServerTestCase, login

# A malformed request must be answered at once, not after a wait.
ANSWER_WITHIN = 3.0


@override_settings(DEBUG=True)
class StreamParameterTests(LiveServerTestCase):
    def setUp(self) -> None:
        self.alice = User.objects.create_user("alice", password=PASSWORD)
        self.mallory = User.objects.create_user("mallory", password=PASSWORD)
        self.alices_project = Project.objects.create(owner=self.alice, title="Secret launch")
        self.mallorys_project = Project.objects.create(owner=self.mallory, title="Decoy")
        # Alice's project has history a reader could replay from id 0.
        self.alices_channel = project_channel(self.alices_project.id)
        send_event(self.alices_channel, "chat", {"message_id": 424242, "status": "pending"})
        self.mallory_session = login(self.live_server_url, "mallory")
        self.addCleanup(self.mallory_session.close)

    def mallorys_stream(self, params=None, headers=None) -> requests.Response:
        started = time.monotonic()
        response = self.mallory_session.get(
            f"{self.live_server_url}/{self.mallorys_project.id}/events/",
            params=params,
            headers=headers,
            stream=True,
            timeout=(TIMEOUT, ANSWER_WITHIN),
        )
        self.addCleanup(response.close)
        self.answered_after = time.monotonic() - started
        return response

    def assert_refused(self, response: requests.Response, reason: str) -> None:
        body = response.content.decode()  # a hang raises ReadTimeout here
        self.assertEqual(response.status_code, 400, body[:500])
        self.assertIn(reason, body)
        # A short sentence, not a debug page.
        self.assertLess(len(body), 200, body[:500])
        self.assertTrue(response.headers["Content-Type"].startswith("text/plain"))
        self.assertLess(self.answered_after, ANSWER_WITHIN)

    def forged_es_meta(self) -> str:
        claims = {
            "iss": "es",
            "exp": int(time.time()) + 3600,
            "channels": [self.alices_channel],
            "user": str(self.alice.pk),
        }
        return jwt.encode(claims, settings.SECRET_KEY.encode(), algorithm="HS256")

    def test_a_forged_es_meta_reads_nothing_of_another_users_project(self) -> None:
        response = self.mallorys_stream(
            {"es-meta": self.forged_es_meta(), "lastEventId": f"{self.alices_channel}:0"}
        )

        self.assert_refused(response, "does not accept the es-meta parameter")
        self.assertNotIn("424242", response.text)

    def test_a_forged_es_meta_on_the_victims_url_is_a_404(self) -> None:
        response = self.mallory_session.get(
            f"{self.live_server_url}/{self.alices_project.id}/events/",
            params={"es-meta": self.forged_es_meta()},
            stream=True,
            timeout=(TIMEOUT, ANSWER_WITHIN),
        )
        self.addCleanup(response.close)

        self.assertEqual(response.status_code, 404)
        self.assertNotIn("424242", response.text)

    def test_a_malformed_es_meta_is_a_400(self) -> None:
        self.assert_refused(
            self.mallorys_stream({"es-meta": "not-a-token"}),
            "does not accept the es-meta parameter",
        )

    def test_recover_without_a_proxy_is_a_400(self) -> None:
        self.assert_refused(
            self.mallorys_stream({"recover": "true"}), "does not accept the recover parameter"
        )

    def test_a_malformed_last_event_id_is_a_400_not_a_hang(self) -> None:
        channel = project_channel(self.mallorys_project.id)
        for bad in [
            "abc",
            f"{channel}:abc",
            f"{channel}:",
            f"{channel}:-1",
            f"{channel}:1.5",
            f"{channel}:1:2",
            f"{channel}:{'9' * 30}",  # beyond a bigint
            f"{channel}:1,{channel}:x",
            f"{self.alices_channel}:0",  # another project's id
        ]:
            with self.subTest(lastEventId=bad):
                self.assert_refused(
                    self.mallorys_stream({"lastEventId": bad}), f"must look like {channel}:12"
                )
            with self.subTest(header=bad):
                self.assert_refused(
                    self.mallorys_stream(headers={"Last-Event-ID": bad}),
                    f"must look like {channel}:12",
                )

    def test_resuming_after_a_stream_error_is_a_400(self) -> None:
        self.assert_refused(
            self.mallorys_stream(headers={"Last-Event-ID": "error"}), "cannot resume"
        )

    def test_the_browsers_own_reconnect_replays_what_it_missed(self) -> None:
        """An EventSource reconnects to the page's URL with its last id as a header."""
        channel = project_channel(self.mallorys_project.id)
        project_url = f"{self.live_server_url}/{self.mallorys_project.id}"
        page = self.mallory_session.get(f"{project_url}/", timeout=TIMEOUT)
        self.assertIn(f"lastEventId={channel}%3A0", page.text)
        # Sent while the connection was down.
        send_event(channel, "chat", {"message_id": 7, "status": "pending"})

        response = self.mallory_session.get(
            f"{project_url}/events/",
            params={"lastEventId": f"{channel}:0"},
            headers={"Last-Event-ID": f"{channel}:0"},
            stream=True,
            timeout=(TIMEOUT, TIMEOUT),
        )
        self.addCleanup(response.close)

        self.assertEqual(response.status_code, 200)
        chat = EventStream(response).wait_for("chat")
        self.assertEqual(json.loads(chat["data"]), {"message_id": 7, "status": "pending"})
        self.assertEqual(chat["id"], f"{channel}:1")


@override_settings(DEBUG=False)
class StreamParameterTestsWithoutDebug(StreamParameterTests):
    """The same answers in production mode."""
