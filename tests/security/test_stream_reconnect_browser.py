"""A real Chromium's reconnects are accepted by the hardened stream.

The stream now refuses parameters and ids a browser does not send
(messages_app/stream.py). This proves it still accepts what Chromium does
send when the connection drops mid-stream (a proxy restart, a network blip):
the EventSource's own retry, with its last id as a Last-Event-ID header.
The page reaches daphne through a loopback TCP relay the test can cut.
"""

import socket
import threading
from contextlib import suppress

from django.contrib.auth.models import User
from playwright.sync_api import Response, expect

from projects.models import Project
from tests.browser import BrowserTestCase
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, login, post_message


class Relay:
    """Forwards loopback TCP connections to daphne; drop() cuts every open one."""

    def __init__(self, port: int) -> None:
        self.target = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(self.target, timeout=TIMEOUT)
            server.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            for source, sink in [(client, server), (server, client)]:
                thread = threading.Thread(target=self._pipe, args=(source, sink), daemon=True)
                self.threads.append(thread)
                thread.start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        with self.lock:
            cut, self.sockets = self.sockets, []
        for end in cut:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        # The page may still be reconnecting. Shutting the listener down wakes
        # a blocked accept (closing it alone does not); the thread then ends.
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.threads[0].join(timeout=TIMEOUT)
        self.drop()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT)


class BrowserReconnectTests(BrowserTestCase):
    def test_a_dropped_stream_reconnects_with_its_last_id_and_catches_up(self) -> None:
        owner = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=owner, title="Launch video")
        relay = Relay(self._port)
        self.addCleanup(relay.close)
        url = f"http://localhost:{relay.port}/{project.id}/"
        page = self.new_page()
        streams: list[Response] = []
        page.on("response", lambda r: streams.append(r) if "/events/" in r.url else None)
        self.log_in(page, url)
        other_tab = login(self.live_server_url, "alice")
        self.addCleanup(other_tab.close)
        # An event with an id, so the EventSource has a last id to resume from.
        post_message(other_tab, url.rstrip("/"), "first")
        expect(page.locator("#chat-log")).to_contain_text("first")

        relay.drop()
        # Sent while the page is disconnected.
        sent = post_message(other_tab, url.rstrip("/"), "add a title scene that says Back")
        self.assertEqual(sent.status_code, 200)

        expect(page.locator("#chat-log")).to_contain_text("add a title scene that says Back")
        # Every connection was accepted: none refused, none restarted from scratch.
        self.assertGreaterEqual(len(streams), 2)
        self.assertEqual({r.status for r in streams}, {200}, [r.status for r in streams])
        resumed_from = streams[1].request.all_headers().get("last-event-id", "")
        self.assertRegex(resumed_from, rf"^project-{project.id}:[1-9][0-9]*$")
        self.assertEqual(self.page_errors, [])
