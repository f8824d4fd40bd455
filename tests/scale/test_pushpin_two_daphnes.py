"""Two daphne processes behind one Pushpin, the topology that uses every core (issue 12).

Pushpin's routes do not spread requests: with several targets listed it
sends every request to the first and tries the next only when one refuses
the connection. So the daphne processes share one listening socket (each
started with `--fd`, as supervisor's fcgi-program or systemd socket
activation would; benchmarks/streams_scale.py's Daphnes, which the benchmarks
use too), and the kernel hands each new connection to one of them; Pushpin
routes to that one address. Each daphne writes its own access log, which says
which process answered what.

Streams are held by Pushpin, whichever process answered their first
request, and every process publishes its events to Pushpin: a message
submitted through one process reaches streams first answered by the other,
and the reply, whichever process ran its task, reaches every stream, pending
then answered. The daphnes run as in production (benchmarks' server_env:
DEBUG off, events over Pushpin's PUSH socket) on the test database
(PostgreSQL when DATABASE_URL is set).
"""

import socket
import time
import types
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection
from django.test import TransactionTestCase

from benchmarks.streams_scale import Daphnes, server_env
from messages_app.models import Message
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, login, post_message

from .pushpin import Pushpin, free_port, grip_url, new_key, pushpin_or_skip
from .streams import open_stream, read_until, session_cookie_header, status_of

DAPHNES = 2
# Pages opening at once, in rounds until both processes have answered one.
BATCH = 6
MOST_STREAMS = 60


def database_url() -> str:
    """The test database, for processes started outside this one."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    login_part = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{login_part}@{s['HOST'] or '127.0.0.1'}{port}/{s['NAME']}"


class TwoDaphnesBehindPushpinTests(TransactionTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        binary = pushpin_or_skip()
        key, control_port, push_port = new_key(), free_port(), free_port()
        env = server_env(
            types.SimpleNamespace(url=database_url()),
            GRIP_URL=grip_url(control_port, key),
            PUSHPIN_PUSH_SPEC=f"tcp://127.0.0.1:{push_port}",
        )
        cls.daphnes = Daphnes(env, DAPHNES)
        cls.addClassCleanup(cls.daphnes.stop)
        # Routes to the one address the daphnes share.
        cls.pushpin = Pushpin(
            [cls.daphnes.address],
            key=key,
            control_port=free_port(),  # nothing publishes there: events go over PUSH
            push_port=push_port,
            binary=binary,
        )
        cls.addClassCleanup(cls.pushpin.stop)

    def setUp(self) -> None:
        # Hashed as the daphnes check it (this process uses a fast test hasher).
        hasher = PBKDF2PasswordHasher()
        self.owner = User.objects.create(
            username="alice", password=hasher.encode(PASSWORD, hasher.salt())
        )
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.project_url = f"{self.pushpin.url}/{self.project.id}"
        self.events = f"/{self.project.id}/events/"

    def answers(self, method: str, path: str) -> list[int]:
        """Which daphne answered each request for exactly this path (by access log)."""
        return [
            n
            for n in range(DAPHNES)
            for logged in self.daphnes.requests(n)
            if logged[:2] == (method, path)
        ]

    def answered_by(self, method: str, path: str) -> int:
        """The daphne that answered the one request for this path."""
        deadline = time.monotonic() + TIMEOUT
        while not (answers := self.answers(method, path)):
            self.assertLess(time.monotonic(), deadline, self.daphnes.errors())
            time.sleep(0.05)
        self.assertEqual(len(answers), 1, answers)
        return answers[0]

    def open_streams(self, cookie: str) -> dict[int, list[socket.socket]]:
        """Streams through Pushpin, by the daphne that answered their first request.

        Pushpin keeps its connections to daphne and reuses them, so streams
        opened one after another all go to one process; pages opening at
        the same time make Pushpin open more, and those the kernel spreads.
        Each stream's URL carries a label (a parameter the view ignores) so
        the access logs tell which process answered it.
        """
        by_daphne: dict[int, list[socket.socket]] = {n: [] for n in range(DAPHNES)}
        opened = 0
        with ThreadPoolExecutor(BATCH) as pool:
            while not all(by_daphne.values()):
                self.assertLess(opened, MOST_STREAMS, {n: len(s) for n, s in by_daphne.items()})
                paths = [f"{self.events}?tab={opened + i}" for i in range(BATCH)]
                for path, (sock, received) in zip(
                    paths,
                    pool.map(lambda path: open_stream(f"{self.pushpin.url}{path}", cookie), paths),
                    strict=True,
                ):
                    self.addCleanup(sock.close)
                    self.assertEqual(status_of(received), 200, received[:300])
                    by_daphne[self.answered_by("GET", path)].append(sock)
                opened += BATCH
        return by_daphne

    def test_streams_are_answered_by_both_processes_and_every_event_reaches_all(self) -> None:
        session = login(self.pushpin.url, "alice")
        self.addCleanup(session.close)
        by_daphne = self.open_streams(session_cookie_header(session))
        received = {sock: b"" for streams in by_daphne.values() for sock in streams}

        sent = post_message(session, self.project_url, "add a title scene that says Hello")
        self.assertEqual(sent.status_code, 200, sent.text[:300])
        submitted_by = self.answered_by("POST", f"/{self.project.id}/messages/send/")
        reply = Message.objects.get(project=self.project, role=Message.Role.ASSISTANT)
        pending = f'"message_id": {reply.id}, "status": "pending"'.encode()
        # Streams first answered by the process that did not take the submit hear it...
        for sock in by_daphne[1 - submitted_by]:
            received[sock] = read_until(sock, pending, received[sock])
        # ...as do the rest.
        for sock in by_daphne[submitted_by]:
            received[sock] = read_until(sock, pending, received[sock])

        task = f"/{self.project.id}/messages/{reply.id}/task/"
        answered = session.post(
            f"{self.pushpin.url}{task}",
            headers={"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"]},
            timeout=3 * TIMEOUT,
        )
        self.assertEqual(answered.status_code, 200, answered.text[:300])
        self.answered_by("POST", task)  # by either process
        success = f'"message_id": {reply.id}, "status": "success"'.encode()
        for sock, so_far in received.items():
            so_far = read_until(sock, success, so_far)
            self.assertLess(so_far.index(pending), so_far.index(success))
