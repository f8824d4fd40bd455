"""A scene-list control pressed while a chat reply is still being answered.

The reply's message was created (with its place in the chat) before the
control's note, but its change lands after it. Undo must revert the change
that landed last, whichever message it belongs to: the scene history's
"before" of an older change no longer describes the scenes, and reverting
it would put two scenes at one number.
"""

import pytest

from messages_app.models import Message
from messages_app.notes import control_scene
from messages_app.reply import run_reply
from scenes.tools import add_scene
from tests.helpers import send
from tests.test_undo_button import undo_button

pytestmark = pytest.mark.django_db(transaction=True)


def storyboard(project) -> list[tuple[int, str]]:
    return list(project.scenes.order_by("order", "id").values_list("order", "props__title"))


def pending_reply(client, project, text: str) -> Message:
    send(client, project, text)
    return Message.objects.filter(project=project, role="assistant").latest("seq")


def test_undo_after_a_control_made_during_a_reply_reverts_the_latest_change(owner_client, project):
    for title in ("One", "Two", "Three"):
        add_scene(project, props={"title": title})
    reply = pending_reply(owner_client, project, "add a title saying Four")
    three = project.scenes.get(order=3)

    # The control lands while the reply is still thinking...
    control_scene(project, "delete_scene", scene_id=three.id)
    # ...and then the reply's change lands.
    assert run_reply(reply.id).status == "success"
    assert storyboard(project) == [(1, "One"), (2, "Two"), (3, "Four")]

    undone = run_reply(pending_reply(owner_client, project, "undo").id)

    assert undone.status == "success"
    # The reply's change, which landed last, is the one reverted.
    assert storyboard(project) == [(1, "One"), (2, "Two")]
    redone = run_reply(pending_reply(owner_client, project, "undo").id)
    assert redone.status == "success"
    assert storyboard(project) == [(1, "One"), (2, "Two"), (3, "Four")]


def test_the_undo_button_sits_on_the_change_that_landed_last(owner_client, project):
    for title in ("One", "Two"):
        add_scene(project, props={"title": title})
    reply = pending_reply(owner_client, project, "add a title saying Three")
    control_scene(project, "move_scene", scene_id=project.scenes.get(order=2).id, position=1)
    run_reply(reply.id)

    form = undo_button(owner_client, project)

    assert form.message_id == str(reply.id)
