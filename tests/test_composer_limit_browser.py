"""A message longer than the limit, pasted in headless Chromium: the page says so, and keeps it.

The textarea has no maxlength (a browser would cut the paste without a
word); a count shows near the limit, and the server refuses a message over
it with its own message, keeping the text (messages_app/forms.py).
"""

from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from messages_app.models import Message
from projects.models import Project

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD

LIMIT = settings.CHATVIDEO_MAX_MESSAGE_CHARS  # 4000


class ComposerLimitBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.page = self.new_page()
        self.log_in(self.page, f"{self.live_server_url}/{self.project.id}/")
        self.box = self.page.get_by_label("Message", exact=True)
        self.count = self.page.locator("#composer-count")

    def paste(self, page: Page, text: str) -> None:
        """Paste from the clipboard, as a person does with Ctrl+V."""
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        self.box.focus()
        page.keyboard.press("Control+V")

    def test_a_long_paste_is_kept_counted_and_refused_with_the_reason(self) -> None:
        self.assertEqual(LIMIT, 4000)
        text = "Make the title scene say Launch Day. " * 135  # 4,995 characters
        text = text + "x" * (5000 - len(text))
        self.paste(self.page, text)

        # All of it is there, and the page says by how much it is over.
        self.assertEqual(self.box.evaluate("box => box.value.length"), 5000)
        # The count is the textarea's description, and is read out as it changes.
        expect(self.box).to_have_attribute("aria-describedby", "composer-count")
        expect(self.count).to_have_attribute("aria-live", "polite")
        expect(self.count).to_have_text("1,000 characters too long")
        expect(self.count).to_have_class("composer-count over")

        # Send still posts; the server says why not, and the text stays.
        self.page.get_by_role("button", name="Send").click()
        expect(self.page.get_by_role("alert")).to_have_text(
            "Messages can be at most 4000 characters (this one has 5000)."
        )
        expect(self.box).to_have_value(text.strip())
        expect(self.count).to_have_text("1,000 characters too long")
        self.assertFalse(Message.objects.exists())
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.locator("#composer").screenshot(path=ARTIFACTS / "composer-too-long.png")

        # Cut back to the limit: the count shows where it stands.
        self.box.fill("y" * LIMIT)
        expect(self.count).to_have_text("4,000 / 4,000")
        expect(self.count).not_to_have_class("composer-count over")
        self.assertEqual(self.page_errors, [])

    def test_the_count_shows_only_near_the_limit(self) -> None:
        self.box.press_sequentially("Add a title scene")
        expect(self.box).to_have_value("Add a title scene")
        expect(self.count).to_have_text("")

        self.box.fill("z" * 3599)  # under 90%
        expect(self.count).to_have_text("")
        self.box.press("z")  # 3,600: 90%
        expect(self.count).to_have_text("3,600 / 4,000")
        self.box.press("z")
        expect(self.count).to_have_text("3,601 / 4,000")
        self.box.fill("z" * (LIMIT + 1))
        expect(self.count).to_have_text("1 character too long")
        self.box.fill("Add a title scene")
        expect(self.count).to_have_text("")
        self.assertEqual(self.page_errors, [])
