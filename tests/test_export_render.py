"""The export's render pipeline (exports/render.py) with real Chromium and ffmpeg.

A small project of three templates (640x360, 30 fps, 60 frames) is rendered to
an MP4; ffprobe must confirm it frame for frame, and chosen frames must look
like the same scene seeked to the same time in a sandboxed iframe, as the
preview shows it. Failures name the scene and leave no file behind.
"""

import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from playwright.sync_api import Route, sync_playwright

from exports.chromium import FrameCamera, find_chromium
from exports.render import (
    RenderCancelled,
    RenderError,
    SceneSnapshot,
    VideoInfo,
    probe_video,
    render_video,
)
from scenes.frame import FRAME_CSP, frame_document
from scenes.render import render_scene_code

from .browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

WIDTH, HEIGHT, FPS = 640, 360, 30
BASE = {"background": "#0f172a", "color": "#ffffff", "accent": "#f97316", "font": "sans"}
# (template, title, frames): 20 + 25 + 15 = 60 frames, 2 seconds.
PLAN = [("title", "Launch Day", 20), ("quote", "Less is more", 25), ("counter", "1,000,000", 15)]


def scene_snapshots(plan=PLAN) -> list[SceneSnapshot]:
    return [
        SceneSnapshot(
            order=order,
            name=title,
            duration_frames=frames,
            code=render_scene_code(
                {**BASE, "template": template, "title": title, "subtitle": "chatvideo"},
                frames,
                FPS,
            ),
        )
        for order, (template, title, frames) in enumerate(plan, start=1)
    ]


def needs_tools() -> None:
    """Skip (fail under CI=true) when Chromium or ffmpeg is missing, as tests/browser.py does."""
    missing = [
        hint
        for present, hint in [
            (os.path.exists(CHROMIUM), f"{CHROMIUM} (apt-get install chromium)"),
            (shutil.which("ffmpeg") and shutil.which("ffprobe"), "ffmpeg (apt-get install ffmpeg)"),
        ]
        if not present
    ]
    if missing:
        reason = f"missing {', '.join(missing)}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the export render tests: {reason}")
        pytest.skip(reason)


@pytest.fixture
def tools() -> None:
    needs_tools()


@pytest.fixture
def scenes() -> list[SceneSnapshot]:
    return scene_snapshots()


def decoded_frames(path: Path, numbers: list[int]) -> dict[int, Image.Image]:
    """Frames of the MP4 as RGB images, decoded by ffmpeg."""
    raw = subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-i",
            str(path),
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    size = WIDTH * HEIGHT * 3
    return {
        n: Image.frombytes("RGB", (WIDTH, HEIGHT), raw[n * size : (n + 1) * size]) for n in numbers
    }


# Encoder noise rarely moves a pixel by more than NOISE levels of 255; a
# frame may have MAX_CHANGED such pixels (0.5%: text edges drawn a subpixel
# apart) and still be the same picture. One frame apart, thousands change.
NOISE = 32
MAX_CHANGED = WIDTH * HEIGHT // 200


def changed_pixels(a: Image.Image, b: Image.Image) -> int:
    """How many pixels differ by more than NOISE (on the difference's luma)."""
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > NOISE else 0)
    return mask.histogram()[255]


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Average absolute difference per channel, 0 to 255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# The reference: the scene's frame document, with the frame's CSP, in a
# sandboxed iframe of a host page that speaks the preview's seek protocol,
# in a Chromium driven by Playwright (not the export's own CDP client).
REFERENCE_HOST = f"""<!doctype html><style>body{{margin:0}}iframe{{display:block;border:0;
width:{WIDTH}px;height:{HEIGHT}px}}</style><iframe sandbox="allow-scripts"></iframe>"""
SEEK = """ms => new Promise(resolve => {
  const frame = document.querySelector("iframe");
  addEventListener("message", function answer(event) {
    const data = event.data;
    if (event.source === frame.contentWindow && data.type === "seeked" && data.ms === ms) {
      removeEventListener("message", answer);
      resolve();
    }
  });
  frame.contentWindow.postMessage({type: "seek", ms}, "*");
})"""


def preview_shots(scenes: list[SceneSnapshot], numbers: list[int]) -> dict[int, Image.Image]:
    """Each frame number as the scene shows it when seeked there, once the picture is still."""
    shots = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_default_timeout(10_000)
        documents = {}

        def serve(route: Route) -> None:
            if route.request.url not in documents:
                route.abort()
                return
            body, headers = documents[route.request.url]
            route.fulfill(status=200, content_type="text/html", body=body, headers=headers)

        page.route("**/*", serve)
        documents["http://preview.invalid/"] = (REFERENCE_HOST, {})
        page.goto("http://preview.invalid/")
        first = 0
        for index, scene in enumerate(scenes):
            url = f"http://preview.invalid/scene/{index}"
            documents[url] = (frame_document(scene.code), {"Content-Security-Policy": FRAME_CSP})
            page.locator("iframe").evaluate("(frame, url) => { frame.src = url; }", url)
            page.wait_for_load_state("load")
            page.frame_locator("iframe").locator("body").wait_for(state="attached")
            for number in numbers:
                if first <= number < first + scene.duration_frames:
                    page.evaluate(SEEK, ((number - first) * 1000) / FPS)
                    shots[number] = still_screenshot(page)
            first += scene.duration_frames
        browser.close()
    return shots


def still_screenshot(page) -> Image.Image:
    previous = page.screenshot(type="png")
    for _ in range(20):
        page.wait_for_timeout(50)
        shot = page.screenshot(type="png")
        if shot == previous:
            return Image.open(io.BytesIO(shot)).convert("RGB")
        previous = shot
    raise AssertionError("the seeked frame kept changing")


# Tests ----------------------------------------------------------------------


@pytest.mark.browser
def test_the_mp4_has_every_frame_at_the_project_size_and_fps(tools, scenes, tmp_path) -> None:
    out = tmp_path / "video.mp4"
    progress: list[tuple[str, int, int]] = []

    info = render_video(
        scenes,
        out,
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
        on_progress=lambda *report: progress.append(report),
    )

    expected = VideoInfo("h264", WIDTH, HEIGHT, 30.0, 60, 2.0, out.stat().st_size)
    assert info == expected
    assert probe_video(out) == expected  # ffprobe -count_frames, asked again
    # Progress counts frames up to the total, then the encoder finishes.
    rendering = [done for stage, done, total in progress if stage == "rendering"]
    assert rendering[0] == 0 and rendering[-1] == 60
    assert rendering == sorted(rendering) and len(rendering) > 5
    assert progress[-1] == ("encoding", 0, 0)
    assert {total for stage, _, total in progress if stage == "rendering"} == {60}


@pytest.mark.browser
def test_a_frame_of_the_mp4_is_the_preview_at_that_frame(tools, scenes, tmp_path) -> None:
    out = tmp_path / "video.mp4"
    render_video(scenes, out, width=WIDTH, height=HEIGHT, fps=FPS, workers=2)
    # Each scene's first and last frames and frames mid-entrance, where one
    # frame differs from the next; odd and even, so both browsers' shares.
    numbers = [0, 2, 5, 19, 20, 24, 45, 47, 48, 59]
    video = decoded_frames(out, numbers)
    preview = preview_shots(scenes, numbers)

    failures = []
    for number in numbers:
        # JPEG and H.264 noise: about one level of 255 on average, and few
        # pixels off by more than NOISE (sharp coloured edges, text).
        mean = mean_difference(video[number], preview[number])
        changed = changed_pixels(video[number], preview[number])
        if mean > 2 or changed > MAX_CHANGED:
            failures.append(f"frame {number}: {mean:.2f} on average, {changed} pixels")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            video[number].save(ARTIFACTS / f"export-frame-{number}-mp4.png")
            preview[number].save(ARTIFACTS / f"export-frame-{number}-preview.png")
    assert not failures, f"frames differ from the preview: {failures}"
    # The comparison tells neighbouring frames apart: one frame off is not noise.
    assert changed_pixels(video[48], preview[47]) > 3 * MAX_CHANGED


def every_frame(camera: FrameCamera, scenes: list[SceneSnapshot]) -> list[bytes]:
    """Each frame of the scenes as the camera takes it, in order."""
    frames = []
    for index, scene in enumerate(scenes):
        camera.load(index, scene.name, scene.code)
        frames += [camera.capture(n * 1000 / FPS) for n in range(scene.duration_frames)]
    return frames


@pytest.mark.browser
def test_frames_drawn_on_request_are_the_screenshots_byte_for_byte(tools, scenes) -> None:
    executable = find_chromium()
    if executable is None or not executable.endswith("chromium-headless-shell"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have chromium-headless-shell (scripts/ensure-ffmpeg)")
        pytest.skip("chromium-headless-shell is missing (apt-get install chromium-headless-shell)")
    pictures = {}
    for begin_frames in (False, True):
        camera = FrameCamera(executable, WIDTH, HEIGHT, begin_frames=begin_frames)
        try:
            # The fast path is really the one taken, and the other is not.
            assert camera.begin_frames is begin_frames
            pictures[begin_frames] = every_frame(camera, scenes)
        finally:
            camera.close()

    screenshots, drawn = pictures[False], pictures[True]
    assert len(drawn) == len(screenshots) == 60
    different = [n for n in range(60) if drawn[n] != screenshots[n]]
    assert different == [], f"frames drawn on request differ from screenshots: {different}"
    # Not one picture over and over: a stale frame would repeat its predecessor.
    assert len(set(drawn)) > 50


@pytest.mark.browser
def test_a_scene_that_stops_answering_seeks_is_named_and_no_file_is_left(tools, tmp_path) -> None:
    scenes = scene_snapshots()
    # The second scene's document replaces itself after loading: what is left
    # has no seek script, so it never answers.
    broken = scenes[1].code.replace(
        "<head>", '<head><meta http-equiv="refresh" content="0; url=about:blank">', 1
    )
    assert broken != scenes[1].code
    scenes[1] = SceneSnapshot(2, "Less is more", 25, broken)
    out = tmp_path / "video.mp4"

    started = time.monotonic()
    with pytest.raises(RenderError, match=r"^Scene 2 \(Less is more\) did not answer a seek"):
        render_video(scenes, out, width=WIDTH, height=HEIGHT, fps=FPS)

    assert time.monotonic() - started < 30
    assert not out.exists()


@pytest.mark.browser
def test_cancelling_stops_the_render_and_removes_the_file(tools, scenes, tmp_path) -> None:
    out = tmp_path / "video.mp4"
    progress: list[int] = []

    with pytest.raises(RenderCancelled):
        render_video(
            scenes,
            out,
            width=WIDTH,
            height=HEIGHT,
            fps=FPS,
            on_progress=lambda stage, done, total: progress.append(done),
            should_cancel=lambda: bool(progress) and progress[-1] >= 10,
        )

    assert not out.exists()
    assert max(progress) < 60


@pytest.mark.parametrize(
    ("width", "height", "fps", "reason"),
    [
        (3842, 2160, 30, "3842x2160 is too large; the most is 3840x2160"),
        (3840, 2162, 30, "too large"),
        (640, 361, 30, "must be even"),
        (640, 360, 0, "0 fps is out of bounds; choose 1 to 60 fps."),
        (640, 360, 61, "61 fps is out of bounds"),
    ],
)
def test_sizes_and_frame_rates_out_of_bounds_are_refused(
    scenes, tmp_path, width, height, fps, reason
) -> None:
    out = tmp_path / "video.mp4"
    with pytest.raises(RenderError, match=reason):
        render_video(scenes, out, width=width, height=height, fps=fps)
    assert not out.exists()


def test_4k_portrait_and_landscape_are_within_bounds(scenes, tmp_path, monkeypatch) -> None:
    # Checked before any tool runs: with no ffmpeg on PATH, the size passes
    # and the render stops at the first missing tool instead.
    monkeypatch.setenv("PATH", str(tmp_path))
    for width, height in [(3840, 2160), (2160, 3840)]:
        with pytest.raises(RenderError, match="is not installed"):
            render_video(scenes, tmp_path / "video.mp4", width=width, height=height, fps=60)


def test_no_scenes_is_refused(tmp_path) -> None:
    with pytest.raises(RenderError, match="There are no scenes to render"):
        render_video([], tmp_path / "video.mp4", width=WIDTH, height=HEIGHT, fps=FPS)


def test_missing_ffmpeg_says_how_to_install_it(scenes, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find here
    with pytest.raises(RenderError, match=r"ffmpeg is not installed; .*apt-get install ffmpeg"):
        render_video(scenes, tmp_path / "video.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
    assert not (tmp_path / "video.mp4").exists()


def test_missing_chromium_says_how_to_install_it(scenes, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CHATVIDEO_CHROMIUM", str(tmp_path / "chromium"))
    with pytest.raises(RenderError, match=r"Chromium is not installed.*apt-get install chromium"):
        render_video(scenes, tmp_path / "video.mp4", width=WIDTH, height=HEIGHT, fps=FPS)
    assert not (tmp_path / "video.mp4").exists()
