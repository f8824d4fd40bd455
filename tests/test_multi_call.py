"""One message, several tool calls: run in order in one transaction, recorded
against the one message, so one undo reverts them all and a second redoes them.

A scripted brain (selected by its dotted path in CHATVIDEO_BRAIN) answers with
several calls; the messages go through the real submit and task views. The
task view answers in a worker thread with its own connection, so these tests
commit for real (transaction=True).
"""

import pytest
from django.test import override_settings

from assistant.decision import BrainContext, Decision, ToolCall
from messages_app.models import Message
from scenes.errors import ToolError
from scenes.history import last_change_message_id
from scenes.models import SceneChange
from scenes.tools import check_calls
from tests.helpers import answer
from tests.test_undo_button import press_undo, undo_button

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scripted_brain"),
]

HELLO_AND_BYE = "Added scene 1, a title saying Hello, and scene 2, a quote saying Bye."


class ScriptedBrain:
    """Answers a few fixed messages with several tool calls each."""

    def decide(self, context: BrainContext) -> Decision:
        ids = [scene.id for scene in context.scenes]
        if context.text == "add a title saying Hello and then a quote saying Bye":
            return Decision(
                reply=HELLO_AND_BYE,
                tool="add_scene",
                args={"props": {"title": "Hello"}},
                calls=(ToolCall("add_scene", {"props": {"template": "quote", "title": "Bye"}}),),
            )
        if context.text == "swap them and make the video 10 seconds":
            return Decision(
                reply="Swapped scenes 1 and 2; the video now lasts 10 seconds.",
                calls=(
                    ToolCall("move_scene", {"scene_id": ids[0], "swap_with_scene_id": ids[1]}),
                    ToolCall("set_video_length", {"duration_frames": 300}),
                ),
            )
        if context.text == "copy scene 1 and then move scene 9":
            return Decision(
                reply="Copied scene 1 and moved scene 9.",
                calls=(
                    ToolCall("duplicate_scene", {"scene_id": ids[0]}),
                    ToolCall("move_scene", {"scene_id": 424242, "position": 1}),
                ),
            )
        return Decision(reply="I only know my script.")


@pytest.fixture
def scripted_brain():
    with override_settings(CHATVIDEO_BRAIN="tests.test_multi_call.ScriptedBrain"):
        yield


def storyboard(project) -> list[tuple]:
    return list(
        project.scenes.order_by("order").values_list(
            "id", "order", "props__template", "props__title", "duration_frames", "code"
        )
    )


def test_two_calls_run_in_order_in_one_reply(owner_client, project):
    reply = answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")

    assert (reply.status, reply.content) == ("success", HELLO_AND_BYE)
    rows = [(order, template, title) for _, order, template, title, *_ in storyboard(project)]
    assert rows == [(1, "title", "Hello"), (2, "quote", "Bye")]
    # The message keeps the first tool's name, and the scene the last call touched.
    assert reply.tool == "add_scene"
    assert reply.scene == project.scenes.get(order=2)
    assert reply.scene_changes.count() == 2
    assert Message.objects.filter(role="assistant").count() == 1


def test_one_undo_reverts_every_call_and_a_second_redoes_them(owner_client, project):
    answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")
    before = storyboard(project)
    answer(owner_client, project, "swap them and make the video 10 seconds")
    after = storyboard(project)
    assert [(title, frames) for _, _, _, title, frames, _ in after] == [
        ("Bye", 150),
        ("Hello", 150),
    ]
    assert undo_button(owner_client, project, "Undo").message_id is not None

    undone = press_undo(owner_client, project, "Undo")

    assert undone.status == "success"
    assert (
        undone.content
        == "Undid: \u201cSwapped scenes 1 and 2; the video now lasts 10 seconds.\u201d"
    )
    assert storyboard(project) == before

    redone = press_undo(owner_client, project, "Redo")

    assert redone.content.startswith("Redid: \u201cSwapped scenes 1 and 2")
    assert storyboard(project) == after


def test_undo_after_the_first_multi_call_message_removes_both_scenes(owner_client, project):
    answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")

    answer(owner_client, project, "undo")

    assert not project.scenes.exists()


def test_a_failing_call_ends_the_message_in_error_with_nothing_changed(owner_client, project):
    added = answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")
    before = storyboard(project)

    reply = answer(owner_client, project, "copy scene 1 and then move scene 9")

    assert reply.status == "error"
    assert reply.error == "Step 2 (move_scene): That scene does not exist any more."
    assert storyboard(project) == before
    assert not SceneChange.objects.filter(message=reply).exists()
    # Undo still reverts the last message that did change something.
    assert last_change_message_id(project) == added.id


def test_check_calls_outside_any_transaction_commits_nothing(owner_client, project):
    # The LLM brains check a model's calls while the reply holds no transaction.
    answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")
    before = storyboard(project)
    changes = SceneChange.objects.count()
    hello = project.scenes.get(order=1)

    check_calls(project, [ToolCall("duplicate_scene", {"scene_id": hello.id})])
    with pytest.raises(ToolError, match=r"^Step 2 \(set_video_length\): The video has 3 scenes"):
        check_calls(
            project,
            [
                ToolCall("duplicate_scene", {"scene_id": hello.id}),
                ToolCall("set_video_length", {"duration_frames": 2}),
            ],
        )

    assert storyboard(project) == before
    assert SceneChange.objects.count() == changes
