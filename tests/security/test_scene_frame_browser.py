"""Scene frames in Chromium run no scene script, so nothing leaves over WebRTC.

Issue 10, finding 3: a scene whose script opened an RTCPeerConnection to a
TURN server sent packets off the machine, because Chromium enforces no CSP
directive for WebRTC. The scenes here are stored straight in the database, as
if the checker had let them through; the frame's policy must still stop them.
A UDP socket on loopback stands in for the TURN server: it counts what
arrives. The control tests run the same script where the policy does not
apply, and see packets, so the listener can tell.
"""

import socket
import time

from django.contrib.auth.models import User
from playwright.sync_api import Frame, Route, expect

from projects.models import Project
from scenes.models import Scene
from scenes.tools import add_scene

from ..browser import BrowserTestCase
from ..helpers import PASSWORD
from .scene_attacks import (
    BUSY_LOOP_SCENE,
    EMPTY_COMMENT_SCENE,
    ENDLESS_ANIMATION_SCENE,
    webrtc_scene,
)

# How long a scene gets to send something once its frame is up. The control
# tests see the first packet well within a second.
LISTEN_SECONDS = 3
# The policy frames had before this fix: inline script allowed.
OLD_FRAME_CSP = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)
RAN = "() => document.documentElement.dataset.ran || null"


class UdpListener:
    """A UDP socket on a free loopback port that counts the datagrams it gets."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]

    def packets(self, seconds: float, stop_at_first: bool = False) -> int:
        count, deadline = 0, time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.socket.settimeout(left)
            try:
                self.socket.recvfrom(65536)
            except TimeoutError:
                break
            count += 1
            if stop_at_first:
                break
        return count

    def close(self) -> None:
        self.socket.close()


class SceneFrameScriptTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.listener = UdpListener()
        self.addCleanup(self.listener.close)
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Numbers")
        self.console: list[str] = []

    def stored_scene(self, code: str, duration_frames: int = 30) -> Scene:
        """A scene whose code went into the database without the checker."""
        scene = add_scene(self.project, props={"title": "Stored"}, duration_frames=duration_frames)
        Scene.objects.filter(id=scene.id).update(code=code, custom_code=True)
        return scene

    def open_project(self):
        page = self.new_page()
        page.on("console", lambda message: self.console.append(message.text))
        self.log_in(page, f"{self.live_server_url}/{self.project.id}/")
        return page

    def frame_of(self, page, scene: Scene) -> Frame:
        frame = page.locator(f'iframe[data-frame-scene-id="{scene.id}"]').element_handle()
        content = frame.content_frame()
        assert content is not None
        return content

    def test_webrtc_to_a_turn_server_sends_nothing_from_a_scene_frame(self) -> None:
        scene = self.stored_scene(webrtc_scene(self.listener.port))

        page = self.open_project()

        # The frame is up and its seek script answers...
        player = page.locator("[data-player]")
        expect(player).to_have_attribute("data-rendered-frame", "0")
        expect(page.frame_locator("iframe").locator("h1")).to_have_text("Quarterly numbers")
        # ...but the scene's own script never ran, and nothing reached the port.
        self.assertEqual(self.listener.packets(LISTEN_SECONDS), 0)
        self.assertIsNone(self.frame_of(page, scene).evaluate(RAN))
        self.assertTrue(
            any("Content Security Policy" in text for text in self.console), self.console
        )
        expect(page.locator("[data-player-problem]")).to_have_count(0)

    def test_the_same_frame_under_the_old_policy_does_send(self) -> None:
        """The control: with inline script allowed, as before, packets arrive."""
        scene = self.stored_scene(webrtc_scene(self.listener.port))

        def old_policy(route: Route) -> None:
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": OLD_FRAME_CSP}
            route.fulfill(response=response, headers=headers)

        self.context.route(f"**/scenes/{scene.id}/frame/", old_policy)
        page = self.open_project()

        self.assertGreater(self.listener.packets(10, stop_at_first=True), 0)
        self.assertEqual(self.frame_of(page, scene).evaluate(RAN), "yes")

    def test_the_same_script_in_a_page_without_a_policy_does_send(self) -> None:
        """The control: the listener hears a plain page's WebRTC."""
        page = self.new_page()
        page.set_content(webrtc_scene(self.listener.port))

        self.assertGreater(self.listener.packets(10, stop_at_first=True), 0)
        self.assertEqual(page.evaluate(RAN), "yes")

    def test_other_reported_scripts_do_not_run_and_the_player_plays_on(self) -> None:
        # A busy loop that ran would pin the frame, and it would never answer.
        scenes = [
            self.stored_scene(EMPTY_COMMENT_SCENE),
            self.stored_scene(BUSY_LOOP_SCENE),
            self.stored_scene(ENDLESS_ANIMATION_SCENE),
        ]

        page = self.open_project()

        player = page.locator("[data-player]")
        scrubber = page.get_by_label("Scrubber")
        for number, scene in enumerate(scenes):
            frame = number * 30 + 10
            scrubber.evaluate(
                "(el, frame) => { el.value = String(frame);"
                " el.dispatchEvent(new Event('input', {bubbles: true})); }",
                frame,
            )
            expect(player).to_have_attribute("data-rendered-frame", str(frame))
            self.assertIsNone(self.frame_of(page, scene).evaluate(RAN))
            # No scene script means no endless Web Animation either.
            animations = self.frame_of(page, scene).evaluate("document.getAnimations().length")
            self.assertEqual(animations, 0)
        expect(page.locator("[data-player-problem]")).to_have_count(0)
        self.assertEqual(self.page_errors, [])
