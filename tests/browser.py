"""The base for browser tests: headless Debian Chromium against a real daphne."""

import os
import re
from unittest import SkipTest, mock

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import BrowserContext, Page, expect, sync_playwright

from .helpers import PASSWORD
from .live import LiveServerTestCase

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Every wait on the page is bounded by this (milliseconds), so something that
# never comes fails the test instead of hanging it.
TIMEOUT_MS = 10_000
ARTIFACTS = settings.BASE_DIR / "test-artifacts"


@pytest.mark.browser
class BrowserTestCase(LiveServerTestCase):
    """Starts daphne (once per class) and a fresh Chromium (per test).

    self.context is a logged-out browser context; self.page_errors collects
    uncaught errors from every page opened with self.new_page().
    """

    init_script = ""

    @classmethod
    def setUpClass(cls) -> None:
        if not os.path.exists(CHROMIUM):
            reason = f"{CHROMIUM} is missing; install it with: apt-get install chromium"
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the browser tests: {reason}")
            raise SkipTest(reason)
        # Class-level override_settings are applied by super().setUpClass()
        # before daphne is forked, so the server process sees them.
        super().setUpClass()

    def setUp(self) -> None:
        # Playwright's sync API keeps an asyncio event loop running in this
        # thread, so Django would refuse the test's own ORM calls with
        # SynchronousOnlyOperation. They are plain blocking queries from the
        # test, not from async code, so allow them, but only for this test
        # and only in this process: daphne was forked in setUpClass, before
        # this, so the server keeps Django's check.
        self.enterContext(mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}))
        playwright = sync_playwright().start()
        self.addCleanup(playwright.stop)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        self.addCleanup(browser.close)
        # While Playwright's loop runs, Django keeps this thread's database
        # connections apart from the ones it uses when no loop runs (asgiref's
        # thread-critical Local switches to per-context storage), so the
        # test's queries open a connection that Django's teardown does not
        # see. Close it while the loop still runs (cleanups run last first):
        # left open, it stops PostgreSQL from dropping the test database.
        self.addCleanup(connections.close_all)
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.set_default_timeout(TIMEOUT_MS)
        if self.init_script:
            self.context.add_init_script(self.init_script)
        self.page_errors: list[str] = []

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def log_in(self, page: Page, url: str, username: str = "alice") -> None:
        """Open url, get sent to the login form, log in, and land on url."""
        page.goto(url)
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(url)
        # The URL changes before the page has loaded; htmx wires up the page
        # on load, and a test that acts earlier would race it.
        page.wait_for_load_state("load")
        self.wait_until_daphne_hears_redis()
