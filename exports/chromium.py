"""One headless Chromium that shows a scene and takes a picture of any frame of it.

The scene runs exactly as in the preview: its document is
scenes.frame.frame_document(code), served with scenes.frame.FRAME_CSP, inside
a sandboxed iframe of a host page, and it is moved to a time with the preview's
seek protocol (post {type: "seek", ms}, wait for {type: "seeked", ms}). The
host page and the scenes are served from memory (Fetch interception); every
other request fails, so a render never touches the network.
"""

import base64
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass

from scenes.frame import FRAME_CSP, SEEK_TIMEOUT_MS, frame_document

from .cdp import Browser, CDPClosed, CDPError, CDPTimeout

# Where to look for a browser, unless CHATVIDEO_CHROMIUM names one. Debian's
# chromium-headless-shell (scripts/ensure-ffmpeg installs it) first: the same
# engine without the desktop browser around it, it spends about a third less
# CPU per frame here.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Composite in software on the CPU instead of through an emulated GPU
    # (a 1280x720 screenshot took ~85 ms instead of ~125). Not
    # --disable-frame-rate-limit: it draws frames nonstop, and tripled the
    # CPU spent per video frame.
    "--disable-gpu-compositing",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--force-device-scale-factor=1",
    # Finish raster before a frame is drawn, images included: without these a
    # screenshot may catch a layer still at a provisional (blurry) raster
    # scale, and the same frame differs from one render to the next.
    "--run-all-compositor-stages-before-draw",
    "--disable-checker-imaging",
    # Animations run on the main thread only. On the compositor's thread a
    # newly loaded scene could be drawn with its animations where that thread
    # had run them to, not where the seek put them, and a layer could keep a
    # provisional raster scale: the same frame would differ between renders.
    # On the main thread, a seek is drawn exactly; text moving by subpixels
    # lands a subpixel apart from the preview's, well within the tests' bounds.
    "--disable-threaded-animation",
    # A render is never in the background: keep timers and painting at full speed.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # The scene frame lives in the host's renderer process, so a screenshot
    # taken after "seeked" is composited from the same process, in step. The
    # frame keeps its opaque origin, CSP and sandbox; the only documents this
    # browser ever sees are ours.
    "--disable-site-isolation-trials",
    "--disable-features=IsolateSandboxedIframes,site-per-process,Translate,MediaRouter",
]
# Begin-frame control (chromium-headless-shell only): the compositor draws a
# frame only when HeadlessExperimental.beginFrame asks, and that call returns
# the picture it drew. No frame loop runs between pictures and no separate
# screenshot pass redraws the page.
BEGIN_FRAME_ARGS = [
    "--enable-begin-frame-control",
    "--disable-new-content-rendering-timeout",
    "--disable-threaded-scrolling",
]
CHROMIUM_INSTALL_HINT = (
    "install it with: apt-get install chromium (or run ./scripts/ensure-chromium)"
)

ORIGIN = "http://render.chatvideo.invalid"
HOST_URL = f"{ORIGIN}/"
LOAD_TIMEOUT = 10.0  # seconds for a scene to load and say "ready"
# Seconds for a scene to answer one seek: the preview player's limit too.
SEEK_TIMEOUT = SEEK_TIMEOUT_MS / 1000
JPEG_QUALITY = 90

# The host page: one iframe at the video's size, and the parent side of the
# preview's seek protocol (static/chatvideo/player.js): post a seek, wait for
# the scene's "seeked" with the same ms.
HOST_SCRIPT = """
(function () {
  "use strict";
  var frame = document.getElementById("scene");
  var waiting = null;
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || !waiting) return;
    var data = event.data || {};
    if (data.type !== waiting.type) return;
    if (data.type === "seeked" && data.ms !== waiting.ms) return;
    var done = waiting;
    waiting = null;
    done.resolve(true);
  });
  function expect(type, ms) {
    return new Promise(function (resolve) { waiting = { type: type, ms: ms, resolve: resolve }; });
  }
  window.loadScene = function (url) {
    var ready = expect("ready", null);
    frame.src = url;
    return ready;
  };
  window.seekScene = function (ms) {
    var seeked = expect("seeked", ms);
    frame.contentWindow.postMessage({ type: "seek", ms: ms }, "*");
    return seeked;
  };
})();
"""


def host_document(width: int, height: int) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "html,body{margin:0;padding:0;overflow:hidden;background:#05070d}"
        f"iframe{{display:block;border:0;margin:0;width:{width}px;height:{height}px;"
        "background:#05070d}</style></head><body>"
        f"<iframe id='scene' sandbox='allow-scripts' referrerpolicy='no-referrer'"
        f" width='{width}' height='{height}'></iframe>"
        f"<script>{HOST_SCRIPT}</script></body></html>"
    )


def find_chromium() -> str | None:
    named = os.environ.get("CHATVIDEO_CHROMIUM")
    for path in [named] if named else CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return None


PROFILE_PREFIX = "chatvideo-render-"
PROFILE_NAME = re.compile(rf"^{PROFILE_PREFIX}(\d+)-")


def sweep_profiles() -> None:
    """Remove the profiles of renders whose process is gone (killed before its cleanup)."""
    root = tempfile.gettempdir()
    for name in os.listdir(root):
        match = PROFILE_NAME.match(name)
        if not match:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
        except PermissionError:
            pass  # alive, someone else's


class SceneFailed(Exception):
    """The current scene did not load, threw, or did not answer a seek (says which)."""


@dataclass
class LoadedScene:
    label: str  # "Scene 2 (Quote)"
    url: str


class FrameCamera:
    """A Chromium showing one scene at a time at width x height; pictures as JPEG bytes."""

    def __init__(
        self, executable: str, width: int, height: int, *, begin_frames: bool = False
    ) -> None:
        self.width, self.height = width, height
        self.begin_frames = begin_frames
        self.documents: dict[str, tuple[str, list[dict]]] = {}
        self.scene: LoadedScene | None = None
        self.errors: list[str] = []
        # A profile of its own: browsers side by side must not share one.
        sweep_profiles()
        self.profile = tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
        args = [*CHROMIUM_ARGS, f"--window-size={width},{height}"]
        if begin_frames:
            args += BEGIN_FRAME_ARGS
        args.append(f"--user-data-dir={self.profile}")
        try:
            self.browser = Browser(executable, args)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        try:
            self.browser.on_event = self._on_event
            target = self.browser.call(
                "Target.createTarget",
                {"url": "about:blank", "enableBeginFrameControl": begin_frames},
            )
            attached = self.browser.call(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )
            self.session = attached["sessionId"]
            self._call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            self._call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
            self._call("Runtime.enable")
            self._call("Page.enable")
            self.documents[HOST_URL] = (host_document(width, height), [])
            self._call("Page.navigate", {"url": HOST_URL})
            self._wait_for("typeof window.seekScene === 'function'", LOAD_TIMEOUT)
            if begin_frames:
                self.begin_frames = self._begin_frames_work()
        except BaseException:
            self.close()
            raise

    @property
    def pid(self) -> int:
        return self.browser.pid

    def _call(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        return self.browser.call(method, params, self.session, timeout)

    def _wait_for(self, expression: str, timeout: float) -> None:
        # The host page may not exist yet when we start asking.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self._call("Runtime.evaluate", {"expression": expression}, timeout)
            if result.get("result", {}).get("value") is True:
                return
            time.sleep(0.01)
        raise CDPTimeout

    def _on_event(self, method: str, params: dict, session: str | None) -> None:
        if method == "Fetch.requestPaused":
            url = params["request"]["url"]
            document = self.documents.get(url)
            if document is None:
                # Nothing but our own documents: no network, ever.
                self.browser.send(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                    session,
                )
                return
            body, headers = document
            self.browser.send(
                "Fetch.fulfillRequest",
                {
                    "requestId": params["requestId"],
                    "responseCode": 200,
                    "responseHeaders": [
                        {"name": "Content-Type", "value": "text/html; charset=utf-8"},
                        {"name": "Cache-Control", "value": "no-store"},
                        *headers,
                    ],
                    "body": base64.b64encode(body.encode()).decode(),
                },
                session,
            )
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            text = exception.get("description") or details.get("text") or "an error"
            self.errors.append(text.splitlines()[0])

    def load(self, index: int, label: str, code: str) -> None:
        """Show a scene: its frame document in the sandboxed iframe, waiting for "ready"."""
        url = f"{ORIGIN}/scene/{index}"
        headers = [
            {"name": "Content-Security-Policy", "value": FRAME_CSP},
            {"name": "X-Content-Type-Options", "value": "nosniff"},
        ]
        self.documents = {url: (frame_document(code), headers)}
        self.scene = LoadedScene(label, url)
        self.errors = []
        self._evaluate(f"loadScene({url!r})", LOAD_TIMEOUT, "did not finish loading")

    def capture(self, ms: float) -> bytes:
        """The current scene at ms into it, as a JPEG of width x height."""
        self._evaluate(f"seekScene({ms!r})", SEEK_TIMEOUT, f"did not answer a seek to {ms:.0f} ms")
        if self.begin_frames:
            return self._draw()
        shot = self._call(
            "Page.captureScreenshot",
            {"format": "jpeg", "quality": JPEG_QUALITY, "optimizeForSpeed": True},
        )
        return base64.b64decode(shot["data"])

    def _begin_frames_work(self) -> bool:
        """Whether this browser draws on request; Debian's desktop chromium
        (the new headless mode) refuses, and then screenshots it is."""
        try:
            self._call("HeadlessExperimental.beginFrame", {"noDisplayUpdates": True})
        except CDPError:
            return False
        return True

    def _draw(self) -> bytes:
        """Draw one frame now (the compositor draws only when told) and return it as a JPEG."""
        # The seek has already run: its "seeked" came back, so the paused
        # animations hold their new times. This frame runs style, layout,
        # paint and raster for them (all stages before the draw) and hands
        # back exactly what it drew.
        shot = self._call(
            "HeadlessExperimental.beginFrame",
            {
                "noDisplayUpdates": False,
                "screenshot": {
                    "format": "jpeg",
                    "quality": JPEG_QUALITY,
                    "optimizeForSpeed": True,
                },
            },
        )
        data = shot.get("screenshotData")
        if not data:
            raise SceneFailed(self._reason("drew no frame"))
        return base64.b64decode(data)

    def _evaluate(self, expression: str, timeout: float, what: str) -> None:
        assert self.scene is not None
        try:
            self._call(
                "Runtime.evaluate", {"expression": expression, "awaitPromise": True}, timeout
            )
        except CDPTimeout:
            raise SceneFailed(self._reason(what)) from None
        except CDPClosed:
            raise SceneFailed(self._reason(f"crashed Chromium ({what})")) from None
        if self.errors:
            raise SceneFailed(f"{self.scene.label} failed: {self.errors[0]}")

    def _reason(self, what: str) -> str:
        assert self.scene is not None
        reason = f"{self.scene.label} {what}"
        if self.errors:
            reason += f" (its code threw: {self.errors[0]})"
        return reason

    def kill(self) -> None:
        """Stop the browser now; safe from another thread."""
        self.browser.kill()

    def close(self) -> None:
        self.browser.close()
        shutil.rmtree(self.profile, ignore_errors=True)
