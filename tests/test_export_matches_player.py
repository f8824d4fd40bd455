"""Frame N of the exported MP4 is what the project page's player shows at frame N.

The reference is the real preview: the project page served by daphne, its
player seeked with the scrubber (player.js posts the seek to the scene's
sandboxed iframe) and its stage screenshotted. The video is exported the way
a worker does it (request_export, then run_export), its frames decoded by
ffmpeg and compared with a tolerance for JPEG and H.264 noise.

The player scales the project-sized iframes to its stage. So that no scaling
blurs the comparison, the stage is pinned to 480x270 pixels and the project
given that size; the stage then shows the scene at scale 1, as the export.
"""

import io
import subprocess
import tempfile
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import expect

from exports.request import request_export
from exports.run import run_export
from projects.models import Project
from scenes.tools import add_scene

from .browser import ARTIFACTS, BrowserTestCase
from .exports_support import files_in
from .helpers import PASSWORD
from .test_export_render import needs_tools

FILES = Path(tempfile.mkdtemp(prefix="chatvideo-export-player-"))
FPS = 30
# Frames to compare: each scene's first and last frame, and two neighbouring
# frames mid-entrance in each (words and items still moving).
FRAMES = [0, 7, 8, 29, 30, 38, 39, 59]
# The stage's rounded corners (12px, app.css) hide the picture's corners;
# compare inside them.
CORNER = 12
NOISE = 32  # levels of 255 one pixel may move by under encoder noise


def changed_pixels(a: Image.Image, b: Image.Image) -> int:
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > NOISE else 0)
    return mask.histogram()[255]


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def decoded_frames(path: Path, numbers: list[int], width: int, height: int) -> dict:
    """The chosen frames of the MP4, picked by ffmpeg's select filter, as RGB images."""
    chosen = "+".join(f"eq(n\\,{n})" for n in numbers)
    raw = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", str(path), "-vf", f"select={chosen}"]
        + ["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    size = width * height * 3
    assert len(raw) == size * len(numbers), "ffmpeg did not return every chosen frame"
    return {
        n: Image.frombytes("RGB", (width, height), raw[k * size : (k + 1) * size])
        for k, n in enumerate(numbers)
    }


@files_in(FILES)
class ExportMatchesPlayerTests(BrowserTestCase):
    def setUp(self) -> None:
        needs_tools()
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video", fps=FPS)
        add_scene(
            self.project,
            props={"template": "title", "title": "Launch Day", "subtitle": "chatvideo"},
            duration_frames=30,
        )
        add_scene(
            self.project,
            props={
                "template": "bullets",
                "title": "Why switch",
                "items": ["Speed", "Privacy", "Price"],
                "background": "#7c2d12",
                "accent": "#22d3ee",
            },
            duration_frames=30,
        )
        self.page = self.new_page()
        self.log_in(self.page, f"{self.live_server_url}/{self.project.id}/")

    @property
    def stage(self):
        return self.page.locator("[data-player-stage]")

    def seek(self, frame: int) -> None:
        """Drag the scrubber to a frame and wait until the scene answered that seek."""
        self.page.get_by_label("Scrubber").evaluate(
            "(el, frame) => { el.value = String(frame);"
            " el.dispatchEvent(new Event('input', {bubbles: true})); }",
            frame,
        )
        player = self.page.locator("[data-player]")
        expect(player).to_have_attribute("data-rendered-frame", str(frame))

    def still_stage(self, width: int, height: int) -> Image.Image:
        """The stage once two shots in a row agree (the seeked frame is painted)."""
        # The stage sits at a fractional offset; its pixels are drawn snapped
        # to the nearest whole one.
        box = self.stage.bounding_box()
        assert box is not None
        clip = {"x": round(box["x"]), "y": round(box["y"]), "width": width, "height": height}
        previous = self.page.screenshot(type="png", clip=clip)
        for _ in range(20):
            self.page.wait_for_timeout(50)
            shot = self.page.screenshot(type="png", clip=clip)
            if shot == previous:
                return Image.open(io.BytesIO(shot)).convert("RGB")
            previous = shot
        raise AssertionError("the stage kept changing while paused")

    def test_exported_frames_are_the_players_frames(self) -> None:
        # The project takes the stage's displayed size, so the player shows
        # its iframes at scale 1 (it scales project-sized iframes to the stage).
        # The stage fills its column, a fractional width; pin it to whole
        # pixels a little narrower (the player refits its iframes when the
        # stage resizes) and give the project that size.
        width, height = 480, 270
        Project.objects.filter(pk=self.project.pk).update(width=width, height=height)
        self.project.refresh_from_db()
        self.page.reload()
        self.stage.evaluate("(el, width) => { el.style.width = width + 'px'; }", width)
        expect(self.stage).to_have_js_property("clientWidth", width)
        expect(self.stage).to_have_js_property("clientHeight", height)
        # scale(1): the stage shows the scene's pixels as they are.
        expect(self.stage.locator("iframe").first).to_have_css(
            "transform", "matrix(1, 0, 0, 1, 0, 0)"
        )

        shots = {}
        for number in FRAMES:
            self.seek(number)
            shots[number] = self.still_stage(width, height)
        export = run_export(request_export(self.project, enqueue=False).id)
        assert export is not None and export.status == "done", export and export.error
        self.assertEqual((export.width, export.height, export.frames_total), (width, height, 60))
        with default_storage.open(export.file.name) as file:
            video_path = FILES / "exported.mp4"
            video_path.write_bytes(file.read())
        video = decoded_frames(video_path, FRAMES, width, height)

        inside = (CORNER, CORNER, width - CORNER, height - CORNER)
        limit = (width - 2 * CORNER) * (height - 2 * CORNER) // 100  # 1% of the pixels
        failures = []
        for number in FRAMES:
            shot = shots[number]
            self.assertEqual(shot.size, (width, height))
            a, b = video[number].crop(inside), shot.crop(inside)
            mean, changed = mean_difference(a, b), changed_pixels(a, b)
            if mean > 2 or changed > limit:
                failures.append(f"frame {number}: {mean:.2f} on average, {changed} pixels")
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                video[number].save(ARTIFACTS / f"export-vs-player-{number}-mp4.png")
                shot.save(ARTIFACTS / f"export-vs-player-{number}-player.png")
        self.assertEqual(failures, [], "exported frames differ from the player's")
        # The comparison tells frames apart: a neighbouring frame is not noise.
        # The comparison tells frames apart. Mid-entrance, the player's frame
        # is closer to the video's same frame than to the next one; and the
        # last frame of scene 1 is nothing like the first of scene 2.
        for number in (7, 38):
            shot = shots[number].crop(inside)
            same = changed_pixels(video[number].crop(inside), shot)
            self.assertLess(same, changed_pixels(video[number + 1].crop(inside), shot))
        self.assertGreater(
            changed_pixels(video[30].crop(inside), shots[29].crop(inside)), 20 * limit
        )
        self.assertEqual(self.page_errors, [])
