"""Poster frames and thumbnails as a person sees them: real daphne, Chromium and db_worker.

Screenshots go to test-artifacts/ (thumbnails-*.png) for a person to look at.
"""

import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from PIL import Image, ImageStat
from playwright.sync_api import expect

from exports.models import Thumbnail
from projects.models import Project

from .browser import ARTIFACTS, BrowserTestCase
from .exports_support import Worker, files_in
from .helpers import PASSWORD

FILES = Path(tempfile.mkdtemp(prefix="chatvideo-thumbnails-browser-"))
# The worker starts, claims the task, starts Chromium and draws: seconds, on a loaded machine more.
THUMBNAIL_TIMEOUT_MS = 60_000
REPLY_TIMEOUT_MS = 30_000  # the offline brain's reply, on a machine others share


def bright_pixels(png: bytes) -> int:
    """Pixels near white: a scene's title, never its dark background."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.point(lambda v: 255 if v > 200 else 0).histogram()[255]


def spread(png: bytes) -> float:
    return max(ImageStat.Stat(Image.open(io.BytesIO(png)).convert("RGB")).stddev)


@files_in(FILES)
class ThumbnailBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(
            owner=owner, title="Launch video", width=640, height=360, fps=15
        )
        self.project_url = f"{self.live_server_url}/{self.project.id}/"
        self.worker = Worker(FILES / f"worker-{self.id()}.log")
        self.addCleanup(self.worker.stop)
        ARTIFACTS.mkdir(exist_ok=True)

    def test_a_new_scene_shows_its_poster_then_its_thumbnail(self) -> None:
        page = self.new_page()
        self.log_in(page, self.project_url)
        # Which fetches of the ready-thumbnails list htmx made (on the worker's event).
        fetched_on_event = []
        ready_url = f"{self.project_url}thumbnails/"
        page.on(
            "request",
            lambda r: (
                fetched_on_event.append(r.headers.get("hx-request") == "true")
                if r.url == ready_url
                else None
            ),
        )
        message_box = page.get_by_label("Message", exact=True)
        message_box.fill("add a title scene that says Launch Day")
        message_box.press("Enter")

        # Right after "Added scene 1" the paused player shows the scene's poster
        # frame, with its title on it, not the empty background of frame 0.
        player = page.locator("[data-player]")
        expect(page.locator("#chat-log")).to_contain_text("Added scene 1", timeout=REPLY_TIMEOUT_MS)
        expect(player).to_have_attribute("data-poster", "shown")
        expect(player.locator("[data-player-time]")).to_contain_text("Frame 0 / ")
        expect(player.get_by_role("button", name="Play")).to_be_visible()
        stage = player.locator("[data-player-stage]")
        page.wait_for_timeout(200)  # the seek's picture is painted
        poster = stage.screenshot(path=ARTIFACTS / "thumbnails-paused-poster.png")
        self.assertGreater(bright_pixels(poster), 500)

        # The exact frame 0, for comparison: the background alone.
        player.get_by_label("Scrubber").press("Home")
        expect(player).not_to_have_attribute("data-poster", "shown")
        expect(player).to_have_attribute("data-rendered-frame", "0")
        page.wait_for_timeout(200)
        blank = stage.screenshot(path=ARTIFACTS / "thumbnails-frame-0.png")
        self.assertEqual(bright_pixels(blank), 0)
        self.assertLess(spread(blank), spread(poster))

        # A placeholder first; the worker draws the thumbnail and the page swaps
        # it in, in the scene list and in the timeline, without a reload.
        scene_item = page.locator("#scene-list li.scene").first
        thumbnail = scene_item.locator("img.thumb")
        expect(thumbnail).to_be_visible(timeout=THUMBNAIL_TIMEOUT_MS)
        expect(page.locator(".timeline-segment img.thumb")).to_have_count(1)
        self.assertEqual(
            thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)"), 320
        )
        scene_item.screenshot(path=ARTIFACTS / "thumbnails-scene-list.png")
        page.locator(".scenes").screenshot(path=ARTIFACTS / "thumbnails-editor.png")
        stored = Thumbnail.objects.get()
        self.assertGreater(stored.render_ms, 0, self.worker.output())
        if settings.REDIS_URL:
            # The worker's "thumbnail" event crossed processes and reached the page.
            for _ in range(50):
                if True in fetched_on_event:
                    break
                page.wait_for_timeout(100)
            self.assertIn(True, fetched_on_event)

        # The project list shows it too, and a reload draws nothing new.
        page.goto(f"{self.live_server_url}/")
        row = page.locator(f'[data-project-id="{self.project.id}"]')
        expect(row.locator("img.thumb")).to_be_visible()
        row.screenshot(path=ARTIFACTS / "thumbnails-project-list.png")
        page.goto(self.project_url)
        expect(page.locator("#scene-list li.scene img.thumb")).to_be_visible()
        self.assertEqual(Thumbnail.objects.get().rendered_at, stored.rendered_at)

    def test_a_timeline_click_while_paused_shows_the_scene_poster(self) -> None:
        from scenes.tools import add_scene

        add_scene(self.project, props={"title": "First"}, duration_frames=30)
        second = add_scene(
            self.project, props={"title": "Second", "background": "#7c2d12"}, duration_frames=30
        )
        page = self.new_page()
        self.log_in(page, self.project_url)
        player = page.locator("[data-player]")
        expect(player).to_have_attribute("data-poster", "shown")
        player.get_by_label("Scrubber").press("ArrowRight")  # an exact frame, no poster
        expect(player).not_to_have_attribute("data-poster", "shown")

        player.locator(f'[data-segment-scene-id="{second.id}"]').click()
        # At the scene's start (frame 30), with its poster on screen.
        expect(player).to_have_attribute("data-frame", "30")
        expect(player).to_have_attribute("data-poster", "shown")
        page.wait_for_timeout(200)
        shot = player.locator("[data-player-stage]").screenshot(
            path=ARTIFACTS / "thumbnails-timeline-click.png"
        )
        self.assertGreater(bright_pixels(shot), 300)
        # Play goes from the scene's start.
        player.get_by_role("button", name="Play").click()
        expect(player).not_to_have_attribute("data-poster", "shown")
        self.assertEqual(self.page_errors, [])
