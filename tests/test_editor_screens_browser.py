"""The editor as a person sees it, in headless Chromium: desktop and medium
sizes (1024x768, 1112x834, 900x1000) with 1, 5 and 30 scenes and an export
listed, and two phones' Preview tab (390x844, 360x740).

On a desktop or a medium screen the scene list keeps a real share of the
screen: it scrolls in its own area (the page itself does not scroll), several
cards show whole, and the player, Send and the Export button stay on screen.
On a phone the Preview tab scrolls as one, the player stuck at its top, the
list under it; a finger dragging a scene scrolls the tab along. Screenshots go
to test-artifacts/editor-<width>x<height>-[preview-]<n>-scenes[-scrolled].png
for a person to judge.
"""

from playwright.sync_api import Page, expect

from exports.models import Export

from . import test_editor_layout_browser as layout
from . import test_scene_controls_browser as controls
from .browser import ARTIFACTS, TIMEOUT_MS

DESKTOPS = ({"width": 1280, "height": 800}, {"width": 1440, "height": 900})
# Cards wholly inside the list's visible box, and whether the list scrolls.
LIST_VIEW = """list => {
  const box = list.getBoundingClientRect();
  const cards = [...list.querySelectorAll('li.scene')];
  const whole = cards.filter((card) => {
    const r = card.getBoundingClientRect();
    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  }).length;
  return {whole, scrolls: list.scrollHeight > list.clientHeight + 1};
}"""
PAGE_FITS = "document.scrollingElement.scrollHeight <= window.innerHeight + 1"
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"
# The tab scrolled so that the list starts under the player.
SCROLL_TO_LIST = """pane => {
  const list = pane.querySelector('[data-scene-list]');
  const player = pane.querySelector('.player');
  for (let i = 0; i < 2; i++) {  // the second corrects once the player is stuck
    pane.scrollTop += list.getBoundingClientRect().top - player.getBoundingClientRect().bottom;
  }
}"""
# A small laptop, an iPad across, a tall narrow window; two phones.
MEDIUMS = (
    {"width": 1024, "height": 768},
    {"width": 1112, "height": 834},
    {"width": 900, "height": 1000},
)
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 740})
# Scene cards a person sees whole: inside the window, and neither clipped by
# a scrolling box nor under the sticky player (what is at each edge is the card).
WHOLE_ON_SCREEN = """() => [...document.querySelectorAll('li.scene')].filter((card) => {
  const r = card.getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight || r.height === 0) return false;
  const x = r.left + r.width / 2;
  return [r.top + 3, r.bottom - 3].every((y) => {
    const at = document.elementFromPoint(x, y);
    return at !== null && at.closest('li.scene') === card;
  });
}).length"""


class EditorScreenTests(layout.EditorTestCase):
    def add_done_export(self) -> Export:
        return Export.objects.create(
            project=self.project,
            status="done",
            snapshot=[],
            width=self.project.width,
            height=self.project.height,
            fps=self.project.fps,
            frames_total=30,
            frames_done=30,
            file="exports/never-rendered.mp4",
            size_bytes=123_456,
            duration_seconds=1.0,
        )

    def look(self, page: Page, scenes: int) -> dict:
        expect(page.locator("li.scene")).to_have_count(scenes)
        expect(page.locator("[data-player-stage]")).to_be_in_viewport(ratio=1)
        expect(page.get_by_role("button", name="Export MP4")).to_be_in_viewport(ratio=1)
        expect(page.get_by_role("button", name="Send")).to_be_in_viewport(ratio=1)
        self.assertTrue(page.evaluate(PAGE_FITS), "the page itself scrolls")
        return page.locator("[data-scene-list]").evaluate(LIST_VIEW)

    def test_on_a_desktop_the_scene_list_has_room_at_every_size(self) -> None:
        self.add_done_export()
        self.open(DESKTOPS[0]).close()  # logged in from here on
        for count in (1, 5, 30):
            self.project.scenes.all().delete()
            layout.make_scenes(self.project, count)
            for viewport in DESKTOPS:
                page = self.new_page()
                page.set_viewport_size(viewport)
                page.goto(f"{self.live_server_url}/{self.project.id}/")
                expect(page.locator(".export-card")).to_have_count(1)
                size = f"{viewport['width']}x{viewport['height']}"
                page.screenshot(path=ARTIFACTS / f"editor-{size}-{count}-scenes.png")
                view = self.look(page, count)
                if count <= 5:
                    # A short project shows every scene at once.
                    self.assertEqual(view, {"whole": count, "scrolls": False}, size)
                else:
                    # A long one scrolls in its own area, many cards at a time.
                    self.assertTrue(view["scrolls"], size)
                    self.assertGreaterEqual(view["whole"], 5, size)
                page.close()
        self.assertEqual(self.page_errors, [])

    def test_on_a_phone_the_preview_tab_shows_the_project_and_its_scenes(self) -> None:
        layout.make_scenes(self.project, 5)
        self.add_done_export()
        page = self.open(layout.PHONE)
        page.get_by_role("tab", name="Preview").click()
        heading = page.get_by_role("heading", level=1, name="Launch video")
        expect(heading).to_be_visible()
        expect(page.locator("[data-player-stage]")).to_be_in_viewport(ratio=1)
        self.assertTrue(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))
        page.screenshot(path=ARTIFACTS / "editor-390x844-preview.png")
        page.locator("#panel-preview").evaluate("el => el.scrollTop = el.scrollHeight")
        page.screenshot(path=ARTIFACTS / "editor-390x844-preview-scrolled.png")
        self.assertEqual(self.page_errors, [])

    def test_at_medium_widths_the_scene_list_sits_by_the_player(self) -> None:
        self.add_done_export()
        self.open(MEDIUMS[0]).close()  # logged in from here on
        for count in (1, 5, 30):
            self.project.scenes.all().delete()
            layout.make_scenes(self.project, count)
            for viewport in MEDIUMS:
                size = f"{viewport['width']}x{viewport['height']}"
                page = self.new_page()
                page.set_viewport_size(viewport)
                page.goto(f"{self.live_server_url}/{self.project.id}/")
                expect(page.locator(".export-card")).to_have_count(1)
                page.screenshot(path=ARTIFACTS / f"editor-{size}-{count}-scenes.png")
                view = self.look(page, count)
                self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL), size)
                whole = page.evaluate(WHOLE_ON_SCREEN)
                self.assertGreaterEqual(whole, min(count, 3), f"{size}, {count} scenes")
                self.assertEqual(view["scrolls"], count > whole, size)
                page.close()
        self.assertEqual(self.page_errors, [])

    def test_on_a_phone_the_preview_tab_keeps_the_player_over_the_scenes(self) -> None:
        self.add_done_export()
        self.open(PHONES[0]).close()  # logged in from here on
        for count in (1, 5, 30):
            self.project.scenes.all().delete()
            layout.make_scenes(self.project, count)
            for viewport in PHONES:
                size = f"{viewport['width']}x{viewport['height']}"
                page = self.new_page()
                page.set_viewport_size(viewport)
                page.goto(f"{self.live_server_url}/{self.project.id}/")
                page.get_by_role("tab", name="Preview").click()
                expect(page.locator("li.scene")).to_have_count(count)
                self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL), size)
                page.screenshot(path=ARTIFACTS / f"editor-{size}-preview-{count}-scenes.png")
                first = page.evaluate(WHOLE_ON_SCREEN)
                # Scrolled down the tab, the player stays on top and the list fills the rest.
                pane = page.locator("#panel-preview")
                pane.evaluate(SCROLL_TO_LIST)
                page.screenshot(
                    path=ARTIFACTS / f"editor-{size}-preview-{count}-scenes-scrolled.png"
                )
                expect(page.locator("[data-player-stage]")).to_be_in_viewport(ratio=1)
                expect(page.get_by_role("button", name="Play")).to_be_in_viewport(ratio=1)
                whole = page.evaluate(WHOLE_ON_SCREEN)
                # Before scrolling, the project's title and the headings take some room.
                self.assertGreaterEqual(first, min(count, 2), f"{size}, {count} scenes")
                self.assertGreaterEqual(whole, min(count, 3), f"{size}, {count} scenes")
                self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL), size)
                page.get_by_role("tab", name="Chat").click()
                expect(page.get_by_role("button", name="Send")).to_be_in_viewport(ratio=1)
                page.close()
        self.assertEqual(self.page_errors, [])

    def test_on_a_touch_phone_a_drag_scrolls_the_tab_along_a_long_list(self) -> None:
        layout.make_scenes(self.project, 12)
        phone = self.context.browser.new_context(
            viewport=layout.PHONE, has_touch=True, is_mobile=True
        )
        self.addCleanup(phone.close)
        phone.set_default_timeout(TIMEOUT_MS)
        page = phone.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.log_in(page, f"{self.live_server_url}/{self.project.id}/")
        page.get_by_role("tab", name="Preview").tap()
        pane = page.locator("#panel-preview")
        self.assertEqual(pane.evaluate("el => el.scrollTop"), 0)
        # Held at the tab's foot, the finger scrolls the tab (the list itself
        # does not scroll) until scene 1 is the last.
        controls.SceneControlsBrowserTests.drag_first_to_the_end(self, page, touch=True)
        expect(page.locator("#scene-status")).to_have_text("Moved scene 1 to position 12.")
        names = [f"Title card: Chapter {n}" for n in (*range(2, 13), 1)]
        expect(page.locator("li.scene .scene-name")).to_have_text(names)
        self.assertGreater(pane.evaluate("el => el.scrollTop"), 0)
        page.screenshot(path=ARTIFACTS / "editor-390x844-preview-touch-dragged.png")
        self.assertEqual(self.page_errors, [])
