"""Saving many scenes in one transaction (a whole-video change, an undo of
one) queues the project's thumbnail render once when it commits, with one
look at the queue, not one per scene; a rolled-back change queues nothing.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from exports.thumbnails import render_thumbnails
from projects.models import Project
from scenes.tools import add_scene, set_video_length

pytestmark = pytest.mark.django_db(transaction=True)
SCENES = 100


def renders() -> list:
    return list(
        DBTaskResult.objects.filter(task_path=render_thumbnails.module_path).values_list(
            "args_kwargs__args", flat=True
        )
    )


def queue_lookups(queries) -> int:
    return sum(DBTaskResult._meta.db_table in q["sql"] for q in queries)


def test_a_whole_video_change_queues_its_render_once(owner, project, settings):
    settings.CHATVIDEO_MAX_SCENES = SCENES
    with transaction.atomic():
        for n in range(SCENES):
            add_scene(project, props={"title": f"Scene {n}"})
    other = Project.objects.create(owner=owner, title="Other")
    add_scene(other, props={"title": "Elsewhere"})
    DBTaskResult.objects.all().delete()

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        set_video_length(project, duration_frames=SCENES * 60)
        add_scene(other, props={"title": "Also here"})

    assert sorted(renders()) == sorted([[project.id], [other.id]])
    # One look at the queue and one enqueue per project.
    assert queue_lookups(queries.captured_queries) == 4


def test_a_rolled_back_change_queues_nothing(project):
    add_scene(project, props={"title": "One"})
    DBTaskResult.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        add_scene(project, props={"title": "Two"})
        raise RuntimeError("rolled back")
    assert renders() == []

    # A savepoint rolled back inside a transaction that commits: its save is
    # gone, the later one still queues.
    with transaction.atomic():
        try:
            with transaction.atomic():
                add_scene(project, props={"title": "Gone"})
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        add_scene(project, props={"title": "Kept"})
    assert renders() == [[project.id]]
