"""The project page as an editor, in headless Chromium: phone and desktop layout,
the player's keys and loop, and a timeline that stays readable from 1 to 30 scenes.

Screenshots go to test-artifacts/ so a person can look at both sizes.
"""

import re

from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from messages_app.models import Message
from projects.models import Project
from scenes.models import Scene
from scenes.render import render_scene_code, scene_props
from scenes.tools import add_scene

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD
from .test_player_browser import changed_pixels

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"
CHAT_AT_END = "el => el.scrollHeight - el.scrollTop - el.clientHeight"


def scrub(page: Page, frame: int) -> None:
    page.get_by_label("Scrubber").evaluate(
        "(el, frame) => { el.value = String(frame);"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        frame,
    )


class EditorTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")

    def open(self, viewport: dict) -> Page:
        page = self.new_page()
        page.set_viewport_size(viewport)
        self.log_in(page, f"{self.live_server_url}/{self.project.id}/")
        return page

    def shoot(self, page: Page, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / name)


class LayoutTests(EditorTestCase):
    def setUp(self) -> None:
        super().setUp()
        add_scene(self.project, props={"title": "First"}, duration_frames=60)
        add_scene(self.project, props={"title": "Second", "template": "quote"}, duration_frames=120)
        # A chat longer than any screen, so "opens at the newest" means something.
        Message.objects.bulk_create(
            Message(
                project=self.project,
                seq=seq,
                role="user" if seq % 2 else "assistant",
                content=f"Message {seq}: " + "make the title bigger and orange " * 3,
            )
            for seq in range(1, 41)
        )

    def assert_chat_ready(self, page: Page) -> None:
        """Send on screen, the chat at its newest message, nothing to scroll sideways."""
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        send = page.get_by_role("button", name="Send")
        expect(send).to_be_visible()
        expect(send).to_be_in_viewport(ratio=1)
        log = page.locator("#chat-log")
        expect(log).to_have_attribute("aria-live", "polite")
        expect(log.locator("article[data-message-id]").last).to_be_in_viewport()
        self.assertLessEqual(log.evaluate(CHAT_AT_END), 2)

    def assert_player_works(self, page: Page) -> None:
        player = page.locator("[data-player]")
        time_display = player.locator("[data-player-time]")
        expect(player.locator("[data-player-stage]")).to_be_in_viewport()
        play = player.get_by_role("button", name="Play")
        expect(play).to_be_in_viewport(ratio=1)
        play.click()
        expect(time_display).not_to_have_text(re.compile(r"^Frame 0 / "))
        player.get_by_role("button", name="Pause").click()
        scrub(page, 150)
        expect(time_display).to_have_text("Frame 150 / 180 · 0:05.00")
        expect(player).to_have_attribute("data-rendered-frame", "150")
        expect(page.locator("[data-player-stage] iframe.is-current")).to_be_visible()

    def test_on_a_phone_chat_and_preview_are_tabs_and_the_composer_is_on_screen(self) -> None:
        page = self.open(PHONE)

        # The chat tab: composer focused and on screen, newest message in view.
        expect(page.get_by_role("tab", name="Chat")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_label("Message", exact=True)).to_be_focused()
        self.assert_chat_ready(page)
        expect(page.locator("[data-player]")).to_be_hidden()
        self.shoot(page, "editor-phone-chat.png")

        # The preview tab: the player fits the screen and plays and seeks.
        page.get_by_role("tab", name="Preview").click()
        expect(page.get_by_role("tab", name="Preview")).to_have_attribute("aria-selected", "true")
        expect(page.get_by_role("button", name="Send")).to_be_hidden()
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        self.assert_player_works(page)
        self.shoot(page, "editor-phone-preview.png")
        stage = page.locator("[data-player-stage]")
        page.wait_for_timeout(200)
        frame_150 = stage.screenshot()

        # Back to the chat, still at its end.
        page.get_by_role("tab", name="Chat").click()
        self.assert_chat_ready(page)

        # And to the preview: still frame 150, the same picture, not the scene's start.
        page.get_by_role("tab", name="Preview").click()
        expect(page.locator("[data-player]")).to_have_attribute("data-rendered-frame", "150")
        for _ in range(100):  # a shown frame repaints when it can: up to 10 s when busy
            page.wait_for_timeout(100)
            if changed_pixels(frame_150, stage.screenshot()) <= 5:
                break
        else:
            self.fail("the preview did not show frame 150 again")
        page.get_by_role("tab", name="Chat").click()

        # The smallest phones too: nothing sideways on either tab.
        page.set_viewport_size({"width": 360, "height": 640})
        self.assert_chat_ready(page)
        page.get_by_role("tab", name="Preview").click()
        self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL))
        expect(page.get_by_role("button", name="Fullscreen")).to_be_in_viewport(ratio=1)
        self.shoot(page, "editor-phone-360-preview.png")
        self.assertEqual(self.page_errors, [])

    def test_on_a_desktop_chat_and_preview_sit_side_by_side(self) -> None:
        page = self.open(DESKTOP)

        expect(page.get_by_role("tab", name="Chat")).to_be_hidden()
        expect(page.get_by_label("Message", exact=True)).to_be_focused()
        self.assert_chat_ready(page)
        self.assert_player_works(page)
        self.assert_chat_ready(page)
        self.shoot(page, "editor-desktop.png")
        self.assertEqual(self.page_errors, [])


class PlayerKeyTests(EditorTestCase):
    def setUp(self) -> None:
        super().setUp()
        add_scene(self.project, props={"title": "First"}, duration_frames=60)
        add_scene(self.project, props={"title": "Second"}, duration_frames=120)
        self.page = self.open(DESKTOP)
        self.player = self.page.locator("[data-player]")
        self.time_display = self.player.locator("[data-player-time]")
        expect(self.player).to_have_attribute("data-rendered-frame", "0")

    def press(self, key: str, frame: int) -> None:
        self.page.keyboard.press(key)
        expect(self.time_display).to_contain_text(f"Frame {frame} / 180 ")
        # Exact to the frame: the scene answered the seek for this one.
        expect(self.player).to_have_attribute("data-rendered-frame", str(frame))

    def test_keys_step_jump_and_play_but_not_while_typing(self) -> None:
        composer = self.page.get_by_label("Message", exact=True)
        expect(composer).to_be_focused()
        # Typing in the composer is typing, not seeking.
        self.page.keyboard.press("ArrowRight")
        self.page.keyboard.type(" f")
        expect(composer).to_have_value(" f")
        expect(self.time_display).to_have_text("Frame 0 / 180 · 0:00.00")

        self.page.keyboard.press("Escape")  # leaves the composer
        self.press("ArrowRight", 1)
        self.press("Shift+ArrowRight", 31)
        self.press("Shift+ArrowRight", 61)  # into the second scene
        expect(self.player.locator(".player-scene")).to_have_text(re.compile(r"^Scene 2 "))
        self.press("ArrowLeft", 60)
        self.press("Shift+ArrowLeft", 30)
        self.press("End", 179)
        self.press("Home", 0)
        self.press("Shift+ArrowLeft", 0)  # clamped at the start

        self.page.keyboard.press("Space")
        expect(self.player.get_by_role("button", name="Pause")).to_be_visible()
        expect(self.time_display).not_to_have_text(re.compile(r"^Frame 0 / "))
        self.page.keyboard.press("Space")
        expect(self.player.get_by_role("button", name="Play")).to_be_visible()
        self.assertEqual(self.page_errors, [])

    def test_loop_restarts_at_the_end_and_keeps_playing(self) -> None:
        loop = self.player.get_by_role("button", name="Loop")
        expect(loop).to_have_attribute("aria-pressed", "false")
        loop.click()
        expect(loop).to_have_attribute("aria-pressed", "true")

        scrub(self.page, 165)
        self.player.get_by_role("button", name="Play").click()
        # Past frame 179 it starts again from 0 instead of stopping.
        expect(self.time_display).to_have_text(re.compile(r"^Frame ([0-9]|[1-9][0-9]) / 180 "))
        expect(self.player.get_by_role("button", name="Pause")).to_be_visible()

        # L turns it off (focus is on the loop button, not a text field);
        # then playback stops at the last frame.
        self.page.keyboard.press("l")
        expect(loop).to_have_attribute("aria-pressed", "false")
        expect(self.time_display).to_contain_text("Frame 179 / 180", timeout=10_000)
        expect(self.player.get_by_role("button", name="Play")).to_be_visible()
        self.assertEqual(self.page_errors, [])

    def test_the_player_controls_are_named_and_reachable_by_keyboard(self) -> None:
        # Tab goes Play, Scrubber, Loop, Fullscreen, the first segment, the
        # buttons with a visible focus ring (the scrubber rings its thumb).
        self.player.get_by_role("button", name="Play").focus()
        for target, ringed in (
            (self.page.get_by_label("Scrubber"), False),
            (self.player.get_by_role("button", name="Loop"), True),
            (self.player.get_by_role("button", name="Fullscreen"), True),
            (self.player.get_by_role("button", name=re.compile(r"^Scene 1: ")), True),
        ):
            self.page.keyboard.press("Tab")
            expect(target).to_be_focused()
            if ringed:
                ring = target.evaluate("el => getComputedStyle(el).outlineStyle")
                self.assertEqual(ring, "solid")
        # F toggles fullscreen on the stage, and again leaves it.
        self.page.keyboard.press("f")
        self.page.wait_for_function("document.fullscreenElement?.matches('[data-player-stage]')")
        self.page.keyboard.press("f")
        self.page.wait_for_function("document.fullscreenElement === null")
        self.assertEqual(self.page_errors, [])


def make_scenes(project: Project, count: int) -> list[Scene]:
    """Title cards "Chapter 1" to "Chapter <count>", one second each."""
    return Scene.objects.bulk_create(
        Scene(
            project=project,
            order=n,
            name=f"Title card: Chapter {n}",
            duration_frames=30,
            code=render_scene_code(scene_props(title=f"Chapter {n}"), 30, project.fps),
            props=scene_props(title=f"Chapter {n}"),
        )
        for n in range(1, count + 1)
    )


class TimelineTests(EditorTestCase):
    def make_scenes(self, count: int) -> list[Scene]:
        return make_scenes(self.project, count)

    def assert_readable(self, page: Page, scenes: list[Scene]) -> Locator:
        segments = page.locator(".timeline-segment")
        expect(segments).to_have_count(len(scenes))
        boxes = []
        for index, scene in enumerate(scenes):
            segment = segments.nth(index)
            # Named by what it shows (WCAG 2.5.3); the tooltip, its description, has it all.
            name = f"Scene {scene.order}: Chapter {scene.order}"
            expect(segment).to_have_accessible_name(name)
            full = f"Scene {scene.order}: {scene.name} (1 s · 30 frames)"
            expect(segment).to_have_attribute("title", full)
            expect(segment).to_have_accessible_description(full)
            label = segment.locator(".timeline-name")
            # Several letters of the name show, never a lone "T" or "L.".
            width, font = label.evaluate(
                "el => [el.clientWidth, parseFloat(getComputedStyle(el).fontSize)]"
            )
            self.assertGreater(width, 5 * font, name)
            # What tells the clips apart, the words after the template's name, fits whole.
            expect(label).to_have_text(f"Chapter {scene.order}")
            self.assertTrue(label.evaluate("el => el.scrollWidth <= el.clientWidth"), name)
            boxes.append(segment.evaluate("el => [el.offsetLeft, el.offsetWidth]"))
        # Side by side, none over another.
        for (left, width), (next_left, _) in zip(boxes, boxes[1:], strict=False):
            self.assertGreaterEqual(next_left, left + width - 1)
        return segments

    def test_one_scene_fills_the_timeline(self) -> None:
        scenes = self.make_scenes(1)
        page = self.open(DESKTOP)
        self.assert_readable(page, scenes)
        label = page.locator(".timeline-name")
        self.assertTrue(label.evaluate("el => el.scrollWidth <= el.clientWidth"))
        # A wide clip has room for its picture too.
        expect(page.locator(".timeline-segment .thumb")).to_be_visible()
        timeline = page.locator("[data-player-timeline]")
        self.assertTrue(timeline.evaluate("el => el.scrollWidth <= el.clientWidth"))
        timeline.screenshot(path=ARTIFACTS / "timeline-1-scene.png")

    def test_thirty_scenes_scroll_sideways_and_follow_the_playhead(self) -> None:
        scenes = self.make_scenes(30)
        for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
            if viewport is DESKTOP:
                page = self.open(viewport)
            else:  # already logged in
                page = self.new_page()
                page.set_viewport_size(viewport)
                page.goto(f"{self.live_server_url}/{self.project.id}/")
            if viewport is PHONE:
                page.get_by_role("tab", name="Preview").click()
            self.assertTrue(page.evaluate(NO_SIDEWAYS_SCROLL), name)
            segments = self.assert_readable(page, scenes)
            timeline = page.locator("[data-player-timeline]")
            self.assertGreater(timeline.evaluate("el => el.scrollWidth - el.clientWidth"), 0)
            # Narrow clips keep their words and drop their pictures.
            expect(segments.nth(0).locator(".thumb")).to_be_hidden()

            # Playing into scene 25 brings its segment into view, the playhead on it.
            player = page.locator("[data-player]")
            player.get_by_role("button", name="Play").focus()
            page.keyboard.press("End")
            expect(player).to_have_attribute("data-rendered-frame", "899")
            last = segments.nth(29)
            expect(last).to_have_attribute("aria-current", "true")
            expect(last).to_be_in_viewport()
            playhead = page.locator("[data-player-playhead]").bounding_box()
            box = last.bounding_box()
            assert playhead and box
            self.assertGreaterEqual(playhead["x"], box["x"])
            self.assertLessEqual(playhead["x"], box["x"] + box["width"])
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"timeline-30-scenes-{name}.png")
            page.close()
        self.assertEqual(self.page_errors, [])


class EmptyProjectTests(EditorTestCase):
    def test_an_empty_project_shows_a_disabled_play_that_says_why(self) -> None:
        page = self.open(DESKTOP)
        play = page.get_by_role("button", name="Play")
        expect(play).to_be_disabled()
        expect(play).to_have_accessible_description("Nothing to play yet")
        expect(page.get_by_text("Your video will play here once it has a scene.")).to_be_visible()
        self.shoot(page, "editor-empty-project.png")
        self.assertEqual(self.page_errors, [])
