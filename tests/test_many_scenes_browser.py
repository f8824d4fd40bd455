"""A project at the scene cap (500 scenes) opens quickly and plays, in headless Chromium.

The player gives an iframe only to the playing scene and its neighbours, so
the page loads two or three scene documents, not 500.
"""

import re

from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import expect

from projects.models import Project
from scenes.models import Scene
from scenes.render import render_scene_code, scene_props

from .browser import BrowserTestCase
from .helpers import PASSWORD

SCENE_FRAMES = 30
# Navigation start to the first frame on screen, in the page's own clock.
PLAYER_READY_MS = """() => new Promise((resolve) => {
  const ready = () => document.querySelector('[data-player]')?.dataset.renderedFrame === '0';
  const check = () => ready() ? resolve(performance.now()) : requestAnimationFrame(check);
  check();
})"""


class ManyScenesTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Long video")
        count = settings.CHATVIDEO_MAX_SCENES
        self.scenes = Scene.objects.bulk_create(
            Scene(
                project=self.project,
                order=n,
                name=f"Title card: Scene {n}",
                duration_frames=SCENE_FRAMES,
                code=render_scene_code(
                    scene_props(title=f"Scene {n}"), SCENE_FRAMES, self.project.fps
                ),
                props=scene_props(title=f"Scene {n}"),
            )
            for n in range(1, count + 1)
        )
        self.url = f"{self.live_server_url}/{self.project.id}/"

    def test_a_project_with_500_scenes_opens_with_three_frames_at_most_and_plays(self) -> None:
        page = self.new_page()
        self.log_in(page, f"{self.live_server_url}/")
        page.goto(self.url, wait_until="commit")
        ready_ms = page.evaluate(PLAYER_READY_MS)
        # The 3-second target is a figure to report (it prints; README "Scale"),
        # not a timed test that fails on a busy machine. What fails here is a
        # page that never gets ready, as one loading 500 documents did (2 min).
        print(f"\n500 scenes: player ready {ready_ms:.0f} ms after navigation start")
        self.assertLess(ready_ms, 20_000)

        player = page.locator("[data-player]")
        stage_frames = player.locator("[data-player-stage] iframe")
        expect(page.locator("#scene-list li[data-scene-id]")).to_have_count(500)
        expect(player.locator("[data-segment-scene-id]")).to_have_count(500)
        # The first scene and its neighbour, not 500 documents.
        expect(stage_frames).to_have_count(2)
        first = player.locator(f'iframe[data-frame-scene-id="{self.scenes[0].id}"]')
        expect(first).to_be_visible()
        expect(page.frame_locator(".player-frame.is-current").locator("h1")).to_have_text("Scene 1")

        # It plays from the first scene into the next ones, frame by frame.
        player.get_by_role("button", name="Play").click()
        expect(player.locator("[data-player-time]")).to_have_text(
            re.compile(r"^Frame (4\d|[5-9]\d|\d{3,}) / 15000 ")
        )
        player.get_by_role("button", name="Pause").click()
        self.assertLessEqual(stage_frames.count(), 3)
        frame = int(player.get_attribute("data-frame"))
        expect(player).to_have_attribute("data-rendered-frame", str(frame))

        # A far scene gets its frame when scrubbed to, exact to the frame.
        far = self.scenes[399]
        page.get_by_label("Scrubber").evaluate(
            "(el, frame) => { el.value = String(frame);"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }",
            399 * SCENE_FRAMES,
        )
        expect(player).to_have_attribute("data-rendered-frame", str(399 * SCENE_FRAMES))
        expect(stage_frames).to_have_count(3)
        expect(player.locator(f'iframe[data-frame-scene-id="{far.id}"]')).to_be_visible()
        expect(page.frame_locator(".player-frame.is-current").locator("h1")).to_have_text(
            "Scene 400"
        )
        self.assertEqual(self.page_errors, [])
