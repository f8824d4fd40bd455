"""A person chatting in headless Chromium, against a real daphne server.

The brain is the offline one slowed down by two seconds (tests.brains), so
the test can watch the pending reply with its dots before it is answered.
"""

import os
import re
import time
from datetime import timedelta
from unittest import SkipTest, mock

import pytest
from channels.testing import ChannelsLiveServerTestCase
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections
from django.test import override_settings
from playwright.sync_api import Page, expect, sync_playwright

from messages_app.models import PENDING_TEXT, Message
from projects.models import Project
from scenes.models import Scene

from .brains import SLOW_SECONDS
from .conftest import PASSWORD
from .test_stream import redis_subscribers, wait_for_redis_subscriber

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Every wait on the page is bounded by this (milliseconds), so a reply that
# never comes fails the test instead of hanging it.
TIMEOUT_MS = 10_000
ARTIFACTS = settings.BASE_DIR / "test-artifacts"

FIRST_REQUEST = "add a title scene that says Launch Day"
FIRST_REPLY = "Added scene 1, a title card reading \u201cLaunch Day\u201d, 5 seconds."
SECOND_REQUEST = "make scene 1 4 seconds long"
SECOND_REPLY = "Scene 1 now lasts 4 seconds."


@pytest.mark.browser
@override_settings(CHATVIDEO_BRAIN="tests.brains.SlowOfflineBrain")
class BrowserChatTests(ChannelsLiveServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        if not os.path.exists(CHROMIUM):
            reason = f"{CHROMIUM} is missing; install it with: apt-get install chromium"
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the browser tests: {reason}")
            raise SkipTest(reason)
        # The class-level override_settings is applied by super().setUpClass()
        # before daphne is forked, so the server process uses the slow brain.
        super().setUpClass()

    def setUp(self) -> None:
        # Playwright's sync API keeps an asyncio event loop running in this
        # thread, so Django would refuse the test's own ORM calls with
        # SynchronousOnlyOperation. They are plain blocking queries from the
        # test, not from async code, so allow them, but only for this test
        # and only in this process: daphne was forked in setUpClass, before
        # this, so the server keeps Django's check.
        self.enterContext(mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}))
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.project_url = f"{self.live_server_url}/{self.project.id}/"

        playwright = sync_playwright().start()
        self.addCleanup(playwright.stop)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        self.addCleanup(browser.close)
        # While Playwright's loop runs, Django keeps this thread's database
        # connections apart from the ones it uses when no loop runs (asgiref's
        # thread-critical Local switches to per-context storage), so the
        # test's queries below open a connection that Django's teardown does
        # not see. Close it while the loop still runs (cleanups run last
        # first): left open, it stops PostgreSQL from dropping the test
        # database at the end of the run.
        self.addCleanup(connections.close_all)
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page_errors: list[str] = []

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def db_message_ids(self) -> list[int]:
        return list(
            Message.objects.filter(project=self.project)
            .order_by("seq")
            .values_list("id", flat=True)
        )

    def assert_page_shows_db_messages(self, page: Page, count: int) -> None:
        """Each message of the project on the page exactly once, in order."""
        messages = page.locator("#chat-log [data-message-id]")
        expect(messages).to_have_count(count)
        shown = [int(i) for i in messages.evaluate_all("els => els.map(e => e.dataset.messageId)")]
        self.assertEqual(len(shown), len(set(shown)), f"a message is shown twice: {shown}")
        self.assertEqual(shown, self.db_message_ids())

    def test_a_reply_is_pending_then_answered_in_place_on_every_open_page(self) -> None:
        page = self.new_page()

        # Log in the way a person does: the project link leads to the form.
        page.goto(self.project_url)
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
        page.get_by_label("Username", exact=True).fill("alice")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        subscribers = redis_subscribers()
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(self.project_url)
        expect(page.get_by_role("heading", name="Launch video")).to_be_visible()
        wait_for_redis_subscriber(subscribers)

        chat = page.locator("#chat-log")
        scenes = page.locator("#scene-list [data-scene-id]")
        expect(chat).to_contain_text("Describe the video you want.")
        expect(scenes).to_have_count(0)

        # Send with Enter.
        message_box = page.get_by_label("Message", exact=True)
        message_box.fill(FIRST_REQUEST)
        message_box.press("Enter")

        user_message = chat.locator("[data-role=user]")
        expect(user_message).to_have_count(1)
        expect(user_message.locator(".content")).to_have_text(FIRST_REQUEST)
        # The composer is fresh for the next message.
        expect(message_box).to_have_value("")

        # The reply shows up pending, with the dots, while the brain thinks.
        reply = chat.locator("[data-role=assistant]")
        expect(reply).to_have_count(1)
        expect(reply).to_have_attribute("data-status", "pending")
        expect(reply).to_contain_text(PENDING_TEXT)
        expect(reply.get_by_role("status")).to_be_visible()
        pending_seen_at = time.monotonic()
        reply_id = reply.get_attribute("data-message-id")
        db_reply = Message.objects.get(project=self.project, role=Message.Role.ASSISTANT)
        self.assertEqual(reply_id, str(db_reply.id))

        # The same message, not a new one, turns into the answer.
        expect(reply).to_have_attribute("data-status", "success", timeout=TIMEOUT_MS)
        answered_seen_at = time.monotonic()
        expect(reply).to_have_count(1)
        expect(reply).to_have_attribute("data-message-id", reply_id)
        expect(reply.locator(".content")).to_have_text(FIRST_REPLY)
        expect(chat.get_by_role("status")).to_have_count(0)

        # The server used the slow brain: the dots stayed up while it slept.
        db_reply.refresh_from_db()
        self.assertEqual(db_reply.status, Message.Status.SUCCESS)
        self.assertGreaterEqual(
            db_reply.updated_at - db_reply.claimed_at, timedelta(seconds=SLOW_SECONDS)
        )
        self.assertGreater(answered_seen_at - pending_seen_at, SLOW_SECONDS / 4)

        # The new scene appears in the scene list.
        scene = Scene.objects.get(project=self.project)
        expect(scenes).to_have_count(1)
        expect(scenes).to_have_attribute("data-scene-id", str(scene.id))
        expect(scenes).to_have_attribute("data-duration-frames", "150")
        expect(scenes).to_contain_text("Launch Day")

        # A reload shows the same two messages, each once, and nothing pending.
        page.reload()
        self.assert_page_shows_db_messages(page, count=2)
        expect(chat.locator("[data-status=pending]")).to_have_count(0)
        expect(page.locator(f"#message-{reply_id} .content")).to_have_text(FIRST_REPLY)

        # A second tab on the same project, open before the next message.
        other = self.new_page()
        other.goto(self.project_url)
        self.assert_page_shows_db_messages(other, count=2)
        other.evaluate("window.chatvideoNotReloaded = true")

        message_box = page.get_by_label("Message", exact=True)
        message_box.fill(SECOND_REQUEST)
        message_box.press("Enter")

        for tab in (page, other):
            tab_chat = tab.locator("#chat-log")
            last_request = tab_chat.locator("[data-role=user]").last
            expect(last_request.locator(".content")).to_have_text(SECOND_REQUEST)
            last_reply = tab_chat.locator("[data-role=assistant]").last
            expect(last_reply).to_have_attribute("data-status", "success", timeout=TIMEOUT_MS)
            expect(last_reply.locator(".content")).to_have_text(SECOND_REPLY)
            expect(tab_chat.get_by_role("status")).to_have_count(0)
            tab_scenes = tab.locator("#scene-list [data-scene-id]")
            expect(tab_scenes).to_have_count(1)
            expect(tab_scenes).to_have_attribute("data-scene-id", str(scene.id))
            expect(tab_scenes).to_have_attribute("data-duration-frames", "120")
            self.assert_page_shows_db_messages(tab, count=4)
        # The second tab got there live, without a reload.
        self.assertIs(other.evaluate("window.chatvideoNotReloaded"), True)

        # The database: two exchanges, one scene, no reply made by the task view.
        self.assertEqual(Message.objects.filter(project=self.project).count(), 4)
        self.assertEqual(Scene.objects.filter(project=self.project).count(), 1)
        users = Message.objects.filter(project=self.project, role=Message.Role.USER)
        assistants = Message.objects.filter(project=self.project, role=Message.Role.ASSISTANT)
        self.assertEqual(assistants.count(), users.count())
        self.assertEqual(
            sorted(assistants.values_list("in_reply_to_id", flat=True)),
            sorted(users.values_list("id", flat=True)),
        )
        self.assertFalse(assistants.exclude(status=Message.Status.SUCCESS).exists())
        self.assertEqual(self.page_errors, [])

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "chat.png")
