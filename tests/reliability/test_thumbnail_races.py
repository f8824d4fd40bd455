"""Thumbnails against scenes that change under them: a scene deleted while its
thumbnail is rendered or stored leaves no row and no file, and the worker
goes on with the other scenes; deleting a project takes its files along.
"""

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction

from exports.models import Thumbnail
from exports.thumbnails import render_project_thumbnails, store
from messages_app.notes import control_scene
from projects.models import Project
from scenes.tools import add_scene, delete_scene
from tests.exports_support import small_project

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]


@pytest.fixture
def small(owner) -> Project:
    return small_project(owner, scenes=0, title="Small")


def stored_files(project: Project) -> list[str]:
    folder = f"thumbnails/{project.id}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_a_scene_deleted_while_its_thumbnail_is_stored_leaves_nothing(small):
    scene = add_scene(small, props={"title": "Going"})
    name = default_storage.save(
        f"thumbnails/{small.id}/scene-{scene.id}-k.jpg", ContentFile(b"\xff\xd8jpeg")
    )
    deleted, release = threading.Event(), threading.Event()

    def delete_in_a_reply() -> None:
        # As a reply or a control deletes: under the project's lock, not yet committed.
        try:
            with transaction.atomic():
                project = Project.objects.select_for_update().get(pk=small.pk)
                delete_scene(project, scene_id=scene.id)
                deleted.set()
                release.wait(10)
        finally:
            close_old_connections()

    reply = threading.Thread(target=delete_in_a_reply)
    reply.start()
    assert deleted.wait(10)
    threading.Timer(0.5, release.set).start()

    kept = store(scene, "k", name, "", 320, 180, 5)
    reply.join()

    assert kept is None
    assert not Thumbnail.objects.exists()
    assert not default_storage.exists(name)
    assert not small.scenes.exists()


def test_the_worker_goes_on_when_a_scene_is_deleted_while_it_renders(small):
    scenes = [add_scene(small, props={"title": f"Scene {n}"}) for n in range(1, 6)]
    last = scenes[-1]
    result: list = []
    worker = threading.Thread(
        target=lambda: (result.append(render_project_thumbnails(small.id)), close_old_connections())
    )
    worker.start()
    deadline = time.monotonic() + 60
    while not Thumbnail.objects.filter(scene=scenes[0]).exists():
        assert time.monotonic() < deadline, "the first thumbnail never came"
        time.sleep(0.02)
    control_scene(small, "delete_scene", scene_id=last.id)
    worker.join(60)

    (done,) = result
    # It stored the four scenes that are left, and says so.
    assert len(done) == 4 and all(done)
    assert sorted(t.scene_id for t in done) == [s.id for s in scenes[:4]]
    assert sorted(stored_files(small)) == sorted(t.file.name.split("/")[-1] for t in done)


def test_deleting_a_project_takes_its_thumbnail_files_along(small, owner_client):
    for n in range(2):
        add_scene(small, props={"title": f"Scene {n}"})
    assert len(render_project_thumbnails(small.id)) == 2
    assert len(stored_files(small)) == 2

    response = owner_client.post(f"/{small.id}/delete/")

    assert response.status_code == 302
    assert not Project.objects.filter(id=small.id).exists()
    assert stored_files(small) == []


def test_deleting_a_project_while_the_worker_stores_a_thumbnail(small, owner_client):
    scene = add_scene(small, props={"title": "Drawn"})
    name = default_storage.save(
        f"thumbnails/{small.id}/scene-{scene.id}-k.jpg", ContentFile(b"\xff\xd8jpeg")
    )
    stored = threading.Event()

    def worker() -> None:
        # The worker's store, its transaction still open when the delete arrives.
        try:
            with transaction.atomic():
                assert store(scene, "k", name, "", 320, 180, 5) is not None
                stored.set()
                time.sleep(0.5)
        finally:
            close_old_connections()

    thread = threading.Thread(target=worker)
    thread.start()
    assert stored.wait(10)

    response = owner_client.post(f"/{small.id}/delete/")
    thread.join()

    assert response.status_code == 302
    assert not Project.objects.filter(id=small.id).exists()
    assert not Thumbnail.objects.exists()
    assert not default_storage.exists(name)
