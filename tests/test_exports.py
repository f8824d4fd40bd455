"""Exporting a project to MP4: the request, the page, access control, and real renders.

The render tests run the real renderer (Chromium and ffmpeg) on a 640x360,
15 fps project of two one-second scenes, through the same task function a
`db_worker` runs; tests/reliability/test_export_worker.py runs real workers.
"""

import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from exports.models import Export
from exports.render import probe_video
from exports.request import ExportRefused, request_export
from exports.run import run_export
from exports.tasks import render_export
from scenes.tools import delete_scene, trim_scene
from tests.exports_support import FPS, HEIGHT, WIDTH, small_project, wait_for
from tests.helpers import PASSWORD, send, stored_events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]


@pytest.fixture
def temp_files(settings):
    """The render temp files left in the worker's temp folder."""
    return lambda: list(Path(settings.CHATVIDEO_EXPORT_TMP_DIR).glob("export-*"))


@pytest.fixture
def small(owner):
    return small_project(owner)


def export_url(export: Export, action: str = "") -> str:
    return f"/{export.project_id}/exports/{export.id}/{action}"


def post_export(client: Client, project, key: str | None = None):
    return client.post(
        f"/{project.id}/exports/new/",
        {"client_key": key or str(uuid.uuid4())},
        headers={"HX-Request": "true"},
    )


def render_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="exports.tasks.render_export"))


def finished_export(project, content: bytes = b"not really a video") -> Export:
    """A done export with a file in storage, for the page and access tests (no render)."""
    export = request_export(project, enqueue=False)
    name = default_storage.save(
        f"exports/{project.id}/{export.download_name}", ContentFile(content)
    )
    now = timezone.now()
    Export.objects.filter(id=export.id).update(
        status="done",
        file=name,
        size_bytes=len(content),
        duration_seconds=2.0,
        frames_done=export.frames_total,
        started_at=now - timedelta(seconds=3),
        finished_at=now,
    )
    export.refresh_from_db()
    return export


# --- Asking for an export --------------------------------------------------------


def test_the_button_is_disabled_with_the_reason_while_there_are_no_scenes(owner_client, project):
    html = owner_client.get(f"/{project.id}/").content.decode()

    assert "Export MP4</button>" in html
    assert 'disabled aria-describedby="export-disabled-reason"' in html
    assert "Add a scene first: there is nothing to export yet." in html


def test_the_button_is_enabled_once_there_is_a_scene(owner_client, small):
    html = owner_client.get(f"/{small.id}/").content.decode()

    assert "Export MP4</button>" in html
    assert "export-disabled-reason" not in html


def test_a_request_without_scenes_is_refused_and_nothing_is_queued(owner_client, project):
    response = post_export(owner_client, project)

    assert response.status_code == 422
    assert "no scenes yet" in response.content.decode()
    assert Export.objects.count() == 0
    assert render_tasks() == []


@pytest.mark.parametrize(
    ("size", "fps", "reason"),
    [
        ((3842, 2160, 30), None, "out of bounds"),
        ((3840, 2162, 30), None, "out of bounds"),
        ((8, 8, 30), None, "out of bounds"),
        ((641, 360, 30), None, "even width and height"),
        ((640, 360, 0), None, "0 fps is out of bounds"),
        ((640, 360, 61), None, "61 fps is out of bounds"),
    ],
)
def test_sizes_and_rates_out_of_bounds_are_refused(small, size, fps, reason):
    width, height, fps = size

    with pytest.raises(ExportRefused, match=reason):
        request_export(small, uuid.uuid4(), width=width, height=height, fps=fps)

    assert Export.objects.count() == 0
    assert render_tasks() == []


def test_the_largest_size_and_both_fps_limits_are_accepted(small):
    request_export(small, width=3840, height=2160, fps=60)
    request_export(small, width=640, height=360, fps=1)
    request_export(small, width=2160, height=3840, fps=30)  # portrait

    assert Export.objects.count() == 3


def test_a_request_snapshots_the_scenes_and_queues_one_render(owner_client, small):
    response = post_export(owner_client, small)

    assert response.status_code == 200
    export = Export.objects.get()
    assert (export.status, export.width, export.height, export.fps) == ("queued", 640, 360, 15)
    assert export.frames_total == 30
    scenes = small.scenes.order_by("order")
    assert export.snapshot["scenes"] == [
        {"order": s.order, "name": s.name, "duration_frames": s.duration_frames, "code": s.code}
        for s in scenes
    ]
    assert f'id="export-{export.id}"' in response.content.decode()
    assert "Queued: waiting for a render worker" in response.content.decode()
    [task] = render_tasks()
    assert task.args_kwargs == {"args": [export.id], "kwargs": {}}
    assert task.queue_name == "exports"  # a replies-only worker never picks a render
    # The page's other tabs hear of it, by id only.
    assert ("export", {"export_id": export.id}) in stored_events(small)


def test_a_double_click_creates_one_export(owner_client, small):
    key = str(uuid.uuid4())

    first = post_export(owner_client, small, key)
    second = post_export(owner_client, small, key)

    assert (first.status_code, second.status_code) == (200, 200)
    assert Export.objects.count() == 1
    assert len(render_tasks()) == 1


def test_a_new_key_makes_a_new_export(owner_client, small):
    post_export(owner_client, small)
    post_export(owner_client, small)

    assert Export.objects.count() == 2


def test_a_missing_key_is_refused_with_a_message(owner_client, small):
    response = owner_client.post(f"/{small.id}/exports/new/", {"client_key": "nope"})

    assert response.status_code == 422
    assert "expired" in response.content.decode()
    assert Export.objects.count() == 0


# --- The page -------------------------------------------------------------------


def test_a_rendering_card_shows_frames_percent_and_time_left(owner_client, small):
    export = request_export(small, enqueue=False)
    Export.objects.filter(id=export.id).update(
        status="rendering", frames_done=10, started_at=timezone.now() - timedelta(seconds=5)
    )

    html = owner_client.get(export_url(export)).content.decode()

    assert "Rendering 10 / 30 frames · 33% · about 10 s left" in html
    assert '<progress class="export-progress" max="100" value="33"' in html
    assert ">Cancel</button>" in html


def test_a_card_queued_for_long_asks_whether_a_worker_runs(owner_client, small):
    export = request_export(small, enqueue=False)
    fresh = owner_client.get(export_url(export)).content.decode()
    Export.objects.filter(id=export.id).update(updated_at=timezone.now() - timedelta(minutes=1))

    stale = owner_client.get(export_url(export)).content.decode()

    assert "db_worker" not in fresh
    assert "is <code>manage.py db_worker</code> running?" in stale


def test_an_encoding_card_says_so(owner_client, small):
    export = request_export(small, enqueue=False)
    Export.objects.filter(id=export.id).update(status="encoding", frames_done=30)

    html = owner_client.get(export_url(export)).content.decode()

    assert "Encoding the MP4" in html


def test_a_failed_card_shows_its_reason_and_no_cancel(owner_client, small):
    export = request_export(small, enqueue=False)
    Export.objects.filter(id=export.id).update(
        status="error", error="Scene 2 (Scene 2) threw: TypeError"
    )

    html = owner_client.get(export_url(export)).content.decode()

    assert "Scene 2 (Scene 2) threw: TypeError" in html
    assert ">Cancel</button>" not in html
    assert ">Delete</button>" in html


def test_a_done_card_offers_download_facts_and_a_player(owner_client, small):
    export = finished_export(small, b"x" * 2048)

    html = owner_client.get(export_url(export)).content.decode()

    assert f'href="/{small.id}/exports/{export.id}/download/"' in html
    assert (
        '<video class="export-video" controls preload="metadata" width="640" height="360"' in html
    )
    assert f'src="/{small.id}/exports/{export.id}/video.mp4"' in html
    assert "2.0\xa0KB" in html and "2.0 s" in html and "640×360" in html


def test_exports_are_listed_newest_first_after_a_reload(owner_client, small):
    first = request_export(small, enqueue=False)
    second = request_export(small, enqueue=False)

    html = owner_client.get(f"/{small.id}/").content.decode()

    assert html.index(f'id="export-{second.id}"') < html.index(f'id="export-{first.id}"')


def test_the_owner_downloads_the_file(owner_client, small):
    export = finished_export(small, b"mp4 bytes")

    download = owner_client.get(export_url(export, "download/"))
    inline = owner_client.get(export_url(export, "video.mp4"))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"mp4 bytes"
    assert download["Content-Type"] == "video/mp4"
    assert download["Content-Disposition"].startswith("attachment;")
    assert export.download_name in download["Content-Disposition"]
    assert inline.status_code == 200
    assert b"".join(inline.streaming_content) == b"mp4 bytes"
    assert not inline["Content-Disposition"].startswith("attachment")


def test_the_player_can_ask_for_a_byte_range(owner_client, small):
    export = finished_export(small, bytes(range(100)))

    part = owner_client.get(export_url(export, "video.mp4"), headers={"Range": "bytes=10-19"})
    tail = owner_client.get(export_url(export, "video.mp4"), headers={"Range": "bytes=-5"})
    beyond = owner_client.get(export_url(export, "video.mp4"), headers={"Range": "bytes=100-"})

    assert part.status_code == 206
    assert b"".join(part.streaming_content) == bytes(range(10, 20))
    assert (part["Content-Range"], part["Content-Length"]) == ("bytes 10-19/100", "10")
    assert b"".join(tail.streaming_content) == bytes(range(95, 100))
    assert (beyond.status_code, beyond["Content-Range"]) == (416, "bytes */100")


def test_a_video_that_is_not_done_is_404(owner_client, small):
    export = request_export(small, enqueue=False)

    assert owner_client.get(export_url(export, "download/")).status_code == 404


def test_media_is_not_served_publicly(owner_client, small):
    export = finished_export(small)

    assert owner_client.get(f"/media/{export.file.name}").status_code == 404


def test_cancel_while_queued_stops_it_before_a_worker_starts(owner_client, small):
    export = request_export(small)

    response = owner_client.post(export_url(export, "cancel/"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Cancelled." in response.content.decode()
    assert run_export(export.id) is None  # what the queued task does when a worker gets to it
    export.refresh_from_db()
    assert export.status == "cancelled"


def test_an_export_that_ended_cannot_be_cancelled(owner_client, small):
    export = finished_export(small)

    response = owner_client.post(export_url(export, "cancel/"), headers={"HX-Request": "true"})

    assert response.status_code == 409
    export.refresh_from_db()
    assert export.status == "done"


def test_delete_removes_the_export_and_its_file(owner_client, small, media):
    export = finished_export(small)
    path = Path(default_storage.path(export.file.name))
    assert path.exists()

    response = owner_client.post(export_url(export, "delete/"), headers={"HX-Request": "true"})

    assert (response.status_code, response.content) == (200, b"")
    assert not Export.objects.exists()
    assert not path.exists()


# --- Access control ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("get", ""),
        ("get", "download/"),
        ("get", "video.mp4"),
        ("post", "cancel/"),
        ("post", "delete/"),
    ],
)
def test_an_outsider_gets_404_and_changes_nothing(outsider_client, small, method, action):
    export = finished_export(small) if action != "cancel/" else request_export(small)
    before = export.status

    response = getattr(outsider_client, method)(export_url(export, action))

    assert response.status_code == 404
    export.refresh_from_db()
    assert export.status == before


def test_an_outsider_cannot_list_or_request_exports(outsider_client, small):
    assert outsider_client.get(f"/{small.id}/exports/").status_code == 404
    assert post_export(outsider_client, small).status_code == 404
    assert Export.objects.count() == 0


def test_logged_out_visitors_are_sent_to_log_in(client, small):
    export = finished_export(small)

    response = client.get(export_url(export, "download/"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_export_of_another_project_is_404_under_this_one(owner, owner_client, small):
    other = small_project(owner, title="Other")
    export = finished_export(other)

    response = owner_client.get(f"/{small.id}/exports/{export.id}/download/")

    assert response.status_code == 404


def test_unknown_and_malformed_ids_are_404(owner_client, small):
    assert owner_client.get(f"/{small.id}/exports/999999/").status_code == 404
    assert owner_client.get(f"/{small.id}/exports/abc/").status_code == 404
    assert owner_client.post(f"/{small.id}/exports/999999/cancel/").status_code == 404


def test_changes_need_post(owner_client, small):
    export = request_export(small, enqueue=False)

    assert owner_client.get(export_url(export, "cancel/")).status_code == 405
    assert owner_client.get(export_url(export, "delete/")).status_code == 405
    assert owner_client.get(f"/{small.id}/exports/new/").status_code == 405
    export.refresh_from_db()
    assert export.status == "queued"


def test_changes_need_the_csrf_token(owner, small):
    export = request_export(small, enqueue=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(export_url(export, "cancel/")).status_code == 403
    assert (
        client.post(f"/{small.id}/exports/new/", {"client_key": str(uuid.uuid4())}).status_code
        == 403
    )
    export.refresh_from_db()
    assert export.status == "queued"
    assert Export.objects.count() == 1


def test_the_admin_lists_exports(small):
    User.objects.create_superuser("root", password=PASSWORD)
    finished_export(small, b"x" * 4096)
    client = Client()
    client.login(username="root", password=PASSWORD)

    html = client.get("/admin/exports/export/").content.decode()

    assert "30/30 (100%)" in html  # progress
    assert "640×360 @ 15" in html and "2.0 s" in html and "4.0\xa0KB" in html
    assert "3.0 s" in html  # time taken


# --- The orphan-reply fallback -------------------------------------------------------


def test_a_submit_queues_a_fallback_answer_a_few_seconds_later(owner_client, project, settings):
    settings.CHATVIDEO_ORPHAN_REPLY_SECONDS = 5
    before = timezone.now()

    send(owner_client, project, "add a title scene that says Hi")

    reply = project.messages.get(role="assistant")
    [task] = DBTaskResult.objects.filter(task_path="messages_app.tasks.answer_orphan_reply")
    assert task.args_kwargs == {"args": [reply.id], "kwargs": {}}
    assert before + timedelta(seconds=5) <= task.run_after <= timezone.now() + timedelta(seconds=5)


# --- Real renders (the task function a worker runs) ----------------------------------


def test_the_task_renders_a_real_project_to_a_checked_mp4(small, temp_files):
    export = request_export(small)

    render_export.call(export.id)

    export.refresh_from_db()
    assert export.status == "done", export.error
    info = probe_video(Path(default_storage.path(export.file.name)))
    assert (info.codec, info.width, info.height, info.frames) == ("h264", WIDTH, HEIGHT, 30)
    assert info.fps == FPS
    assert export.size_bytes == info.size_bytes > 0
    assert export.duration_seconds == pytest.approx(2.0, abs=0.05)
    assert export.frames_done == 30
    assert export.started_at <= export.finished_at
    events = stored_events(small)
    assert ("export", {"export_id": export.id}) in events
    # Frame ticks reach open pages but are not kept: a render stores a few rows, not one per tick.
    assert {event_type for event_type, _ in events} == {"export"}
    assert len(events) <= 5
    # Nothing is left in the temp folder.
    assert temp_files() == []


def test_scenes_changed_after_the_request_do_not_change_the_render(small):
    export = request_export(small)
    first, second = small.scenes.order_by("order")
    trim_scene(small, scene_id=first.id, duration_frames=45)
    delete_scene(small, scene_id=second.id)

    render_export.call(export.id)

    export.refresh_from_db()
    assert export.status == "done", export.error
    info = probe_video(Path(default_storage.path(export.file.name)))
    assert info.frames == 30  # the two 15-frame scenes, not the 45 frames there are now


def test_cancel_during_a_render_stops_it_and_keeps_no_file(owner, owner_client, temp_files):
    project = small_project(owner, frames=60)
    export = request_export(project)
    worker = threading.Thread(target=lambda: (run_export(export.id), close_old_connections()))
    worker.start()
    try:
        wait_for(
            lambda: Export.objects.filter(id=export.id, frames_done__gt=0).exists(),
            60,
            "the render to start",
        )
        response = owner_client.post(export_url(export, "cancel/"), headers={"HX-Request": "true"})
        assert response.status_code == 200
    finally:
        worker.join(timeout=60)
    assert not worker.is_alive()
    export.refresh_from_db()
    assert export.status == "cancelled"
    assert not export.file
    assert temp_files() == []
    assert not default_storage.exists(f"exports/{project.id}/{export.download_name}")


def test_deleting_an_export_during_its_render_stops_the_render(owner, owner_client, temp_files):
    project = small_project(owner, frames=60)
    export = request_export(project)
    results = []
    worker = threading.Thread(
        target=lambda: (results.append(run_export(export.id)), close_old_connections())
    )
    worker.start()
    try:
        wait_for(
            lambda: Export.objects.filter(id=export.id, frames_done__gt=0).exists(),
            60,
            "the render to start",
        )
        response = owner_client.post(export_url(export, "delete/"), headers={"HX-Request": "true"})
        assert response.status_code == 200
    finally:
        worker.join(timeout=60)
    assert results == [None]
    assert not Export.objects.exists()
    assert temp_files() == []
    assert not default_storage.exists(f"exports/{project.id}/{export.download_name}")


class BrokenStorage(FileSystemStorage):
    """A disk that fails half-way through writing: what a full disk or a dropped bucket does."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read(100))
        raise OSError("No space left on device")


def test_a_storage_error_ends_in_error_with_no_half_file(small, settings, media, temp_files):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_exports.BrokenStorage"},
    }
    export = request_export(small)

    render_export.call(export.id)

    export.refresh_from_db()
    assert export.status == "error"
    assert "could not be saved to storage: No space left on device" in export.error
    assert [p for p in Path(media).rglob("*") if p.is_file()] == []
    assert temp_files() == []
