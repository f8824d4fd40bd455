"""The chat through a real Pushpin in front of daphne, as in production (README, "Scale").

Pushpin holds the page's event stream: daphne answers its first request with
GRIP instructions (django-eventstream, GRIP_URL) and publishes each event to
Pushpin's control port. A second tab, which hears of the reply only through
its stream, shows it pending and then answered; a reconnect with
Last-Event-ID replays from storage; an es-meta a client sends through
Pushpin is honoured only when it names the session's own user and channel;
and a stream Pushpin holds ends within its re-check period once its reader no
longer owns the project, while a stream whose reader still does goes on.
"""

import json
import time

import django_grip
import jwt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.test import override_settings
from playwright.sync_api import expect

from messages_app.events import project_channel, send_project_event
from messages_app.models import PENDING_TEXT, Message
from projects.models import Project
from tests.browser import BrowserTestCase
from tests.conftest import PASSWORD
from tests.live import TIMEOUT, login, post_message

from .pushpin import Pushpin, free_port, grip_url, new_key, pushpin_or_skip
from .streams import open_stream, read_until, session_cookie_header, status_of


@receiver(setting_changed)
def _publish_to_the_new_proxy(setting: str, **kwargs) -> None:
    # django_grip makes its publisher once, from GRIP_URL as it was then.
    if setting == "GRIP_URL":
        django_grip._pubcontrol = None


class PushpinTestCase(BrowserTestCase):
    """daphne with GRIP_URL set, and Pushpin routing to it (both per class)."""

    # How often Pushpin re-asks daphne about a held stream (the next link).
    recheck_seconds = 60
    # Publish over Pushpin's ZeroMQ PUSH socket (PUSHPIN_PUSH_SPEC), not HTTP.
    push = False

    @classmethod
    def setUpClass(cls) -> None:
        binary = pushpin_or_skip()
        key, control_port, push_port = new_key(), free_port(), free_port()
        push_spec = f"tcp://127.0.0.1:{push_port}" if cls.push else ""
        # Before daphne forks, so it answers streams with GRIP and publishes to Pushpin.
        cls.enterClassContext(
            override_settings(
                GRIP_URL=grip_url(control_port, key),
                MIDDLEWARE=[
                    "django_grip.GripMiddleware",
                    "messages_app.stream.RecheckProxiedStreams",
                    *settings.MIDDLEWARE,
                ],
                ALLOWED_HOSTS=["localhost", "127.0.0.1"],
                CHATVIDEO_BRAIN="tests.brains.SlowOfflineBrain",
                CHATVIDEO_PUSHPIN_RECHECK_SECONDS=cls.recheck_seconds,
                PUSHPIN_PUSH_SPEC=push_spec,
            )
        )
        super().setUpClass()
        cls.pushpin = Pushpin(
            [f"127.0.0.1:{cls._port}"],
            key=key,
            # With push, nothing listens on GRIP_URL's control port: every
            # event a page hears came over the PUSH socket.
            control_port=free_port() if cls.push else control_port,
            push_port=push_port,
            binary=binary,
        )
        cls.addClassCleanup(cls.pushpin.stop)

    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.project_url = f"{self.pushpin.url}/{self.project.id}"


class PushpinChatTests(PushpinTestCase):
    def test_a_reply_reaches_another_open_tab_through_pushpin(self) -> None:
        page = self.new_page()
        self.log_in(page, f"{self.project_url}/")
        other = self.new_page()  # same login; hears of the reply only by its stream
        with other.expect_response(lambda r: r.url.startswith(f"{self.project_url}/events/")):
            other.goto(f"{self.project_url}/")
        # Pushpin holds the stream: daphne answered with a GRIP hold on the channel.
        self.wait_for_pushpin_log(f"channel=events-project-{self.project.id}")

        message_box = page.get_by_label("Message", exact=True)
        message_box.fill("add a title scene that says Launch Day")
        message_box.press("Enter")

        reply = other.locator("#chat-log [data-role=assistant]")
        expect(reply).to_have_count(1)
        expect(reply).to_have_attribute("data-status", "pending")
        expect(reply).to_contain_text(PENDING_TEXT)
        expect(reply).to_have_attribute("data-status", "success", timeout=20_000)
        expect(reply).to_contain_text("Launch Day")
        expect(other.locator("#scene-list [data-scene-id]")).to_have_count(1)
        self.assertEqual(self.page_errors, [])

    def wait_for_pushpin_log(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.pushpin.log():
            self.assertLess(time.monotonic(), deadline, self.pushpin.log())
            time.sleep(0.1)


class PushpinStreamTests(PushpinTestCase):
    def test_a_reconnect_with_last_event_id_replays_what_it_missed(self) -> None:
        session = login(self.pushpin.url, "alice")
        self.addCleanup(session.close)
        cookie = session_cookie_header(session)
        sock, received = open_stream(f"{self.project_url}/events/", cookie)
        self.addCleanup(sock.close)
        self.assertEqual(status_of(received), 200, received[:300])
        self.wait_until_daphne_hears_redis()

        sent = post_message(session, self.project_url, "add a title scene that says Hello")
        self.assertEqual(sent.status_code, 200, sent.text[:300])
        received = read_until(sock, b"event: chat", received)
        first_id = received.split(b"event: chat\n")[1].split(b"\n")[0].removeprefix(b"id: ")
        self.assertTrue(first_id.startswith(project_channel(self.project.id).encode()))
        sock.close()

        # Missed while away: the reply's answer (pending -> success) and its scene.
        reply = Message.objects.get(project=self.project, role=Message.Role.ASSISTANT)
        deadline = time.monotonic() + 20
        while Message.objects.get(id=reply.id).status == Message.Status.PENDING:
            # Nobody called the task view: answer it as a worker would.
            from messages_app.reply import run_reply

            run_reply(reply.id)
            self.assertLess(time.monotonic(), deadline)

        again, received = open_stream(
            f"{self.project_url}/events/?lastEventId={first_id.decode()}", cookie
        )
        self.addCleanup(again.close)
        received = read_until(again, b'"status": "success"', received)
        events = [
            json.loads(line.removeprefix(b"data: "))
            for line in received.split(b"\n")
            if line.startswith(b"data: {")
        ]
        self.assertIn({"message_id": reply.id, "status": "success"}, events)

    def test_a_reply_s_progress_reaches_a_held_stream_and_later_events_keep_their_ids(
        self,
    ) -> None:
        """Progress events are not stored, so they have no id of their own to give Pushpin.

        Sent with the channel's last id as their previous one, Pushpin dropped
        them (and had every held stream re-fetch its next link): behind
        Pushpin a streamed reply's text never grew on the page.
        """
        session = login(self.pushpin.url, "alice")
        self.addCleanup(session.close)
        sock, received = open_stream(f"{self.project_url}/events/", session_cookie_header(session))
        self.addCleanup(sock.close)
        self.assertEqual(status_of(received), 200, received[:300])

        send_project_event(self.project.id, "progress-41", {"message_id": 41})
        received = read_until(sock, b"event: progress-41", received)
        send_project_event(self.project.id, "chat", {"message_id": 41, "status": "success"})
        received = read_until(sock, b'"status": "success"', received)
        chat = received.split(b"event: chat\n")[1].split(b"\n")[0]
        self.assertTrue(chat.startswith(f"id: {project_channel(self.project.id)}:".encode()))

    def test_es_meta_through_pushpin_names_an_owner_it_cannot_make(self) -> None:
        """Pushpin's follow-ups carry no cookies, so es-meta names the reader; it cannot grant.

        Pushpin signs whatever a client sends through it, es-meta included:
        the token must be ours, name the URL's own channel and, with a
        session, that session's user, and the user it names must own the
        project (the database says so, not the token).
        """
        mallory = User.objects.create_user("mallory", password=PASSWORD)
        theirs = Project.objects.create(owner=mallory, title="Mine")
        session = login(self.pushpin.url, "mallory")
        self.addCleanup(session.close)
        cookie = session_cookie_header(session)

        def es_meta(user: User, project: Project, key: str = settings.SECRET_KEY) -> str:
            claims = {"iss": "es", "exp": int(time.time()) + 3600, "user": str(user.pk)}
            claims["channels"] = [project_channel(project.id)]
            return jwt.encode(claims, key.encode())

        def status(project: Project, meta: str, cookie: str = cookie) -> tuple[int, bytes]:
            url = f"{self.pushpin.url}/{project.id}/events/?link=next&es-meta={meta}"
            # A follow-up's answer has no stream-open: only its status is wanted.
            sock, received = open_stream(url, cookie, until=b"\r\n\r\n")
            with sock:
                # A refusal is short and ends with the connection: read its sentence.
                while status_of(received) != 200 and (chunk := sock.recv(65536)):
                    received += chunk
            return status_of(received), received

        # Alice's token, sent with mallory's session: another reader.
        code, body = status(self.project, es_meta(self.owner, self.project))
        self.assertEqual(code, 400, body[:300])
        self.assertIn(b"another reader or channel", body)
        # A token naming mallory for alice's project: mallory owns no such project.
        self.assertEqual(status(self.project, es_meta(mallory, self.project))[0], 404)
        # A token for one channel on another project's URL.
        self.assertEqual(status(theirs, es_meta(mallory, self.project))[0], 400)
        # A token not signed with the secret key.
        code, body = status(
            theirs, es_meta(mallory, theirs, key="a guessed key, not the secret one")
        )
        self.assertEqual(code, 400)
        self.assertIn(b"not validly signed", body)
        # Sent straight to daphne (not signed by Pushpin), even a good token is refused.
        direct = f"{self.live_server_url}/{theirs.id}/events/?es-meta={es_meta(mallory, theirs)}"
        sock, received = open_stream(direct, cookie)
        sock.close()
        self.assertEqual(status_of(received), 400, received[:300])
        # Exactly what the library gives Pushpin is accepted, with or without cookies.
        self.assertEqual(status(theirs, es_meta(mallory, theirs))[0], 200)
        self.assertEqual(status(theirs, es_meta(mallory, theirs), cookie="")[0], 200)


class PushpinRecheckTests(PushpinTestCase):
    recheck_seconds = 1

    def test_a_held_stream_ends_soon_after_its_reader_loses_the_project(self) -> None:
        session = login(self.pushpin.url, "alice")
        self.addCleanup(session.close)
        sock, received = open_stream(f"{self.project_url}/events/", session_cookie_header(session))
        self.addCleanup(sock.close)
        self.assertEqual(status_of(received), 200, received[:300])

        # Several re-checks later the owner's stream is still open, and still hears events.
        time.sleep(3 * self.recheck_seconds)
        sent = post_message(session, self.project_url, "add a title scene that says Hello")
        self.assertEqual(sent.status_code, 200, sent.text[:300])
        received = read_until(sock, b'"status": "pending"', received)

        # The project changes hands: alice's held stream must stop.
        bob = User.objects.create_user("bob", password=PASSWORD)
        Project.objects.filter(id=self.project.id).update(owner=bob)
        lost_at = time.monotonic()
        received = read_until(sock, b"event: stream-error", received)
        self.assertLess(time.monotonic() - lost_at, self.recheck_seconds + 10)
        self.assertIn(b"You may no longer read this project's events.", received)
        # And Pushpin ends it (a recv that times out instead fails the test); the
        # browser's reconnect then carries the id "error", a 400, and the page
        # starts over from its URL (a 404 for alice now).
        sock.settimeout(TIMEOUT)
        while sock.recv(65536):
            pass
