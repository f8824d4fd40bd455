"""The preview player in headless Chromium, against a real daphne server.

Two scenes (60 and 120 frames) make a 180-frame video. The test seeks, plays,
compares screenshots of the same frame taken at different moments, and checks
from inside a scene's iframe that it can reach neither the page nor its cookies.
"""

import io
import re
import time

from django.contrib.auth.models import User
from PIL import Image, ImageChops
from playwright.sync_api import Locator, Page, expect

from projects.models import Project
from scenes.frame import SEEK_SCRIPT, SEEK_TIMEOUT_MS
from scenes.render import TEMPLATE_LABELS
from scenes.tools import add_scene

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD

# Evaluated inside a scene's iframe.
READ_PARENT = "() => { try { parent.document.body; return 'read' } catch (e) { return 'blocked' } }"
READ_COOKIE = "() => { try { return document.cookie } catch (e) { return 'threw' } }"
FETCH_PAGE = "() => fetch('/').then(() => 'fetched', () => 'blocked')"
RESYNC = "document.body.dispatchEvent(new CustomEvent('chatvideo:resync'))"
# Counts the top page's pending requestAnimationFrame callbacks, so a test can
# tell that a re-rendered player left no animation loop behind.
COUNT_ANIMATION_FRAMES = """
(() => {
  if (window.top !== window) return;
  const pending = new Set();
  const request = window.requestAnimationFrame.bind(window);
  const cancel = window.cancelAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => {
    const id = request((time) => { pending.delete(id); callback(time); });
    pending.add(id);
    return id;
  };
  window.cancelAnimationFrame = (id) => { pending.delete(id); cancel(id); };
  window.pendingAnimationFrames = () => pending.size;
})();
"""


def changed_pixels(first: bytes, second: bytes) -> int:
    """How many pixels of two same-sized PNG screenshots differ."""
    a = Image.open(io.BytesIO(first)).convert("RGB")
    b = Image.open(io.BytesIO(second)).convert("RGB")
    assert a.size == b.size, (a.size, b.size)
    # Any channel differing by more than 2 of 255 counts as a changed pixel.
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 2 else 0)
    return mask.histogram()[255]


class PlayerControls:
    """The player on self.page: its element, time readout, scene frames and scrubber."""

    page: Page

    @property
    def player(self) -> Locator:
        return self.page.locator("[data-player]")

    @property
    def time_display(self) -> Locator:
        return self.player.locator("[data-player-time]")

    def iframe(self, scene) -> Locator:
        return self.page.locator(f'iframe[data-frame-scene-id="{scene.id}"]')

    def seek(self, frame: int) -> None:
        """Drag the scrubber to a frame and wait until the scene shows it."""
        self.page.get_by_label("Scrubber").evaluate(
            "(el, frame) => { el.value = String(frame);"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }",
            frame,
        )
        expect(self.time_display).to_contain_text(f"Frame {frame} / ")
        # The current scene's iframe answered the seek for this very frame.
        expect(self.player).to_have_attribute("data-rendered-frame", str(frame))


class PlayerBrowserTests(PlayerControls, BrowserTestCase):
    init_script = COUNT_ANIMATION_FRAMES

    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.first = add_scene(
            self.project, props={"title": "First", "background": "#112233"}, duration_frames=60
        )
        self.second = add_scene(
            self.project,
            props={"title": "Second", "background": "#7c2d12", "accent": "#22d3ee"},
            duration_frames=120,
        )
        self.page = self.new_page()
        self.log_in(self.page, f"{self.live_server_url}/{self.project.id}/")
        expect(self.page.get_by_role("heading", name="Launch video")).to_be_visible()

    # Helpers -----------------------------------------------------------------

    def stage_screenshot(self) -> bytes:
        """The stage once two shots in a row agree (the frame has been painted)."""
        stage = self.player.locator("[data-player-stage]")
        previous = stage.screenshot(type="png")
        for _ in range(10):
            self.page.wait_for_timeout(50)
            shot = stage.screenshot(type="png")
            if shot == previous:
                return shot
            previous = shot
        raise AssertionError("the stage kept changing while paused")

    # Tests -------------------------------------------------------------------

    def test_the_timeline_follows_the_scene_durations(self) -> None:
        segments = self.player.locator(".timeline-segment")
        expect(segments).to_have_count(2)
        expect(segments.nth(0)).to_have_attribute("data-segment-scene-id", str(self.first.id))
        expect(segments.nth(1)).to_have_attribute("data-segment-scene-id", str(self.second.id))
        # Each shows its number and the end of its name, and is named by what it shows.
        for segment, number, words in (
            (segments.nth(0), 1, "First"),
            (segments.nth(1), 2, "Second"),
        ):
            expect(segment.locator(".timeline-number")).to_have_text(str(number))
            expect(segment.locator(".timeline-name")).to_have_text(words)
            expect(segment).to_have_accessible_name(f"Scene {number}: {words}")
        first, second = segments.nth(0).bounding_box(), segments.nth(1).bounding_box()
        assert first and second
        self.assertGreater(first["width"], 50)
        self.assertAlmostEqual(second["width"], 2 * first["width"], delta=3)

        # The scene list keeps its items, one per scene, besides the player.
        expect(self.page.locator("#scene-list [data-scene-id]")).to_have_count(2)
        expect(self.time_display).to_have_text("Frame 0 / 180 · 0:00.00")
        self.assertEqual(self.page_errors, [])

    def test_seeking_shows_the_scene_of_that_frame(self) -> None:
        expect(self.iframe(self.first)).to_be_visible()
        expect(self.iframe(self.second)).to_be_hidden()

        self.seek(150)

        expect(self.time_display).to_have_text("Frame 150 / 180 · 0:05.00")
        expect(self.iframe(self.second)).to_be_visible()
        expect(self.iframe(self.first)).to_be_hidden()
        scene = self.page.frame_locator(f'iframe[data-frame-scene-id="{self.second.id}"]')
        expect(scene.locator("body")).to_contain_text("Second")
        expect(scene.get_by_text("Second", exact=True)).to_be_visible()

        # A click on the first segment jumps to the first scene's first frame.
        self.player.locator(f'[data-segment-scene-id="{self.first.id}"]').click()
        expect(self.time_display).to_have_text("Frame 0 / 180 · 0:00.00")
        expect(self.iframe(self.first)).to_be_visible()
        expect(self.iframe(self.second)).to_be_hidden()
        # And on the second, to its first frame: 60, right after the first scene.
        self.player.locator(f'[data-segment-scene-id="{self.second.id}"]').click()
        expect(self.time_display).to_have_text("Frame 60 / 180 · 0:02.00")
        expect(self.iframe(self.second)).to_be_visible()
        self.assertEqual(self.page_errors, [])

    def test_a_frame_looks_the_same_every_time(self) -> None:
        # Frame 75 is half a second into the second scene, mid-entrance.
        self.seek(75)
        before = self.stage_screenshot()
        self.seek(5)
        elsewhere = self.stage_screenshot()
        self.seek(170)
        self.seek(75)
        after = self.stage_screenshot()

        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "player-frame-75.png").write_bytes(before)
        self.assertLessEqual(changed_pixels(before, after), 5)
        # The comparison can tell frames apart: another scene is another picture.
        self.assertGreater(changed_pixels(before, elsewhere), 1000)

    def test_the_scene_frame_cannot_reach_the_page(self) -> None:
        iframe = self.iframe(self.first)
        expect(iframe).to_have_attribute("sandbox", "allow-scripts")
        frame = iframe.element_handle().content_frame()
        assert frame is not None
        expect(self.player).to_have_attribute("data-rendered-frame", "0")

        self.assertEqual(frame.evaluate(READ_PARENT), "blocked")
        self.assertIn(frame.evaluate(READ_COOKIE), ("", "threw"))
        # No network either: the frame's policy allows no connections at all.
        self.assertEqual(frame.evaluate(FETCH_PAGE), "blocked")
        # The page itself does have a cookie the frame could have wanted.
        self.assertIn("csrftoken=", self.page.evaluate("document.cookie"))

    def test_playing_advances_and_stops_at_the_end(self) -> None:
        play = self.player.get_by_role("button", name="Play")
        expect(self.time_display).to_have_text("Frame 0 / 180 · 0:00.00")

        play.click()

        expect(self.player.get_by_role("button", name="Pause")).to_be_visible()
        expect(self.time_display).not_to_have_text(re.compile(r"^Frame 0 / "))
        self.player.get_by_role("button", name="Pause").click()
        expect(play).to_be_visible()
        paused_at = int(self.player.get_attribute("data-frame") or "0")
        self.assertGreater(paused_at, 0)

        # Near the end, playing runs out and stops on the last frame.
        self.seek(170)
        play.click()
        expect(self.time_display).to_contain_text("Frame 179 / 180")
        expect(play).to_be_visible()
        expect(self.iframe(self.second)).to_be_visible()
        self.assertEqual(self.page_errors, [])

    def test_it_keeps_its_place_when_the_scenes_are_re_rendered(self) -> None:
        self.seek(100)
        add_scene(self.project, props={"title": "Third"}, duration_frames=30)
        old_iframe = self.iframe(self.second).element_handle()

        # What the page does on the "scenes" event: re-render #scene-list.
        self.page.evaluate(RESYNC)

        expect(self.player.locator(".timeline-segment")).to_have_count(3)
        self.assertFalse(old_iframe.evaluate("el => el.isConnected"))
        expect(self.time_display).to_have_text("Frame 100 / 210 · 0:03.33")
        expect(self.iframe(self.second)).to_be_visible()
        expect(self.player).to_have_attribute("data-rendered-frame", "100")
        expect(self.page.get_by_label("Scrubber")).to_have_attribute("max", "209")
        self.assertEqual(self.page_errors, [])

    def test_a_re_render_while_playing_leaves_one_clock_running(self) -> None:
        self.player.get_by_role("button", name="Play").click()
        expect(self.time_display).not_to_have_text(re.compile(r"^Frame 0 / "))

        self.page.evaluate(RESYNC)
        self.page.evaluate(RESYNC)

        expect(self.player.locator("[data-player-stage] iframe")).to_have_count(2)
        # Still playing, in the new player, with a single animation-frame loop.
        pause = self.player.get_by_role("button", name="Pause")
        expect(pause).to_be_visible()
        expect(self.time_display).not_to_have_text(re.compile(r"^Frame (0|1|2|3) / "))
        self.assertLessEqual(self.page.evaluate("window.pendingAnimationFrames()"), 1)
        pause.click()
        self.page.wait_for_timeout(100)
        self.assertEqual(self.page.evaluate("window.pendingAnimationFrames()"), 0)
        self.assertEqual(self.page_errors, [])


class UnresponsiveSceneTests(BrowserTestCase):
    """A scene frame that never answers a seek is named in an error; the rest plays."""

    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.first = add_scene(self.project, props={"title": "First"}, duration_frames=60)
        self.silent = add_scene(
            self.project, props={"template": "quote", "title": "Less is more"}, duration_frames=60
        )
        # The silent scene's frame is served without its seek script, as a
        # frame that is stuck or broken would behave: it shows, but never answers.
        self.context.route(f"**/scenes/{self.silent.id}/frame/", self.without_seek_script)
        self.page = self.new_page()
        self.log_in(self.page, f"{self.live_server_url}/{self.project.id}/")
        self.player = self.page.locator("[data-player]")

    @staticmethod
    def without_seek_script(route) -> None:
        response = route.fetch()
        body = response.text().replace(f"<script>{SEEK_SCRIPT}</script>", "")
        assert SEEK_SCRIPT not in body
        route.fulfill(response=response, body=body)

    def scrub_to(self, frame: int) -> None:
        self.page.get_by_label("Scrubber").evaluate(
            "(el, frame) => { el.value = String(frame);"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }",
            frame,
        )

    def test_it_names_the_scene_and_plays_the_others(self) -> None:
        expect(self.player).to_have_attribute("data-rendered-frame", "0")
        problem = self.page.get_by_role("alert")
        expect(problem).to_have_count(0)

        started = time.monotonic()
        self.scrub_to(75)

        expect(problem).to_have_text(
            f"Scene 2 ({self.silent.name}) did not respond and cannot be shown. "
            "Ask for it again, or delete it.",
            timeout=SEEK_TIMEOUT_MS + 5000,
        )
        waited = time.monotonic() - started
        ARTIFACTS.mkdir(exist_ok=True)
        self.player.screenshot(path=ARTIFACTS / "player-silent-scene.png")
        self.assertGreaterEqual(waited, SEEK_TIMEOUT_MS / 1000 - 0.5)
        segment = self.player.locator(f'[data-segment-scene-id="{self.silent.id}"]')
        expect(segment).to_have_class(re.compile(r"\bis-broken\b"))
        self.assertNotEqual(self.player.get_attribute("data-rendered-frame"), "75")

        # The page and the other scene still work: seek into it, then play to the end.
        self.scrub_to(20)
        expect(self.player).to_have_attribute("data-rendered-frame", "20")
        self.player.get_by_role("button", name="Play").click()
        expect(self.player.locator("[data-player-time]")).to_contain_text("Frame 119 / 120")
        expect(self.player.get_by_role("button", name="Play")).to_be_visible()
        expect(problem).to_contain_text("Scene 2 (")
        self.assertEqual(self.page_errors, [])


class TemplatesUnderTheFramePolicyTests(BrowserTestCase):
    """Every template still animates, driven by the seek script alone, under the frame CSP."""

    def test_each_template_moves_between_two_frames_and_holds_still_at_each(self) -> None:
        owner = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=owner, title="Templates")
        scenes = [
            add_scene(
                project,
                props={
                    "template": template,
                    "title": "1,000" if template == "counter" else "Launch day",
                    "subtitle": "Acme",
                    "items": ["Speed", "Privacy", "Price", "Support"],
                },
                duration_frames=60,
            )
            for template in TEMPLATE_LABELS
        ]
        console: list[str] = []
        page = self.new_page()
        page.on("console", lambda message: console.append(message.text))
        self.log_in(page, f"{self.live_server_url}/{project.id}/")
        player = page.locator("[data-player]")
        stage = player.locator("[data-player-stage]")

        def shot_at(frame: int) -> bytes:
            page.get_by_label("Scrubber").evaluate(
                "(el, frame) => { el.value = String(frame);"
                " el.dispatchEvent(new Event('input', {bubbles: true})); }",
                frame,
            )
            expect(player).to_have_attribute("data-rendered-frame", str(frame))
            return stage.screenshot(type="png")

        for number, scene in enumerate(scenes):
            first = number * 60
            start, entering = shot_at(first), shot_at(first + 12)
            self.assertGreater(changed_pixels(start, entering), 300, scene.name)
            # The scene's CSS animations are there, paused at the time asked for.
            frame = page.locator(f'iframe[data-frame-scene-id="{scene.id}"]').element_handle()
            content = frame.content_frame()
            assert content is not None
            states = content.evaluate(
                "document.getAnimations().map(a => [a.playState, Math.round(a.currentTime)])"
            )
            self.assertTrue(states, scene.name)
            self.assertEqual({tuple(s) for s in states}, {("paused", 400)}, scene.name)
        self.assertEqual([text for text in console if "Content Security Policy" in text], [])
        self.assertEqual(self.page_errors, [])
