"""The task view answers the SAME pending row, runs one tool, and is safe to repeat.

The view hands the work to a worker thread with its own database connection,
so these tests commit for real (transaction=True) for that thread to see rows.
"""

import pytest
from django.test import override_settings

from messages_app.claim import claim_message
from messages_app.models import Message
from scenes.models import Scene
from tests.helpers import answer, run_task, send, stored_events

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_updates_the_same_row_instead_of_creating_one(owner_client, project):
    send(owner_client, project, "add a title scene that says Launch Day")
    pending = Message.objects.get(role="assistant")

    response = run_task(owner_client, pending)

    assert response.status_code == 200
    assert Message.objects.count() == 2
    reply = Message.objects.get(role="assistant")
    assert reply.id == pending.id
    assert reply.status == "success"
    assert reply.content == "Added scene 1, a title card reading \u201cLaunch Day\u201d, 5 seconds."
    html = response.content.decode()
    assert f'data-message-id="{pending.id}"' in html
    assert 'data-status="success"' in html
    assert 'role="status"' not in html


def test_add_creates_the_scene(owner_client, project):
    reply = answer(owner_client, project, "add a title scene that says Launch Day in orange")

    scene = project.scenes.get()
    assert (scene.order, scene.duration_frames) == (1, 150)
    assert scene.props["title"] == "Launch Day"
    assert scene.props["color"] == "#ffa500"
    assert "Launch Day" in scene.code
    assert (reply.tool, reply.scene) == ("add_scene", scene)


def test_edit_changes_the_text(owner_client, project):
    answer(owner_client, project, "add a title scene that says Launch Day")

    reply = answer(owner_client, project, "change the text of scene 1 to Hello")

    scene = project.scenes.get()
    assert scene.props["title"] == "Hello"
    assert "Hello" in scene.code and "Launch Day" not in scene.code
    assert reply.tool == "edit_scene"


def test_trim_changes_the_duration(owner_client, project):
    answer(owner_client, project, "add a title scene that says Launch Day")

    reply = answer(owner_client, project, "make scene 1 4 seconds long")

    assert project.scenes.get().duration_frames == 120
    assert (reply.tool, reply.content) == ("trim_scene", "Scene 1 now lasts 4 seconds.")


def test_delete_removes_the_scene_and_renumbers(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "add a title scene that says Two")
    answer(owner_client, project, "add a title scene that says Three")

    reply = answer(owner_client, project, "delete scene 2")

    names = list(project.scenes.order_by("order").values_list("order", "props__title"))
    assert names == [(1, "One"), (2, "Three")]
    assert reply.tool == "delete_scene"


def test_delete_the_last_scene(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "add a title scene that says Two")

    answer(owner_client, project, "delete the last scene")

    assert list(project.scenes.values_list("props__title", flat=True)) == ["One"]


def test_it_publishes_the_finished_message_and_the_scenes(owner_client, project):
    reply = answer(owner_client, project, "add a title scene that says Hi")

    assert stored_events(project) == [
        ("chat", {"message_id": reply.id, "status": "pending"}),
        ("scenes", {"project_id": project.id}),
        ("chat", {"message_id": reply.id, "status": "success"}),
    ]


def test_a_request_it_does_not_understand_changes_nothing(owner_client, project):
    answer(owner_client, project, "add a title scene that says Hi")
    before = list(Scene.objects.values())

    reply = answer(owner_client, project, "make me a sandwich")

    assert reply.status == "success"
    assert reply.tool == ""
    assert reply.content.startswith("I didn't understand that. Try for example")
    assert list(Scene.objects.values()) == before


def test_a_scene_that_does_not_exist_changes_nothing(owner_client, project):
    answer(owner_client, project, "add a title scene that says Hi")

    reply = answer(owner_client, project, "delete scene 5")

    assert reply.status == "success"
    assert reply.content == "There is no scene 5; this project has 1 scene."
    assert project.scenes.count() == 1


@override_settings(CHATVIDEO_BRAIN="tests.brains.BrokenBrain")
def test_a_failing_brain_ends_in_error_with_a_reason(owner_client, project):
    reply = answer(owner_client, project, "add a title scene that says Hi")

    assert reply.status == "error"
    assert reply.error == "The assistant could not answer: the model server is unreachable"
    assert not project.scenes.exists()
    assert Message.objects.count() == 2
    html = owner_client.get(f"/{project.id}/messages/").content.decode()
    assert "the model server is unreachable" in html
    assert 'data-status="error"' in html


def test_a_refused_tool_ends_in_error_and_changes_nothing(owner_client, project):
    answer(owner_client, project, "add a title scene that says Hi")
    before = list(Scene.objects.values())

    with override_settings(CHATVIDEO_BRAIN="tests.brains.BadToolBrain"):
        reply = answer(owner_client, project, "trim it to nothing")

    assert reply.status == "error"
    assert reply.error.startswith("A scene lasts from 1 frame to 10 minutes (18000 frames")
    assert list(Scene.objects.values()) == before


def test_it_validates_ownership(owner_client, outsider_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")

    response = run_task(outsider_client, pending)

    assert response.status_code == 404
    pending.refresh_from_db()
    assert (pending.status, pending.claimed_at) == ("pending", None)
    assert not Scene.objects.exists()


def test_it_404s_for_a_message_outside_the_project_in_the_url(owner_client, owner, project):
    other = owner.projects.create(title="Other")
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")

    response = owner_client.post(f"/{other.id}/messages/{pending.id}/task/")

    assert response.status_code == 404


def test_it_404s_for_an_unknown_message(owner_client, project):
    assert owner_client.post(f"/{project.id}/messages/999999/task/").status_code == 404


def test_a_second_call_is_a_no_op(owner_client, project):
    reply = answer(owner_client, project, "add a title scene that says Hi")
    events_before = stored_events(project)

    response = run_task(owner_client, reply)

    assert response.status_code == 409
    assert project.scenes.count() == 1
    assert Message.objects.count() == 2
    assert stored_events(project) == events_before


def test_a_message_claimed_elsewhere_is_left_to_its_runner(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")
    assert claim_message(pending.id) is not None

    response = run_task(owner_client, pending)

    assert response.status_code == 204
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not Scene.objects.exists()


def test_it_refuses_user_messages(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    user_message = Message.objects.get(role="user")

    response = run_task(owner_client, user_message)

    assert response.status_code == 400
    assert not Scene.objects.exists()


def test_it_only_allows_post(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")

    response = owner_client.get(f"/{project.id}/messages/{pending.id}/task/")

    assert response.status_code == 405
    pending.refresh_from_db()
    assert pending.status == "pending"
