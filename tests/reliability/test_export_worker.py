"""Real `manage.py db_worker` processes on the test database: renders, kill -9, recovery.

Each worker is a separate process started with the test database's URL, as
a worker on another machine would be; it renders with real Chromium and
ffmpeg. A worker is killed with SIGKILL (no chance to clean up), and
recover_exports (run by `manage.py recover_exports`) must take its export
back once the lease has run out.
"""

import threading
import time
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.models import Export
from exports.recover import recover_exports
from exports.render import probe_video
from exports.request import request_export
from messages_app.models import Message
from tests.exports_support import Worker, export_status, small_project, wait_for
from tests.helpers import run_task, send

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 3


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHATVIDEO_EXPORT_TMP_DIR = tmp_path / "tmp-exports"
    settings.CHATVIDEO_EXPORT_LEASE_SECONDS = LEASE_SECONDS
    settings.CHATVIDEO_ORPHAN_REPLY_SECONDS = 1


@pytest.fixture
def start_worker(tmp_path):
    """Start real db_worker processes; all are ended (with their browsers) after the test."""
    workers = []

    def start() -> Worker:
        worker = Worker(tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def temp_files(settings) -> list[Path]:
    return list(Path(settings.CHATVIDEO_EXPORT_TMP_DIR).glob("export-*"))


def test_a_worker_renders_a_queued_export(owner, start_worker):
    worker = start_worker()
    project = small_project(owner)

    export = request_export(project, uuid.uuid4())

    wait_for(lambda: export_status(export.id) in {"done", "error"}, 120, "the export to finish")
    export.refresh_from_db()
    assert export.status == "done", f"{export.error}\n{worker.output()}"
    info = probe_video(Path(default_storage.path(export.file.name)))
    assert (info.codec, info.frames) == ("h264", 30)


def test_a_worker_killed_mid_render_loses_nothing(owner, start_worker, settings):
    first = start_worker()
    project = small_project(owner, frames=45)
    export = request_export(project, uuid.uuid4())
    wait_for(
        lambda: Export.objects.filter(id=export.id, frames_done__gt=0).exists(),
        120,
        "the first worker to start rendering",
    )

    first.kill()

    # Nothing changes until the lease runs out: a slow worker is not a dead one.
    assert recover_exports().requeued == []
    assert export_status(export.id) == "rendering"
    # What it left running finishes on its own (ffmpeg sees its input end and
    # closes a short, partial video into the temp file).
    wait_for(lambda: not first.orphans_left(), 30, "the dead worker's browser and encoder to end")
    assert temp_files(settings), "the killed render left a partial file behind"
    last_heartbeat = Export.objects.get(id=export.id).heartbeat_at
    lease_ends = last_heartbeat + timedelta(seconds=LEASE_SECONDS)
    time.sleep(max(0.0, (lease_ends - timezone.now()).total_seconds()) + 0.2)
    recovered = recover_exports()
    assert recovered.requeued == [export.id]
    assert export_status(export.id) == "queued"
    assert temp_files(settings) == []  # the half-written file is gone

    second = start_worker()
    wait_for(lambda: export_status(export.id) in {"done", "error"}, 120, "the second worker")
    export.refresh_from_db()
    assert export.status == "done", f"{export.error}\n{second.output()}"
    assert export.attempts == 2
    info = probe_video(Path(default_storage.path(export.file.name)))
    assert info.frames == 90
    assert temp_files(settings) == []


def test_twenty_requests_with_one_key_make_one_export(owner):
    project = small_project(owner)
    key = uuid.uuid4()
    barrier = threading.Barrier(20)
    ids, errors = [], []

    def request() -> None:
        try:
            barrier.wait()
            ids.append(request_export(project, key).id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(ids) == 20 and len(set(ids)) == 1
    assert Export.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path="exports.tasks.render_export").count() == 1


def stalled_export(project, *, attempts: int, seconds_ago: float) -> Export:
    """An export a worker claimed and last renewed `seconds_ago`, as if it had died then."""
    export = request_export(project, enqueue=False)
    now = timezone.now()
    token = uuid.uuid4()
    Export.objects.filter(id=export.id).update(
        status="rendering",
        attempts=attempts,
        claim_token=token,
        claimed_at=now - timedelta(seconds=60),
        started_at=now - timedelta(seconds=60),
        heartbeat_at=now - timedelta(seconds=seconds_ago),
        frames_done=7,
    )
    export.refresh_from_db()
    return export


def test_a_live_lease_is_left_alone(owner):
    export = stalled_export(small_project(owner), attempts=1, seconds_ago=0.5)

    result = recover_exports()

    assert (result.requeued, result.failed) == ([], [])
    assert export_status(export.id) == "rendering"


def test_an_export_whose_worker_died_too_often_ends_in_error_with_a_reason(owner, settings):
    settings.CHATVIDEO_EXPORT_MAX_ATTEMPTS = 2
    export = stalled_export(small_project(owner), attempts=2, seconds_ago=LEASE_SECONDS + 5)

    result = recover_exports()

    assert result.failed == [export.id]
    export.refresh_from_db()
    assert export.status == "error"
    assert "stopped responding 2 times" in export.error
    assert "Press Export MP4 to try again." in export.error
    assert not DBTaskResult.objects.filter(task_path="exports.tasks.render_export").exists()


def test_the_recover_exports_command_reports_what_it_took_back(owner):
    export = stalled_export(small_project(owner), attempts=1, seconds_ago=LEASE_SECONDS + 5)
    out = StringIO()

    call_command("recover_exports", stdout=out)

    assert f"Re-queued exports [{export.id}]" in out.getvalue()
    assert export_status(export.id) == "queued"


def test_a_requeued_export_gets_a_new_render_task(owner):
    export = stalled_export(small_project(owner), attempts=1, seconds_ago=LEASE_SECONDS + 5)

    recover_exports()

    [task] = DBTaskResult.objects.filter(task_path="exports.tasks.render_export")
    assert task.args_kwargs["args"] == [export.id]
    export.refresh_from_db()
    assert (export.status, export.frames_done, export.claim_token) == ("queued", 0, None)


def test_the_sweep_keeps_a_live_render_file_and_removes_dead_ones(owner, settings):
    live = stalled_export(small_project(owner), attempts=1, seconds_ago=0.1)
    directory = Path(settings.CHATVIDEO_EXPORT_TMP_DIR)
    directory.mkdir(parents=True)
    live_file = directory / f"export-{live.id}-{live.claim_token.hex}.mp4"
    dead_file = directory / f"export-{live.id}-{uuid.uuid4().hex}.mp4"
    gone_file = directory / f"export-999999-{uuid.uuid4().hex}.mp4"
    for path in (live_file, dead_file, gone_file):
        path.write_bytes(b"partial")

    removed = recover_exports().removed_files

    assert sorted(removed) == sorted([dead_file, gone_file])
    assert live_file.exists()


def test_a_reply_whose_task_call_never_came_is_answered_by_a_worker(
    owner_client, project, start_worker
):
    start_worker()

    # The page never calls the task view: the tab closed right after sending.
    send(owner_client, project, "add a title scene that says Hello")

    reply = Message.objects.get(role="assistant")
    wait_for(
        lambda: Message.objects.filter(id=reply.id).exclude(status="pending").exists(),
        60,
        "a worker to answer the reply",
    )
    reply.refresh_from_db()
    assert reply.status == "success", reply.error
    assert project.scenes.count() == 1


def test_a_reply_the_page_answered_is_not_answered_again(owner_client, project, start_worker):
    send(owner_client, project, "add a title scene that says Hello")
    reply = Message.objects.get(role="assistant")
    run_task(owner_client, reply)  # the page's fast path
    reply.refresh_from_db()
    answered_at = reply.updated_at

    start_worker()

    fallback = DBTaskResult.objects.filter(task_path="messages_app.tasks.answer_orphan_reply")
    wait_for(
        lambda: fallback.filter(status="SUCCESSFUL").exists(),
        60,
        "the worker to run the fallback task",
    )
    reply.refresh_from_db()
    assert reply.updated_at == answered_at
    assert project.scenes.count() == 1
    assert fallback.get().return_value is None  # it found nothing to claim
