"""Helpers for the export tests: small projects, and real `db_worker` processes on the test DB."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import override_settings

from exports.models import Export
from projects.models import Project
from scenes.tools import add_scene

# Small enough to render in a few seconds, real enough to exercise the pipeline.
WIDTH, HEIGHT, FPS = 640, 360, 15


def files_in(folder: Path):
    """Class decorator: the tests' exports and thumbnails go to `folder`, removed after the class.

    Applied to the class, so a live server forked in setUpClass has it too.
    """

    def decorate(cls):
        def tearDownClass(klass) -> None:
            super(cls, klass).tearDownClass()
            shutil.rmtree(folder, ignore_errors=True)

        cls.tearDownClass = classmethod(tearDownClass)
        media = override_settings(
            MEDIA_ROOT=folder / "media", CHATVIDEO_EXPORT_TMP_DIR=folder / "tmp-exports"
        )
        return media(cls)

    return decorate


def small_project(owner, *, scenes: int = 2, frames: int = 15, title: str = "Export me") -> Project:
    """A 640x360, 15 fps project with `scenes` template scenes of `frames` frames each."""
    project = Project.objects.create(owner=owner, title=title, width=WIDTH, height=HEIGHT, fps=FPS)
    for number in range(1, scenes + 1):
        add_scene(project, props={"title": f"Scene {number}"}, duration_frames=frames)
    return project


def database_url() -> str:
    """The test database as a DATABASE_URL, for processes started by a test."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_env(**extra: str) -> dict:
    """The environment of a process that must use this test's database and files."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CHATVIDEO_EXPORT_TMP_DIR": str(settings.CHATVIDEO_EXPORT_TMP_DIR),
        "CHATVIDEO_EXPORT_LEASE_SECONDS": str(settings.CHATVIDEO_EXPORT_LEASE_SECONDS),
        "CHATVIDEO_ORPHAN_REPLY_SECONDS": str(settings.CHATVIDEO_ORPHAN_REPLY_SECONDS),
        "DEBUG": "1",
        **extra,
    }


class Worker:
    """A real `manage.py db_worker` process (with Chromium and ffmpeg below it when it renders).

    It runs in its own session, so stop() can end everything it started, and
    kill() sends SIGKILL to the worker alone, as the OOM killer would.
    """

    def __init__(self, log_path: Path, **env: str) -> None:
        self.log_path = log_path
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--queue-name",
                "default,exports",
                "--no-startup-delay",
                "--interval",
                "0.1",
            ],
            cwd=settings.BASE_DIR,
            env=worker_env(**env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def orphans_left(self) -> bool:
        """Whether anything the worker started (Chromium, ffmpeg) still runs after it died."""
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """End the worker and anything it left running (orphaned Chromium or ffmpeg)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        try:
            self.process.wait(timeout=10)
        finally:
            self.log.close()

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")


def wait_for(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll until condition() is truthy; returns its value, or fails naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def export_status(export_id: int) -> str:
    return Export.objects.values_list("status", flat=True).get(id=export_id)
