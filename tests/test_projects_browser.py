"""Projects in headless Chromium at desktop and phone size, against a real daphne:
create a 9:16 project, send a suggestion chip and see the reply, rename it,
duplicate it with its scene, delete the copy after confirming."""

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from projects.models import Project

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
NO_SIDEWAYS_SCROLL = "() => document.scrollingElement.scrollWidth <= window.innerWidth"


class ProjectPagesBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        User.objects.create_user("alice", password=PASSWORD)
        ARTIFACTS.mkdir(exist_ok=True)

    def shot(self, page: Page, name: str, size: str) -> None:
        page.screenshot(path=ARTIFACTS / f"projects-{name}-{size}.png", full_page=True)

    def test_desktop(self) -> None:
        self.run_through("desktop")

    def test_phone(self) -> None:
        self.run_through("phone")

    def run_through(self, size: str) -> None:
        page = self.new_page()
        page.set_viewport_size(VIEWPORTS[size])
        self.log_in(page, f"{self.live_server_url}/")

        # Create, portrait.
        page.get_by_label("Title").fill("Reel")
        page.get_by_label("Aspect ratio").select_option("9:16")
        page.get_by_label("Frame rate").select_option("30")
        self.shot(page, "new", size)
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        page.get_by_role("button", name="Create project").click()
        expect(page.get_by_role("heading", name="Reel")).to_be_visible()
        project = Project.objects.get(title="Reel")
        self.assertEqual((project.width, project.height, project.fps), (1080, 1920, 30))

        # An empty project offers chips; one click sends a real message.
        chips = page.get_by_role("group", name="Suggestions").get_by_role("button")
        expect(chips).to_have_count(3)
        self.shot(page, "empty-with-chips", size)
        page.get_by_role("button", name="Add a title scene that says Hello").click()
        chat = page.locator("#chat-log")
        expect(chat.locator(".message.user")).to_contain_text("add a title scene that says Hello")
        expect(chat.locator(".message.assistant")).to_contain_text("Added scene 1", timeout=20_000)
        # The player takes the project's portrait shape.
        player = page.locator("[data-player]")
        expect(player).to_have_attribute("data-width", "1080")
        expect(player).to_have_attribute("data-height", "1920")
        self.shot(page, "chip-answered", size)

        # Rename through the settings page.
        page.get_by_role("link", name="Project settings").click()
        expect(page.get_by_label("Aspect ratio")).to_have_value("9:16")
        page.get_by_label("Title").fill("Reel, final")
        self.shot(page, "settings", size)
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name="Reel, final")).to_be_visible()
        expect(page.locator(".flash")).to_contain_text("Project saved.")

        # Duplicate from the list: the copy has the scene.
        page.get_by_role("link", name="chatvideo").click()
        page.get_by_role("button", name="Duplicate Reel, final").click()
        expect(page.locator(".flash")).to_contain_text("Duplicated as")
        copy_row = page.locator(".project-row", has_text="Copy of Reel, final")
        expect(copy_row).to_contain_text("1 scene · 0:05")
        expect(copy_row).to_contain_text("updated just now")
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        self.shot(page, "list", size)

        # Delete the copy: a confirmation page first, Cancel keeps it.
        copy_row.get_by_role("link", name="Delete Copy of Reel, final").click()
        expect(
            page.get_by_role("heading", name="Delete \u201cCopy of Reel, final\u201d?")
        ).to_be_visible()
        self.shot(page, "delete-confirm", size)
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        page.get_by_role("link", name="Cancel").click()
        expect(page.locator(".project-row")).to_have_count(2)
        page.get_by_role("link", name="Delete Copy of Reel, final").click()
        page.get_by_role("button", name="Delete project").click()
        expect(page.locator(".flash")).to_contain_text("Deleted \u201cCopy of Reel, final\u201d.")
        expect(page.locator(".project-row")).to_have_count(1)
        expect(page.locator(".project-row")).to_contain_text("Reel, final")
        self.assertEqual(list(Project.objects.values_list("title", flat=True)), ["Reel, final"])

        # Undo, then the same button says Redo, and redoes.
        page.get_by_role("link", name="Reel, final", exact=True).click()
        chat = page.locator("#chat-log")
        chat.get_by_role("button", name="Undo").click()
        expect(chat.locator(".message.assistant").last).to_contain_text("Undid", timeout=20_000)
        expect(chat.get_by_role("button", name="Undo")).to_have_count(0)
        chat.get_by_role("button", name="Redo").click()
        expect(chat.locator(".message.assistant").last).to_contain_text("Redid", timeout=20_000)
        expect(chat.get_by_role("button", name="Undo")).to_have_count(1)
        self.shot(page, "redone", size)
        self.assertEqual(self.page_errors, [])
