"""Failures half-way leave nothing half-written."""

import pytest
from django.db import DatabaseError

from scenes import tools
from scenes.models import Scene, SceneChange
from tests.helpers import answer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_database_error_inside_a_tool_rolls_the_whole_change_back(
    owner_client, project, monkeypatch
):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "add a title scene that says Two")
    before = list(Scene.objects.order_by("id").values())
    changes_before = SceneChange.objects.count()

    def delete_then_fail(project, *, scene_id):
        tools.delete_scene(project, scene_id=scene_id)  # deletes and renumbers...
        raise DatabaseError("could not write: disk full")  # ...then the database fails

    monkeypatch.setitem(tools.TOOLS, "delete_scene", delete_then_fail)

    reply = answer(owner_client, project, "delete scene 1")

    assert reply.status == "error"
    assert reply.error == "The change could not be made: could not write: disk full"
    assert list(Scene.objects.order_by("id").values()) == before
    assert SceneChange.objects.count() == changes_before
