"""A person exports a video in headless Chromium: real daphne, a real db_worker, real renderer."""

import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import expect

from exports.models import Export
from exports.render import probe_video

from .browser import ARTIFACTS, BrowserTestCase
from .exports_support import FPS, HEIGHT, WIDTH, Worker, files_in, small_project
from .helpers import PASSWORD

FILES = Path(tempfile.mkdtemp(prefix="chatvideo-export-browser-"))
RENDER_TIMEOUT_MS = 120_000


@files_in(FILES)
class ExportBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        # Sixteen seconds of video: the render takes seconds even on an idle
        # machine, so the bar is seen moving without Redis too, where the
        # card's own once-a-second poll is what shows progress.
        self.project = small_project(self.owner, scenes=2, frames=120, title="Launch video")
        self.project_url = f"{self.live_server_url}/{self.project.id}/"
        self.worker = Worker(FILES / f"worker-{self.id()}.log")
        self.addCleanup(self.worker.stop)

    def test_export_shows_live_progress_then_a_download_that_plays(self) -> None:
        page = self.new_page()
        self.log_in(page, self.project_url)
        # A second tab, open before the export exists, and the list fetches it makes.
        other = self.new_page()
        list_url = f"{self.live_server_url}/{self.project.id}/exports/"
        list_fetches = []
        other.on("request", lambda r: list_fetches.append(r.url) if r.url == list_url else None)
        other.goto(self.project_url)

        page.get_by_role("button", name="Export MP4").click()

        card = page.locator(".export-card").first
        expect(card).to_be_visible()
        export = Export.objects.get()
        self.assertEqual(card.get_attribute("id"), f"export-{export.id}")
        # The other tab hears of it on the stream and shows it from the database.
        expect(other.locator(f"#export-{export.id}")).to_be_visible()

        # The bar moves while the worker renders: watch it until the video is ready.
        seen_percents, seen_texts = set(), set()
        ARTIFACTS.mkdir(exist_ok=True)
        shot = False
        deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
        while True:
            # One read of the card as it is now (htmx swaps it several times a second).
            state = page.evaluate(
                """id => {
                    const card = document.getElementById(id);
                    const bar = card && card.querySelector("progress");
                    const text = card && card.querySelector(".export-progress-text");
                    return card && {status: card.dataset.status,
                                    percent: bar ? Number(bar.value) : null,
                                    text: text ? text.innerText.trim() : null};
                }""",
                f"export-{export.id}",
            )
            if state and state["status"] in {"done", "error", "cancelled"}:
                break
            self.assertLess(time.monotonic(), deadline, f"{seen_texts}\n{self.worker.output()}")
            if state and state["percent"] is not None:
                seen_percents.add(state["percent"])
                seen_texts.add(state["text"])
                if 30 < state["percent"] < 90 and not shot:
                    page.locator("#export-list").screenshot(path=ARTIFACTS / "export-rendering.png")
                    shot = True
            time.sleep(0.1)
        self.assertEqual(card.get_attribute("data-status"), "done", self.worker.output())
        self.assertTrue(
            any(0 < percent < 100 for percent in seen_percents),
            f"the bar never showed partial progress: {sorted(seen_percents)} {seen_texts}",
        )
        self.assertTrue(
            any(text.startswith("Rendering ") and " / 240 frames" in text for text in seen_texts),
            seen_texts,
        )

        # Done: the facts, a player that loads the video, and the download.
        expect(card).to_contain_text(f"{WIDTH}×{HEIGHT}")
        expect(card).to_contain_text("16.0 s")
        video = card.locator("video")
        page.wait_for_function(
            "v => v.readyState >= 1 && Math.abs(v.duration - 240 / 15) < 0.1",
            arg=video.element_handle(),
        )
        page.locator("#export-list").screenshot(path=ARTIFACTS / "export-done.png")
        with page.expect_download() as download_info:
            card.get_by_role("link", name="Download MP4").click()
        saved = FILES / "downloaded.mp4"
        download_info.value.save_as(saved)
        info = probe_video(saved)
        self.assertEqual(
            (info.codec, info.width, info.height, info.fps, info.frames),
            ("h264", WIDTH, HEIGHT, FPS, 240),
        )

        # The other tab got there too, and a reload shows the same.
        expect(other.locator(f"#export-{export.id}")).to_have_attribute(
            "data-status", "done", timeout=RENDER_TIMEOUT_MS
        )
        page.reload()
        expect(page.locator(f"#export-{export.id}")).to_contain_text("Download MP4")
        # Only the new export's arrival re-fetched the other tab's list; every
        # later event (progress ticks, with Redis) fetched just that card.
        self.assertLessEqual(len(list_fetches), 2, list_fetches)
        self.assertEqual(self.page_errors, [])
