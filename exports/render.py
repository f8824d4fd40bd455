"""Rendering a project's scenes to an MP4 file: headless Chromium seeks every
frame through the preview's own seek path, frames are piped into ffmpeg.

Interface shared by the export worker (exports/tasks.py), the `export_video`
command and the benchmark. Pure of Django models: it takes a snapshot.
"""

import contextlib
import os
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class RenderError(Exception):
    """A render failed; str(exc) is a sentence a person can act on (names the scene)."""


class RenderCancelled(Exception):
    """should_cancel() returned True; the partial file has been removed."""


@dataclass(frozen=True)
class SceneSnapshot:
    order: int
    name: str
    duration_frames: int
    code: str  # the scene's stored code; rendered through scenes.frame.frame_document


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    width: int
    height: int
    fps: float
    frames: int
    duration_seconds: float
    size_bytes: int


# on_progress(stage, done, total): stage is "rendering" (done/total frames) or "encoding".
ProgressCallback = Callable[[str, int, int], None]


MAX_LONG_SIDE, MAX_SHORT_SIDE = 3840, 2160
MIN_SIDE = 16
MIN_FPS, MAX_FPS = 1, 60
PROGRESS_EVERY = 5  # frames between on_progress / should_cancel calls
QUEUE_FRAMES = 12  # JPEGs a browser may get ahead of the encoder, per browser
STALL_TIMEOUT = 60.0  # seconds without a frame from a browser that reports nothing
# Browsers rendering one export side by side, each on every Nth frame. One
# browser waits on its round trips and its display; two keep two cores busy
# (see benchmarks/export_render.py).
DEFAULT_WORKERS = int(os.environ.get("CHATVIDEO_RENDER_BROWSERS", "2"))
# Draw each frame on request (HeadlessExperimental.beginFrame, which returns
# the picture it drew) instead of a screenshot after the seek: about twice as
# fast, the same bytes (tests/test_export_render.py). Browsers without it
# (the desktop chromium) fall back to screenshots; "0" forces screenshots.
BEGIN_FRAMES = os.environ.get("CHATVIDEO_RENDER_BEGIN_FRAMES", "1") != "0"


def render_video(
    scenes: list[SceneSnapshot],
    out_path: Path,
    *,
    width: int,
    height: int,
    fps: int,
    on_progress: ProgressCallback | None = None,
    should_cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> VideoInfo:
    """Render the scenes in order to out_path (H.264 MP4), check it with ffprobe, return its info.

    Raises RenderError (with a readable reason) or RenderCancelled; on any
    failure no file is left at out_path. `workers` is how many browsers share
    the frames (alternating); by default CHATVIDEO_RENDER_BROWSERS or 2.
    """
    from . import chromium, ffmpeg

    scenes = sorted(scenes, key=lambda scene: scene.order)
    check_request(scenes, width, height, fps)
    executable = chromium.find_chromium()
    if executable is None:
        raise RenderError(f"Chromium is not installed; {chromium.CHROMIUM_INSTALL_HINT}")
    try:
        ffmpeg.find_tool("ffmpeg")
        ffmpeg.find_tool("ffprobe")
    except ffmpeg.ToolMissing as exc:
        raise RenderError(str(exc)) from None
    out_path = Path(out_path)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"Cannot write the video to {out_path.parent}: {exc}") from None

    total = sum(scene.duration_frames for scene in scenes)
    count = max(1, min(workers or DEFAULT_WORKERS, 8, total))
    progress = on_progress or (lambda stage, done, total: None)
    cancelled = should_cancel or (lambda: False)

    encoder = ffmpeg.start_encoder(out_path, fps)
    crew: Crew | None = None
    try:
        crew = Crew(executable, scenes, width, height, fps, total, count)
        progress("rendering", 0, total)
        for number in range(total):
            frame = crew.next_frame(number, cancelled)
            try:
                assert encoder.stdin is not None
                encoder.stdin.write(frame)
            except (BrokenPipeError, OSError):
                raise RenderError(encoder_failure(encoder)) from None
            done = number + 1
            if done % PROGRESS_EVERY == 0 or done == total:
                if cancelled():
                    raise RenderCancelled
                progress("rendering", done, total)
        crew.stop()
        progress("encoding", 0, 0)
        assert encoder.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            encoder.stdin.close()
        if encoder.wait() != 0:
            raise RenderError(encoder_failure(encoder))
        info = probe_video(out_path)
        found = (info.codec, info.width, info.height, info.fps, info.frames)
        if found != ("h264", width, height, float(fps), total):
            raise RenderError(
                f"The encoded video is not what was asked for: expected h264 {width}x{height}"
                f" at {fps} fps with {total} frames, ffprobe found {info.codec}"
                f" {info.width}x{info.height} at {info.fps:g} fps with {info.frames} frames."
            )
        return info
    except BaseException:
        if crew is not None:
            crew.stop()
        if encoder.poll() is None:
            encoder.kill()
        encoder.wait()
        out_path.unlink(missing_ok=True)
        raise
    finally:
        if crew is not None:
            crew.join()
        for stream in (encoder.stdin, encoder.stderr):
            # After a kill, stdin may still hold frames it cannot flush to the
            # dead encoder: the pipe is closed all the same.
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()


def probe_video(path: Path) -> VideoInfo:
    """What ffprobe says about a video file (codec, size, fps, exact frame count)."""
    from . import ffmpeg

    try:
        return VideoInfo(**ffmpeg.probe(Path(path)))
    except ffmpeg.ToolMissing as exc:
        raise RenderError(str(exc)) from None
    except (ffmpeg.ProbeFailed, subprocess.TimeoutExpired, ValueError) as exc:
        raise RenderError(f"ffprobe could not read {Path(path).name}: {exc}") from None


def check_request(scenes: list[SceneSnapshot], width: int, height: int, fps: int) -> None:
    """Refuse, with a reason, what cannot or must not be rendered."""
    if not scenes:
        raise RenderError("There are no scenes to render; add a scene first.")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (width, height, fps)):
        raise RenderError("Width, height and fps must be whole numbers.")
    if not MIN_FPS <= fps <= MAX_FPS:
        raise RenderError(f"{fps} fps is out of bounds; choose {MIN_FPS} to {MAX_FPS} fps.")
    long_side, short_side = max(width, height), min(width, height)
    if long_side > MAX_LONG_SIDE or short_side > MAX_SHORT_SIDE:
        raise RenderError(
            f"{width}x{height} is too large; the most is {MAX_LONG_SIDE}x{MAX_SHORT_SIDE}"
            f" ({MAX_SHORT_SIDE}x{MAX_LONG_SIDE} portrait)."
        )
    if short_side < MIN_SIDE:
        raise RenderError(f"{width}x{height} is too small; each side needs {MIN_SIDE} pixels.")
    if width % 2 or height % 2:
        # H.264 in yuv420p (what every player plays) halves the colour planes.
        raise RenderError(f"{width}x{height} cannot be encoded; width and height must be even.")
    for scene in scenes:
        if scene.duration_frames < 1:
            raise RenderError(f"{scene_label(scene)} has no frames; give it a duration.")


def scene_label(scene: SceneSnapshot) -> str:
    return f"Scene {scene.order} ({scene.name})"


def encoder_failure(encoder: subprocess.Popen) -> str:
    if encoder.poll() is None:
        encoder.kill()
    encoder.wait()
    detail = ""
    if encoder.stderr is not None:
        detail = encoder.stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        detail = detail[0] if detail else ""
    return f"ffmpeg stopped encoding (exit {encoder.returncode}){': ' + detail if detail else ''}."


class Crew:
    """Browsers rendering frames side by side: browser k takes frames k, k+N, k+2N...

    Each runs in its own thread with its own Chromium; frames come back in
    order through next_frame().
    """

    def __init__(self, executable, scenes, width, height, fps, total, count) -> None:
        self.stopping = threading.Event()
        self.queues: list[queue.Queue] = [queue.Queue(QUEUE_FRAMES) for _ in range(count)]
        self.cameras: list = [None] * count
        self.pids: list[int] = []
        self.threads = [
            threading.Thread(
                target=self._run,
                args=(k, count, executable, scenes, width, height, fps, total),
                name=f"render-browser-{k}",
                daemon=True,
            )
            for k in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, k, count, executable, scenes, width, height, fps, total) -> None:
        from .cdp import CDPClosed, CDPError, CDPTimeout
        from .chromium import FrameCamera, SceneFailed

        out = self.queues[k]
        try:
            try:
                camera = FrameCamera(executable, width, height, begin_frames=BEGIN_FRAMES)
            except (CDPClosed, CDPTimeout, CDPError, OSError) as exc:
                raise RenderError(f"Chromium could not start ({executable}): {exc}") from None
            self.cameras[k] = camera
            self.pids.append(camera.pid)
            try:
                if self.stopping.is_set():
                    return
                first, index, loaded = 0, 0, -1
                for number in range(k, total, count):
                    while number >= first + scenes[index].duration_frames:
                        first += scenes[index].duration_frames
                        index += 1
                    if loaded != index:
                        camera.load(index, scene_label(scenes[index]), scenes[index].code)
                        loaded = index
                    # The preview's own formula (player.js): ms into the scene.
                    picture = camera.capture(((number - first) * 1000) / fps)
                    if not self._put(out, picture):
                        return
            except SceneFailed as exc:
                raise RenderError(f"{exc}.") from None
            except (CDPClosed, CDPTimeout, CDPError) as exc:
                if self.stopping.is_set():
                    return
                raise RenderError(f"Chromium stopped while rendering: {exc}") from None
            finally:
                camera.close()
        except BaseException as exc:  # handed to the thread that waits for frames
            self._put(out, exc)

    def _put(self, out: queue.Queue, item) -> bool:
        while not self.stopping.is_set():
            try:
                out.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def next_frame(self, number: int, cancelled: Callable[[], bool]) -> bytes:
        """Frame `number`, waiting for its browser; RenderError if the browser failed."""
        waited = 0.0
        source = self.queues[number % len(self.queues)]
        while True:
            started = time.monotonic()
            try:
                item = source.get(timeout=1.0)
            except queue.Empty:
                # A scene may hold its browser for a few seconds before the
                # browser gives up on it; a person may cancel meanwhile.
                if cancelled():
                    raise RenderCancelled from None
                waited += time.monotonic() - started
                if waited > STALL_TIMEOUT:
                    raise RenderError("Chromium stopped sending frames.") from None
                continue
            if isinstance(item, BaseException):
                raise item
            return item

    def stop(self) -> None:
        self.stopping.set()
        for camera in self.cameras:
            if camera is not None:
                camera.kill()

    def join(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=10)
