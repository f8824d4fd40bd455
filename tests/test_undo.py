"""Undo: every scene change is recorded, and "undo" puts the scenes back."""

from io import StringIO

from django.core.management import call_command

from messages_app.models import Message
from scenes.models import SceneChange


def chat_command(project, text) -> Message:
    """Send a message with the chat command (the same flow as the page); returns the reply."""
    call_command("chat", str(project.id), text, stdout=StringIO())
    return Message.objects.filter(project=project, role="assistant").latest("seq")


def scenes(project) -> list[tuple]:
    return list(
        project.scenes.order_by("order").values_list(
            "id", "order", "name", "duration_frames", "code", "props"
        )
    )


def test_each_change_is_recorded_with_before_and_after(project):
    added = chat_command(project, "add a title scene that says One")
    trimmed = chat_command(project, "make scene 1 2 seconds long")

    (add,) = added.scene_changes.all()
    assert (add.operation, add.before, add.after["props"]["title"]) == ("add", None, "One")
    (trim,) = trimmed.scene_changes.all()
    assert (trim.operation, trim.before["duration_frames"], trim.after["duration_frames"]) == (
        "edit",
        150,
        60,
    )


def test_undo_restores_a_deleted_scene_with_its_code_and_props(project):
    chat_command(project, "add a title scene that says One")
    chat_command(project, "add a title scene that says Two in orange")
    chat_command(project, "add a title scene that says Three")
    before_delete = scenes(project)
    chat_command(project, "delete scene 2")
    assert len(scenes(project)) == 2

    reply = chat_command(project, "undo")

    assert reply.status == "success"
    assert reply.tool == "undo"
    assert scenes(project) == before_delete


def test_undo_of_an_undo_redoes(project):
    chat_command(project, "add a title scene that says One")
    chat_command(project, "change the text of scene 1 to Hello")
    after_edit = scenes(project)

    chat_command(project, "undo")
    assert project.scenes.get().props["title"] == "One"
    chat_command(project, "undo")

    assert scenes(project) == after_edit


def test_undo_of_an_add_removes_the_scene(project):
    chat_command(project, "add a title scene that says One")

    chat_command(project, "undo")

    assert not project.scenes.exists()


def test_undo_with_nothing_to_undo_changes_nothing(project):
    reply = chat_command(project, "undo")

    assert reply.tool == ""
    assert reply.content == "There is nothing to undo yet."
    assert not SceneChange.objects.exists()


def test_the_undo_button_is_on_the_latest_change_only(owner_client, project):
    chat_command(project, "add a title scene that says One")
    latest_change = chat_command(project, "add a title scene that says Two")
    chat_command(project, "what can you do?")

    html = owner_client.get(f"/{project.id}/messages/").content.decode()

    articles = html.split("<article")[1:]
    with_undo = [a for a in articles if ">Undo</button>" in a]
    assert len(with_undo) == 1
    assert f'data-message-id="{latest_change.id}"' in with_undo[0]
    assert '<input type="hidden" name="content" value="undo">' in with_undo[0]
