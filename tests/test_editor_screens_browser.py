"""The editor as a person sees it, in headless Chromium: desktop sizes with 1, 5
and 30 scenes and an export listed, and a phone's preview tab.

On a desktop the scene list keeps a real share of the screen: it scrolls in
its own area (the page itself does not scroll), several cards show whole, and
the player and the Export button stay on screen beside it. Screenshots go to
test-artifacts/editor-<width>x<height>-<n>-scenes.png for a person to judge.
"""

from playwright.sync_api import Page, expect

from exports.models import Export

from . import test_editor_layout_browser as layout
from .browser import ARTIFACTS

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
