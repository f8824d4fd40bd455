"""The scene list as controls, in headless Chromium at phone and desktop size.

Click a scene to see it, move it with the keyboard, drag it, duplicate it,
delete it and bring it back with Undo; each shows up as a note in the chat,
and a second open page follows over the event stream. Screenshots go to
test-artifacts/.
"""

import re

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from projects.models import Project
from scenes.tools import add_scene, delete_scene

from .browser import ARTIFACTS, TIMEOUT_MS, BrowserTestCase
from .helpers import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


class SceneControlsBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        for title, frames in (("Alpha", 60), ("Bravo", 90), ("Charlie", 120)):
            add_scene(self.project, props={"title": title}, duration_frames=frames)
        self.url = f"{self.live_server_url}/{self.project.id}/"

    # Helpers -----------------------------------------------------------------

    def names(self, page: Page) -> list[str]:
        return page.locator("li.scene .scene-name").all_inner_texts()

    def expect_names(self, page: Page, *titles: str) -> None:
        expect(page.locator("li.scene .scene-name")).to_have_text(
            [f"Title card: {title}" for title in titles]
        )

    def expect_note(self, page: Page, text: str, phone: bool) -> None:
        """The status under Scenes says it, and so does the chat's newest message."""
        expect(page.locator("#scene-status")).to_contain_text(text)
        if phone:
            page.get_by_role("tab", name="Chat").click()
        note = page.locator("#chat-log article.assistant").last
        expect(note).to_contain_text(text)
        expect(note).to_have_attribute("data-status", "success")
        if phone:
            page.get_by_role("tab", name="Preview").click()

    def shoot(self, page: Page, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / name)

    def drag_first_to_the_end(self, page: Page, touch: bool = False) -> None:
        """Drag scene 1 by its handle (a mouse, or a finger) to the list's
        bottom edge, held there while the list scrolls; drop it once it is last."""
        scene_list = page.locator("[data-scene-list]")
        scene_list.evaluate("el => { el.scrollTop = 0; }")
        dragged = page.locator("li.scene").first
        handle = dragged.locator("[data-scene-drag]")
        handle.scroll_into_view_if_needed()
        box, edges = handle.bounding_box(), scene_list.bounding_box()
        assert box and edges
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        bottom = min(edges["y"] + edges["height"], page.viewport_size["height"]) - 6
        if touch:
            cdp = page.context.new_cdp_session(page)

            def finger(kind: str, at: float | None) -> None:
                points = [] if at is None else [{"x": x, "y": at}]
                cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

            finger("touchStart", y)
            expect(dragged).to_have_class(re.compile("is-dragging"))
            for step in range(1, 13):
                finger("touchMove", y + (bottom - y) * step / 12)
            expect(page.locator("li.scene").last).to_have_class(re.compile("is-dragging"))
            finger("touchEnd", None)
        else:
            page.mouse.move(x, y)
            page.mouse.down()
            expect(dragged).to_have_class(re.compile("is-dragging"))
            page.mouse.move(x, bottom, steps=12)
            expect(page.locator("li.scene").last).to_have_class(re.compile("is-dragging"))
            page.mouse.up()
        expect(page.locator("li.scene.is-dragging")).to_have_count(0)

    # The controls, at each size ------------------------------------------------

    def run_controls(self, viewport: dict, size: str) -> None:
        phone = viewport is PHONE
        page = self.new_page()
        page.set_viewport_size(viewport)
        self.log_in(page, self.url)
        if phone:
            page.get_by_role("tab", name="Preview").click()
        player = page.locator("[data-player]")
        expect(player.locator("[data-player-time]")).to_contain_text("/ 270")
        self.expect_names(page, "Alpha", "Bravo", "Charlie")
        self.shoot(page, f"scene-controls-{size}-list.png")

        # A click on a scene card shows its first frame in the preview.
        page.locator("li.scene").nth(1).click()
        expect(player.locator("[data-player-time]")).to_contain_text("Frame 60 / 270")
        expect(player.locator("[data-player-scene]")).to_contain_text("Scene 2")
        expect(page.locator("li.scene").nth(1)).to_have_class(re.compile("is-current"))

        # Move up from the keyboard: the focus stays on the moved scene.
        page.get_by_role("button", name="Move scene 3 up").focus()
        page.keyboard.press("Enter")
        self.expect_names(page, "Alpha", "Charlie", "Bravo")
        expect(page.get_by_role("button", name="Move scene 2 up")).to_be_focused()
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        self.assertEqual(ring, "solid")
        self.expect_note(page, "Moved scene 3 to position 2.", phone)
        self.shoot(page, f"scene-controls-{size}-moved.png")

        # Drag the first scene by its handle to the end.
        self.drag_first_to_the_end(page)
        self.expect_names(page, "Charlie", "Bravo", "Alpha")
        self.expect_note(page, "Moved scene 1 to position 3.", phone)

        # Duplicate.
        page.get_by_role("button", name="Duplicate scene 2").click()
        self.expect_names(page, "Charlie", "Bravo", "Bravo", "Alpha")
        self.expect_note(page, "Duplicated scene 2 as scene 3.", phone)

        # Delete, then Undo beside the note brings it back.
        page.get_by_role("button", name="Delete scene 1").click()
        self.expect_names(page, "Bravo", "Bravo", "Alpha")
        undo = page.locator("#scene-status").get_by_role("button", name="Undo")
        expect(undo).to_be_focused()
        self.expect_note(page, "Deleted scene 1 (Title card: Charlie). Undo brings it back.", phone)
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        self.shoot(page, f"scene-controls-{size}-deleted.png")
        undo.click()
        self.expect_names(page, "Charlie", "Bravo", "Bravo", "Alpha")
        expect(page.locator("#scene-status")).to_have_text("")
        if phone:
            page.get_by_role("tab", name="Chat").click()
        expect(page.locator("#chat-log article.assistant").last).to_contain_text(
            "Undid: \u201cDeleted scene 1 (Title card: Charlie). Undo brings it back.\u201d"
        )
        self.shoot(page, f"scene-controls-{size}-undone-chat.png")
        self.assertEqual(self.page_errors, [])

    def test_every_control_on_a_phone(self) -> None:
        self.run_controls(PHONE, "phone")

    def test_every_control_on_a_desktop(self) -> None:
        self.run_controls(DESKTOP, "desktop")

    def test_a_finger_drags_a_scene_on_a_touch_phone(self) -> None:
        phone = self.context.browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        self.addCleanup(phone.close)
        phone.set_default_timeout(TIMEOUT_MS)
        page = phone.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.log_in(page, self.url)
        page.get_by_role("tab", name="Preview").tap()
        self.drag_first_to_the_end(page, touch=True)

        self.expect_names(page, "Bravo", "Charlie", "Alpha")
        expect(page.locator("#scene-status")).to_have_text("Moved scene 1 to position 3.")
        self.shoot(page, "scene-controls-phone-touch-dragged.png")
        self.assertEqual(self.page_errors, [])

    # Everyone else -----------------------------------------------------------

    def test_a_second_open_page_follows_and_a_refused_move_says_why(self) -> None:
        first = self.new_page()
        self.log_in(first, self.url)
        second = self.new_page()
        second.goto(self.url)
        self.expect_names(second, "Alpha", "Bravo", "Charlie")

        first.get_by_role("button", name="Move scene 1 down").click()
        self.expect_names(second, "Bravo", "Alpha", "Charlie")
        expect(second.locator("#chat-log article.assistant").last).to_contain_text(
            "Moved scene 1 to position 2."
        )

        # A scene deleted where no page heard of it (no event): the first
        # page's move of it is refused with a sentence, and its list catches up.
        charlie = self.project.scenes.get(props__title="Charlie")
        delete_scene(self.project, scene_id=charlie.id)
        first.locator(f'li[data-scene-id="{charlie.id}"]').get_by_role(
            "button", name="Move scene 3 up"
        ).click()
        expect(first.locator("#scene-status")).to_have_text("That scene does not exist any more.")
        expect(first.locator("#scene-status")).to_have_class(re.compile("is-error"))
        self.expect_names(first, "Bravo", "Alpha")
        self.assertFalse(self.project.messages.filter(content__contains="scene 3 to").exists())
        self.assertEqual(self.page_errors, [])
