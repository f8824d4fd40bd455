"""Where an export is rendered: claim, render to a temp file, store, finish.

run_export is the one runner, shared by the worker's task and the
``export_video`` command. The web request never calls it.
"""

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import close_old_connections

from .events import publish_export
from .models import RUNNING, Export, Status
from .render import RenderCancelled, RenderError, render_video

logger = logging.getLogger("chatvideo.exports")

# Progress is written to the row (and announced) at most this often.
PROGRESS_INTERVAL_SECONDS = 0.5

# export-<id>-<claim token>.mp4, plus anything the renderer puts beside it.
TEMP_NAME = re.compile(r"^export-(?P<id>\d+)-(?P<token>[0-9a-f]{32})")

# Told about every progress report too (the command draws its terminal bar).
Reporter = Callable[[Export], None]


def temp_path(export: Export, token: uuid.UUID) -> Path:
    """Where this claim renders: named by the claim, so the sweep knows whose it is."""
    directory = Path(settings.CHATVIDEO_EXPORT_TMP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"export-{export.id}-{token.hex}.mp4"


def storage_name(export: Export) -> str:
    return f"exports/{export.project_id}/{export.download_name}"


def run_export(export_id: int, report: Reporter | None = None) -> Export | None:
    """Claim a queued export and render it; returns it finished, or None if not claimed."""
    token = Export.objects.claim(export_id)
    if token is None:
        return None
    export = Export.objects.select_related("project").get(id=export_id)
    publish_export(export.project_id, export.id)
    out_path = temp_path(export, token)
    lease = Lease(export, token)
    progress = ProgressWriter(export, token, lease, report)
    saved_name = None
    try:
        with lease:
            info = render_video(
                export.scenes(),
                out_path,
                width=export.width,
                height=export.height,
                fps=export.fps,
                on_progress=progress,
                should_cancel=lease.lost.is_set,
            )
        if lease.lost.is_set():
            raise RenderCancelled
        saved_name = save_video(export, out_path)
        if not export.finish(token, saved_name, info):
            # Cancelled, or taken back, while we were saving: the file is not ours to keep.
            default_storage.delete(saved_name)
    except RenderCancelled:
        logger.info("export %s stopped: cancelled or taken over", export.id)
    except RenderError as exc:
        export.fail(token, str(exc))
    except StorageError as exc:
        export.fail(token, str(exc))
    except Exception as exc:
        logger.exception("export %s failed", export.id)
        export.fail(token, f"The export failed unexpectedly: {describe(exc)}")
    finally:
        out_path.unlink(missing_ok=True)
    publish_export(export.project_id, export.id)
    export = Export.objects.filter(id=export.id).first()
    if export is None:  # deleted while it rendered
        return None
    if report is not None:
        report(export)
    return export


class StorageError(Exception):
    """The video could not be saved; no part of it is left in storage."""


def save_video(export: Export, path: Path) -> str:
    """Save the rendered file through default_storage; returns its name there."""
    name = storage_name(export)
    saved = None
    try:
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        return saved
    except Exception as exc:
        logger.exception("saving export %s failed", export.id)
        for leftover in {saved, name} - {None}:
            try:
                if default_storage.exists(leftover):
                    default_storage.delete(leftover)
            except Exception:
                logger.exception("could not remove a half-saved export file %s", leftover)
        raise StorageError(
            f"The video was rendered but could not be saved to storage: {describe(exc)}"
        ) from exc


class Lease:
    """Renews the claim's lease from a thread while the render runs.

    A render can go a while without a progress report (Chromium starting, the
    encoder finishing), so liveness does not hang on progress. When a renewal
    finds the export no longer ours (cancelled by the user, or re-queued by
    recover_exports after a stall) `lost` is set, and the renderer's
    should_cancel sees it.
    """

    def __init__(self, export: Export, token: uuid.UUID) -> None:
        self.export = export
        self.token = token
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"export-{export.id}-lease")
        # Often enough that a cancel is seen within a second or so.
        self.interval = min(1.0, settings.CHATVIDEO_EXPORT_LEASE_SECONDS / 4)

    def __enter__(self) -> "Lease":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                if not Export(id=self.export.id).heartbeat(self.token):
                    self.lost.set()
                    return
        except Exception:
            logger.exception("renewing the lease of export %s failed", self.export.id)
        finally:
            close_old_connections()


class ProgressWriter:
    """on_progress for render_video: frames and stage to the row, a tick to the pages."""

    def __init__(
        self, export: Export, token: uuid.UUID, lease: Lease, report: Reporter | None
    ) -> None:
        self.export = export
        self.token = token
        self.lease = lease
        self.report = report
        self.last_write = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        status = Status.ENCODING if stage == "encoding" else Status.RENDERING
        now = time.monotonic()
        changed_stage = status != self.export.status
        if not changed_stage and now - self.last_write < PROGRESS_INTERVAL_SECONDS:
            return
        self.last_write = now
        fields = {"status": status}
        if status == Status.RENDERING:
            fields["frames_done"] = min(done, self.export.frames_total)
        if not self.export.heartbeat(self.token, **fields):
            self.lease.lost.set()
            return
        publish_export(self.export.project_id, self.export.id, tick=not changed_stage)
        if self.report is not None:
            self.report(self.export)


def sweep_temp_files() -> list[Path]:
    """Remove temp files no live claim owns (their worker died or moved on); returns them."""
    directory = Path(settings.CHATVIDEO_EXPORT_TMP_DIR)
    if not directory.is_dir():
        return []
    removed = []
    for path in directory.iterdir():
        match = TEMP_NAME.match(path.name)
        if match is None:
            continue
        owned = Export.objects.filter(
            id=int(match["id"]), claim_token=uuid.UUID(match["token"]), status__in=RUNNING
        )
        if owned.exists():
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__
