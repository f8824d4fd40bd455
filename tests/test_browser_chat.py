"""A person chatting in headless Chromium, against a real daphne server.

The brain is the offline one slowed down by two seconds (tests.brains), so
the test can watch the pending reply with its dots before it is answered.
"""

import time
from datetime import timedelta

from django.contrib.auth.models import User
from django.test import override_settings
from playwright.sync_api import Page, expect

from messages_app.models import PENDING_TEXT, Message
from projects.models import Project
from scenes.models import Scene

from .brains import SLOW_SECONDS
from .browser import ARTIFACTS, TIMEOUT_MS, BrowserTestCase
from .helpers import PASSWORD

FIRST_REQUEST = "add a title scene that says Launch Day"
FIRST_REPLY = "Added scene 1, a title card reading \u201cLaunch Day\u201d, 5 seconds."
SECOND_REQUEST = "make scene 1 4 seconds long"
SECOND_REPLY = "Scene 1 now lasts 4 seconds."


@override_settings(CHATVIDEO_BRAIN="tests.brains.SlowOfflineBrain")
class BrowserChatTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.project_url = f"{self.live_server_url}/{self.project.id}/"

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
        self.log_in(page, self.project_url)
        expect(page.get_by_role("heading", name="Launch video")).to_be_visible()

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
