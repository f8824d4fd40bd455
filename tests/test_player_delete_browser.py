"""Deleting the scene the preview shows, in headless Chromium against a real daphne.

The scenes change through the real paths (a scene's Delete control, or the
chat and its offline brain), and the page hears of it over the event stream
and re-renders its scene list and player. After a delete the player shows a
scene that still exists, inside the new length, never the faded-out end of
another scene; scenes added afterwards show up in the timeline and the
player, which seeks into them and plays them. Deleting every scene leaves
the empty preview, and the next scene opens in the player as on a fresh page.

Also here: a scene card's number sits beside its thumbnail, not over the
picture's title. Screenshots go to test-artifacts/.
"""

import re

from django.contrib.auth.models import User
from playwright.sync_api import expect

from projects.models import Project
from scenes.models import Scene
from scenes.tools import add_scene

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD
from .test_player_browser import PlayerControls

REPLY_TIMEOUT_MS = 30_000  # the offline brain's reply, on a machine others share


class PlayerDeleteBrowserTests(PlayerControls, BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.page = self.new_page()

    def open(self) -> None:
        self.log_in(self.page, f"{self.live_server_url}/{self.project.id}/")
        expect(self.page.get_by_role("heading", name="Launch video").first).to_be_visible()

    # Helpers -----------------------------------------------------------------

    def chat(self, text: str, reply: str) -> None:
        box = self.page.get_by_label("Message", exact=True)
        box.fill(text)
        box.press("Enter")
        answer = self.page.locator("#chat-log article.assistant").last
        expect(answer).to_contain_text(reply, timeout=REPLY_TIMEOUT_MS)
        expect(answer).to_have_attribute("data-status", "success")

    def expect_shows(self, scene: Scene, order: int, frame: int, total: int) -> None:
        """The player is at `frame` of `total`, in `scene`, whose frame is on screen."""
        expect(self.time_display).to_contain_text(f"Frame {frame} / {total} ")
        expect(self.player.locator("[data-player-scene]")).to_have_text(
            f"Scene {order} \u00b7 {scene.name}"
        )
        expect(self.iframe(scene)).to_be_visible()
        expect(self.iframe(scene)).to_have_class(re.compile(r"\bis-current\b"))
        # That scene's frame answered the seek: its picture is on screen.
        expect(self.player).to_have_attribute("data-rendered-frame", str(frame))
        segment = self.player.locator(f'[data-segment-scene-id="{scene.id}"]')
        expect(segment).to_have_attribute("aria-current", "true")
        # The readout, the scrubber and the playhead agree.
        expect(self.page.get_by_label("Scrubber")).to_have_value(str(frame))
        expect(self.page.get_by_label("Scrubber")).to_have_attribute("max", str(total - 1))

    def expect_title_on_screen(self, scene: Scene, words: str) -> None:
        content = self.iframe(scene).element_handle().content_frame()
        assert content is not None
        self.assertIn(words, content.locator("body").inner_text())

    def only_frames_of(self, *scenes: Scene) -> None:
        """No iframe is left of a scene that is gone."""
        expected = sorted(str(scene.id) for scene in scenes)
        frames = self.player.locator("[data-player-stage] iframe")
        shown = frames.evaluate_all("els => els.map(el => el.dataset.frameSceneId)")
        self.assertLessEqual(set(shown), set(expected))

    # Tests -------------------------------------------------------------------

    def test_deleting_the_last_scene_shows_the_one_before_and_new_scenes_play(self) -> None:
        first = add_scene(self.project, props={"title": "Opening"}, duration_frames=90)
        last = add_scene(self.project, props={"title": "Closing"}, duration_frames=300)
        self.open()
        self.seek(200)
        expect(self.iframe(last)).to_be_visible()

        # The scene control deletes the scene on screen.
        self.page.get_by_role("button", name="Delete scene 2").click()
        expect(self.page.locator("li.scene")).to_have_count(1)

        # The player shows the scene now last, from its start (its poster),
        # inside the new length: not frame 89, that scene's faded-out end.
        self.expect_shows(first, 1, 0, 90)
        expect(self.player).to_have_attribute("data-poster", "shown")
        self.expect_title_on_screen(first, "Opening")
        self.only_frames_of(first)
        expect(self.page.locator("li.scene").first).to_have_class(re.compile(r"\bis-current\b"))

        # A scene asked for in the chat shows up in the timeline and on screen.
        self.chat("add a title scene that says Hello", "Added scene 2")
        added = Scene.objects.get(project=self.project, order=2)
        segments = self.player.locator(".timeline-segment")
        expect(segments).to_have_count(2)
        expect(segments.nth(1)).to_have_attribute("data-segment-scene-id", str(added.id))
        self.expect_shows(added, 2, 90, 90 + added.duration_frames)
        expect(self.player).to_have_attribute("data-poster", "shown")
        self.expect_title_on_screen(added, "Hello")

        # The player seeks into it, and plays it to the end.
        total = 90 + added.duration_frames
        self.seek(total - 30)
        expect(self.iframe(added)).to_have_class(re.compile(r"\bis-current\b"))
        self.player.get_by_role("button", name="Play").click()
        expect(self.time_display).to_contain_text(f"Frame {total - 1} / {total} ")
        expect(self.player.get_by_role("button", name="Play")).to_be_visible()
        expect(self.player).to_have_attribute("data-rendered-frame", str(total - 1))
        ARTIFACTS.mkdir(exist_ok=True)
        self.player.screenshot(path=ARTIFACTS / "player-after-delete-and-add.png")

        # Stopped at the end, the player shows the next scene added, not the
        # faded-out last frame before it.
        self.chat("add a title scene that says Goodbye", "Added scene 3")
        third = Scene.objects.get(project=self.project, order=3)
        self.expect_shows(third, 3, total, total + third.duration_frames)
        expect(self.player).to_have_attribute("data-poster", "shown")
        self.expect_title_on_screen(third, "Goodbye")
        self.assertEqual(self.page_errors, [])

    def test_deleting_another_scene_keeps_the_scene_on_screen(self) -> None:
        add_scene(self.project, props={"title": "Alpha"}, duration_frames=30)
        middle = add_scene(self.project, props={"title": "Bravo"}, duration_frames=60)
        last = add_scene(self.project, props={"title": "Charlie"}, duration_frames=300)
        self.open()
        self.seek(100)  # ten frames into Charlie

        self.page.get_by_role("button", name="Delete scene 1").click()
        expect(self.page.locator("li.scene")).to_have_count(2)
        # Still Charlie, ten frames in, though it now starts 30 frames earlier.
        self.expect_shows(last, 2, 70, 360)
        self.only_frames_of(middle, last)

        # Deleting the scene on screen while it plays: the one in its place
        # (the one before, as it was last) plays on from its start.
        self.seek(40)
        self.expect_shows(middle, 1, 40, 360)
        self.seek(100)
        self.player.get_by_role("button", name="Play").click()
        expect(self.player.get_by_role("button", name="Pause")).to_be_visible()
        self.page.get_by_role("button", name="Delete scene 2").click()
        expect(self.page.locator("li.scene")).to_have_count(1)
        expect(self.player.locator("[data-player-scene]")).to_have_text(
            f"Scene 1 \u00b7 {middle.name}"
        )
        expect(self.time_display).to_contain_text("Frame 59 / 60 ")
        expect(self.player.get_by_role("button", name="Play")).to_be_visible()
        expect(self.player).to_have_attribute("data-rendered-frame", "59")
        self.only_frames_of(middle)
        self.assertEqual(self.page_errors, [])

    def test_deleting_every_scene_then_adding_one(self) -> None:
        add_scene(self.project, props={"title": "Opening"}, duration_frames=60)
        add_scene(self.project, props={"title": "Closing"}, duration_frames=90)
        self.open()
        self.seek(120)

        self.chat("delete the last scene", "Deleted scene 2")
        expect(self.page.locator("li.scene")).to_have_count(1)
        expect(self.time_display).to_contain_text("Frame 0 / 60 ")
        self.chat("delete scene 1", "Deleted scene 1")

        # The empty preview says why there is nothing to play.
        expect(self.player).to_have_count(0)
        expect(self.page.locator("li.scene")).to_have_count(0)
        expect(self.page.locator(".player-empty")).to_contain_text(
            "Your video will play here once it has a scene."
        )
        expect(self.page.get_by_role("button", name="Play")).to_be_disabled()

        # The next scene opens as on a fresh page: cued to it, its poster shown.
        self.chat("add a title scene that says Back again", "Added scene 1")
        added = Scene.objects.get(project=self.project, order=1)
        expect(self.player.locator(".timeline-segment")).to_have_count(1)
        self.expect_shows(added, 1, 0, added.duration_frames)
        expect(self.player).to_have_attribute("data-poster", "shown")
        self.expect_title_on_screen(added, "Back again")
        end = added.duration_frames - 1
        self.seek(end - 20)
        self.player.get_by_role("button", name="Play").click()
        expect(self.time_display).to_contain_text(f"Frame {end} / {added.duration_frames} ")
        expect(self.player).to_have_attribute("data-rendered-frame", str(end))
        self.assertEqual(self.page_errors, [])


class SceneNumberBadgeBrowserTests(BrowserTestCase):
    """A scene card's number sits beside its thumbnail, not on the picture,
    where it hid the start of a title, at desktop and phone size."""

    def test_the_number_does_not_cover_the_thumbnail(self) -> None:
        owner = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=owner, title="Launch video")
        for title in ("Launch Day", "A much longer title for the second scene"):
            add_scene(project, props={"title": title}, duration_frames=60)
        page = self.new_page()
        self.log_in(page, f"{self.live_server_url}/{project.id}/")
        for size, name in (((1280, 800), "desktop"), ((390, 844), "phone")):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            if name == "phone":
                page.get_by_role("tab", name="Preview").click()
            cards = page.locator("li.scene")
            expect(cards).to_have_count(2)
            for index in range(2):
                card = cards.nth(index)
                number = card.locator(".scene-number")
                expect(number).to_have_text(str(index + 1))
                expect(number).to_be_visible()
                badge = number.bounding_box()
                picture = card.locator(".thumb-scene").bounding_box()
                title = card.locator(".scene-name").bounding_box()
                assert badge and picture and title
                # Right of the picture, before the name, on the name's line.
                self.assertGreaterEqual(badge["x"], picture["x"] + picture["width"], name)
                self.assertLessEqual(badge["x"] + badge["width"], title["x"], name)
                self.assertLess(
                    abs(badge["y"] + badge["height"] / 2 - (title["y"] + title["height"] / 2)), 6
                )
            ARTIFACTS.mkdir(exist_ok=True)
            cards.first.screenshot(path=ARTIFACTS / f"scene-card-number-{name}.png")
        self.assertEqual(
            page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), True
        )
        self.assertEqual(self.page_errors, [])
