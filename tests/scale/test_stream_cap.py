"""One user may keep only so many streams open, so no one user can starve the others.

The eleventh stream of one account gets a 429 that says why, closing one frees
its slot, another user is never affected, and the page tells its reader.
"""

import time

from django.contrib.auth.models import User
from django.test import override_settings
from playwright.sync_api import expect

from projects.models import Project
from tests.browser import BrowserTestCase
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, LiveServerTestCase, login

from .streams import open_stream, session_cookie_header, status_of


class StreamCapTests(LiveServerTestCase):
    def setUp(self) -> None:
        self.alice = User.objects.create_user("alice", password=PASSWORD)
        self.bob = User.objects.create_user("bob", password=PASSWORD)
        self.alices = Project.objects.create(owner=self.alice, title="Launch video")
        self.bobs = Project.objects.create(owner=self.bob, title="Recap")

    def streams_url(self, project: Project) -> str:
        return f"{self.live_server_url}/{project.id}/events/"

    def test_the_eleventh_stream_is_refused_until_one_closes(self) -> None:
        session = login(self.live_server_url, "alice")
        self.addCleanup(session.close)
        cookie = session_cookie_header(session)
        socks = []
        for _ in range(10):
            sock, answer = open_stream(self.streams_url(self.alices), cookie)
            self.addCleanup(sock.close)
            self.assertEqual(status_of(answer), 200, answer[:300])
            socks.append(sock)

        sock, answer = open_stream(self.streams_url(self.alices), cookie)
        sock.close()
        self.assertEqual(status_of(answer), 429, answer[:300])
        self.assertIn(b"Too many open tabs of chatvideo", answer)
        self.assertIn(b"text/plain", answer)

        # Another user is not counted against alice.
        bob = login(self.live_server_url, "bob")
        self.addCleanup(bob.close)
        sock, answer = open_stream(self.streams_url(self.bobs), session_cookie_header(bob))
        self.addCleanup(sock.close)
        self.assertEqual(status_of(answer), 200, answer[:300])

        # Closing a tab frees its slot (once daphne has seen the disconnect).
        socks.pop().close()
        deadline = time.monotonic() + TIMEOUT
        while True:
            sock, answer = open_stream(self.streams_url(self.alices), cookie)
            self.addCleanup(sock.close)
            if status_of(answer) == 200:
                break
            self.assertEqual(status_of(answer), 429)
            self.assertLess(time.monotonic(), deadline, "the closed stream's slot was never freed")
            time.sleep(0.1)


@override_settings(CHATVIDEO_STREAMS_PER_USER=1)
class StreamCapPageTests(BrowserTestCase):
    def test_a_tab_over_the_cap_says_why_it_hears_nothing(self) -> None:
        alice = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=alice, title="Launch video")
        url = f"{self.live_server_url}/{project.id}/"
        first = self.new_page()
        self.log_in(first, url)
        expect(first.locator("#stream-notice")).to_have_count(0)

        second = self.new_page()
        second.goto(url)
        notice = second.get_by_role("alert")
        expect(notice).to_have_text("Too many open tabs of chatvideo; close some and reload.")

        # Closing the first tab lets the second connect (the extension retries);
        # the notice goes.
        first.close()
        expect(second.locator("#stream-notice")).to_have_count(0, timeout=20_000)
        self.assertEqual(self.page_errors, [])
