"""`manage.py export_video`: a real process rendering a real project in the foreground."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from exports.models import Export
from exports.render import probe_video
from tests.exports_support import FPS, HEIGHT, WIDTH, small_project, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]


def export_video(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "export_video", *args],
        cwd=settings.BASE_DIR,
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_it_renders_in_the_foreground_with_a_progress_bar_and_prints_the_path(owner, tmp_path):
    project = small_project(owner)
    out = tmp_path / "launch.mp4"

    result = export_video(str(project.id), "--out", str(out))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out.resolve())
    info = probe_video(out)
    assert (info.codec, info.width, info.height, info.fps, info.frames) == (
        "h264",
        WIDTH,
        HEIGHT,
        FPS,
        30,
    )
    assert "] rendering" in result.stderr and "frames" in result.stderr
    assert "done: 30 frames" in result.stderr
    export = Export.objects.get()
    assert export.status == "done"
    # It rendered the export itself: no export task was left for a worker.
    assert not DBTaskResult.objects.filter(task_path="exports.tasks.render_export").exists()


def test_without_out_it_prints_where_storage_keeps_the_file(owner, media):
    project = small_project(owner, scenes=1)

    result = export_video(str(project.id))

    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_relative_to(media) and path.exists()
    assert probe_video(path).frames == 15


def test_size_and_fps_options_change_the_video_but_not_its_length(owner, tmp_path):
    project = small_project(owner)
    out = tmp_path / "small.mp4"

    result = export_video(str(project.id), "--out", str(out), "--size", "320x180", "--fps", "30")

    assert result.returncode == 0, result.stderr
    info = probe_video(out)
    assert (info.width, info.height, info.fps, info.frames) == (320, 180, 30, 60)
    assert info.duration_seconds == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "4000x2000"], "out of bounds"),
        (["--size", "big"], "--size must look like 1280x720"),
        (["--fps", "0"], "0 fps is out of bounds"),
        (["--fps", "120"], "120 fps is out of bounds"),
    ],
)
def test_bad_options_exit_non_zero_with_a_clear_error(owner, args, message):
    project = small_project(owner)

    result = export_video(str(project.id), *args)

    assert result.returncode != 0
    assert message in result.stderr
    assert not Export.objects.exists()


def test_a_project_without_scenes_exits_non_zero(project):
    result = export_video(str(project.id))

    assert result.returncode != 0
    assert "no scenes yet" in result.stderr
    assert not Export.objects.exists()


def test_an_unknown_project_exits_non_zero(db):
    result = export_video("999999")

    assert result.returncode != 0
    assert "No project with id 999999." in result.stderr
