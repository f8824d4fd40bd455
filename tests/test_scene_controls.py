"""The scene list's controls: each is a chat note, a recorded change, an event, and undoable."""

import pytest
from django.test import Client

from messages_app.models import Message
from messages_app.notes import control_scene
from messages_app.reply import run_reply
from projects.models import Project
from scenes.errors import ToolError
from scenes.tools import add_scene

from .helpers import send, stored_events

HTMX = {"HX-Request": "true"}


@pytest.fixture
def scenes(project):
    return [add_scene(project, props={"title": title}) for title in ("One", "Two", "Three")]


def titles(project) -> list[str]:
    return [scene.props["title"] for scene in project.scenes.order_by("order")]


def control(client: Client, project, scene, action: str, **data):
    return client.post(f"/{project.id}/scenes/{scene.id}/{action}/", data, headers=HTMX)


def undo(client: Client, project) -> Message:
    """Press the chat's Undo: it sends "undo", and the reply reverts the latest change."""
    send(client, project, "undo")
    reply = Message.objects.filter(project=project, role="assistant").latest("seq")
    return run_reply(reply.id)


def test_move_is_a_chat_note_and_undo_puts_the_scene_back(owner_client, project, scenes):
    response = control(owner_client, project, scenes[2], "move", position="1")

    assert response.status_code == 200
    assert response.content.decode() == "Moved scene 3 to position 1."
    assert titles(project) == ["Three", "One", "Two"]
    note = project.messages.latest("seq")
    assert (note.role, note.status, note.tool, note.content) == (
        "assistant",
        "success",
        "move_scene",
        "Moved scene 3 to position 1.",
    )
    assert response["X-Note-Id"] == str(note.id)
    # The chat's Undo button sits on the note.
    chat = owner_client.get(f"/{project.id}/messages/").content.decode()
    assert f'data-undo-for="{note.id}"' in chat

    reply = undo(owner_client, project)

    assert reply.content == "Undid: \u201cMoved scene 3 to position 1.\u201d"
    assert titles(project) == ["One", "Two", "Three"]


def test_duplicate_adds_a_copy_after_the_scene_and_undo_removes_it(owner_client, project, scenes):
    response = control(owner_client, project, scenes[1], "duplicate")

    assert response.content.decode() == "Duplicated scene 2 as scene 3."
    assert titles(project) == ["One", "Two", "Two", "Three"]
    copy = project.scenes.get(order=3)
    assert (copy.code, copy.props) == (scenes[1].code, scenes[1].props)

    undo(owner_client, project)
    assert titles(project) == ["One", "Two", "Three"]
    assert not project.scenes.filter(id=copy.id).exists()


def test_delete_says_what_went_and_undo_brings_it_back_whole(owner_client, project, scenes):
    before = list(project.scenes.values_list("id", "order", "code", "props"))

    response = control(owner_client, project, scenes[1], "delete")

    assert response.content.decode() == "Deleted scene 2 (Title card: Two). Undo brings it back."
    assert titles(project) == ["One", "Three"]
    undo(owner_client, project)
    assert list(project.scenes.values_list("id", "order", "code", "props")) == before


def test_a_control_tells_every_open_page_about_the_note_and_the_scenes(project, scenes):
    note = control_scene(project, "move_scene", scene_id=scenes[0].id, position=2)

    events = stored_events(project)
    assert ("scenes", {"project_id": project.id}) in events
    assert ("chat", {"message_id": note.id, "status": "success"}) in events


def test_a_plain_form_post_goes_back_to_the_project_page(owner_client, project, scenes):
    response = owner_client.post(f"/{project.id}/scenes/{scenes[0].id}/delete/")

    assert response.status_code == 302
    assert response["Location"] == f"/{project.id}/"
    assert titles(project) == ["Two", "Three"]


@pytest.mark.parametrize("action", ["move", "duplicate", "delete"])
def test_it_is_the_owners_only(outsider_client, project, scenes, action):
    response = control(outsider_client, project, scenes[0], action, position="2")

    assert response.status_code == 404
    assert titles(project) == ["One", "Two", "Three"]
    assert not project.messages.exists()


@pytest.mark.parametrize("action", ["move", "duplicate", "delete"])
def test_it_only_allows_post(owner_client, project, scenes, action):
    response = owner_client.get(f"/{project.id}/scenes/{scenes[0].id}/{action}/")

    assert response.status_code == 405


def test_it_needs_the_csrf_token(owner, project, scenes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = control(client, project, scenes[0], "delete")

    assert response.status_code == 403
    assert titles(project) == ["One", "Two", "Three"]


def test_a_scene_of_another_project_is_not_there(owner_client, owner, project, scenes):
    elsewhere = Project.objects.create(owner=owner, title="Other video")
    stranger = add_scene(elsewhere, props={"title": "Elsewhere"})
    events_before = stored_events(project)

    for action in ("move", "duplicate", "delete"):
        response = control(owner_client, project, stranger, action, position="1")
        assert response.status_code == 400
        assert response.content.decode() == "That scene does not exist any more."

    assert titles(project) == ["One", "Two", "Three"]
    assert titles(elsewhere) == ["Elsewhere"]
    assert not project.messages.exists()
    assert stored_events(project) == events_before


@pytest.mark.parametrize(
    ("position", "says"),
    [
        ("", "The position must be a scene number (a whole number from 1)."),
        ("first", "The position must be a scene number (a whole number from 1)."),
        ("-1", "The position must be a scene number (a whole number from 1)."),
        ("0", "There is no position 0; the video has 3 scenes."),
        ("9", "There is no position 9; the video has 3 scenes."),
        ("1", "Scene 1 is already there; nothing changed."),
    ],
)
def test_a_bad_position_says_why_and_changes_nothing(owner_client, project, scenes, position, says):
    response = control(owner_client, project, scenes[0], "move", position=position)

    assert response.status_code == 400
    assert response.content.decode() == says
    assert titles(project) == ["One", "Two", "Three"]
    assert not project.messages.exists()
    assert stored_events(project) == []


def test_only_the_scene_list_controls_are_notes(project, scenes):
    with pytest.raises(ToolError):
        control_scene(project, "undo", scene_id=scenes[0].id)
    assert not project.messages.exists()


def test_a_full_project_refuses_a_duplicate(owner_client, project, scenes, settings):
    settings.CHATVIDEO_MAX_SCENES = 3

    response = control(owner_client, project, scenes[0], "duplicate")

    assert response.status_code == 400
    assert response.content.decode() == (
        "This project has 3 scenes, the most it can hold; delete some first."
    )
    assert titles(project) == ["One", "Two", "Three"]
    assert not project.messages.exists()
