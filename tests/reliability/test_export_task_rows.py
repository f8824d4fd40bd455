"""A worker killed between taking a task and claiming its work: nothing stays stuck.

django-tasks-db marks a task row RUNNING (and commits) before the task's
function runs; a worker killed in between leaves the export queued with a
row no one will run again, and the row RUNNING forever. recover_exports
re-queues such exports (or ends them in error after too many tries) and
marks dead rows FAILED; recover_messages does the same for reply rows.

The window is made deterministic without a race: the task row is put in the
state a killed worker leaves it in with DBTaskResult.claim (the method
db_worker itself calls when it takes a task), and its times are moved back
past the lease instead of sleeping. The export is then rendered to done by
a fresh real `manage.py db_worker`.
"""

import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.models import Export
from exports.recover import recover_exports
from exports.render import probe_video
from exports.request import request_export
from exports.tasks import render_export
from messages_app.models import Message
from messages_app.tasks import answer_orphan_reply
from tests.exports_support import export_status, small_project, wait_for
from tests.helpers import send
from tests.reliability import test_export_worker as worker_tests

pytestmark = pytest.mark.django_db(transaction=True)

# The real db_worker fixture and the short lease of the worker tests.
files = worker_tests.files
start_worker = worker_tests.start_worker
LEASE_SECONDS = worker_tests.LEASE_SECONDS
LONG_AGO = timedelta(seconds=LEASE_SECONDS * 4)


def rows_of(task, arg: int) -> list[DBTaskResult]:
    """The task's rows for this id, oldest first."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")
    return [row for row in rows if row.args_kwargs["args"] == [arg]]


def taken_by_a_worker(task, arg: int, *, ago: timedelta = LONG_AGO) -> DBTaskResult:
    """The READY row, as a worker that took it `ago` and was killed before its task ran."""
    [row] = [row for row in rows_of(task, arg) if row.status == "READY"]
    row.claim("killed-worker")
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - ago)
    return row


def queued_long_ago(export: Export) -> None:
    Export.objects.filter(id=export.id).update(updated_at=timezone.now() - LONG_AGO)


def row_status(row: DBTaskResult) -> str:
    row.refresh_from_db()
    return row.status


def test_an_export_whose_worker_died_before_claiming_it_is_rendered_by_a_fresh_worker(
    owner, start_worker
):
    export = request_export(small_project(owner), uuid.uuid4())
    dead_row = taken_by_a_worker(render_export, export.id)
    queued_long_ago(export)

    recovered = recover_exports()

    assert recovered.requeued == [export.id]
    assert recovered.dead_task_rows == [str(dead_row.id)]
    assert export_status(export.id) == "queued"
    assert row_status(dead_row) == "FAILED"
    worker = start_worker()
    wait_for(lambda: export_status(export.id) in {"done", "error"}, 120, "the fresh worker")
    export.refresh_from_db()
    assert export.status == "done", f"{export.error}\n{worker.output()}"
    assert export.attempts == 2  # the lost try counts
    assert probe_video(Path(default_storage.path(export.file.name))).frames == 30
    assert [row.status for row in rows_of(render_export, export.id)] == ["FAILED", "SUCCESSFUL"]


def test_an_export_whose_worker_always_dies_before_claiming_ends_in_error(owner, settings):
    settings.CHATVIDEO_EXPORT_MAX_ATTEMPTS = 2
    export = request_export(small_project(owner), uuid.uuid4())

    taken_by_a_worker(render_export, export.id)
    queued_long_ago(export)
    assert recover_exports().requeued == [export.id]
    taken_by_a_worker(render_export, export.id)
    queued_long_ago(export)
    recovered = recover_exports()

    assert recovered.failed == [export.id]
    export.refresh_from_db()
    assert export.status == "error"
    assert "stopped 2 times" in export.error
    assert "Press Export MP4 to try again." in export.error
    # No third task was queued, and no row shows as running.
    assert [row.status for row in rows_of(render_export, export.id)] == ["FAILED", "FAILED"]


@pytest.mark.parametrize("ending", ["failed before claiming", "pruned"])
def test_an_export_whose_task_ended_without_claiming_it_is_queued_again(owner, ending):
    export = request_export(small_project(owner), uuid.uuid4())
    [row] = rows_of(render_export, export.id)
    if ending == "pruned":
        row.delete()
    else:
        row.claim("worker")
        row.set_failed(RuntimeError("the database went away before the claim"))
    queued_long_ago(export)

    assert recover_exports().requeued == [export.id]

    assert [row.status for row in rows_of(render_export, export.id)][-1] == "READY"
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("queued", 1)


@pytest.mark.parametrize(
    "state", ["waiting for a worker", "taken by a worker just now", "not queued yet"]
)
def test_a_queued_export_a_task_can_still_run_is_left_alone(owner, state):
    export = request_export(small_project(owner), uuid.uuid4(), enqueue=state != "not queued yet")
    if state == "waiting for a worker":
        queued_long_ago(export)  # no worker runs, so the page suggests starting one
    elif state == "taken by a worker just now":
        queued_long_ago(export)
        taken_by_a_worker(render_export, export.id, ago=timedelta(0))

    recovered = recover_exports()

    assert (recovered.requeued, recovered.failed, recovered.dead_task_rows) == ([], [], [])
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("queued", 0)
    expected_rows = {"waiting for a worker": ["READY"], "taken by a worker just now": ["RUNNING"]}
    assert [row.status for row in rows_of(render_export, export.id)] == expected_rows.get(state, [])


def test_a_render_row_stays_running_while_its_lease_is_renewed_and_fails_once_it_is_not(owner):
    export = request_export(small_project(owner), uuid.uuid4())
    row = taken_by_a_worker(render_export, export.id)
    token = Export.objects.claim(export.id)  # a long render, lease renewed just now
    assert token is not None

    assert recover_exports().dead_task_rows == []
    assert row_status(row) == "RUNNING"
    assert export_status(export.id) == "rendering"

    # The worker is killed: its lease runs out.
    Export.objects.filter(id=export.id).update(heartbeat_at=timezone.now() - LONG_AGO)
    recovered = recover_exports()

    assert recovered.requeued == [export.id]
    assert recovered.dead_task_rows == [str(row.id)]
    row.refresh_from_db()
    assert (row.status, row.exception_class_path) == ("FAILED", "chatvideo.task_rows.WorkerLost")
    assert row.finished_at is not None
    assert "stopped (killed or out of memory)" in row.traceback
    assert row.task_result.errors[0].exception_class.__name__ == "WorkerLost"
    assert [row.status for row in rows_of(render_export, export.id)] == ["FAILED", "READY"]


def test_a_reply_row_stays_running_while_its_claim_is_live_and_fails_once_it_is_not(
    owner_client, project, settings
):
    settings.CHATVIDEO_CLAIM_LEASE_SECONDS = LEASE_SECONDS
    send(owner_client, project, "add a title scene that says Hello")
    reply = Message.objects.get(role="assistant")
    row = taken_by_a_worker(answer_orphan_reply, reply.id)
    # The worker claimed the reply and is still answering it (its lease renewed just now).
    Message.objects.filter(id=reply.id).update(claimed_at=timezone.now(), claim_token=uuid.uuid4())
    out = StringIO()

    call_command("recover_messages", stdout=out)

    assert row_status(row) == "RUNNING"
    assert "task rows" not in out.getvalue()

    # The worker is killed: its claim is no longer renewed.
    Message.objects.filter(id=reply.id).update(claimed_at=timezone.now() - LONG_AGO)
    call_command("recover_messages", stdout=out)

    assert "Marked 1 task rows of dead workers failed" in out.getvalue()
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at is not None
    assert "answering this reply stopped" in row.traceback
    reply.refresh_from_db()
    assert reply.status == "pending"  # the page's re-trigger takes the expired claim over
