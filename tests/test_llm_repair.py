"""The model brains correct their own refused tool calls, and make several calls in one answer.

Against the real HTTP model servers of tests/llm_servers.py, for both
providers: a refused call goes back to the model as its tool result (OpenAI's
role "tool", Anthropic's tool_result with is_error), and the request count
proves the round trip; several calls in one answer are one undoable change.
"""

import pytest

from assistant.decision import BrainContext
from assistant.llm.anthropic import AnthropicBrain
from assistant.llm.openai import OpenAIBrain
from scenes.models import SceneChange
from tests import test_llm_brains as brains
from tests.helpers import answer
from tests.test_llm_brains import ROUNDS, make_scenes

# The scripted providers of test_llm_brains.py: every test runs against both.
provider = brains.provider
quick_backoff = brains.quick_backoff

pytestmark = pytest.mark.django_db(transaction=True)

BLUE = "#1e40af"
BAD_COLOUR = "The background colour must look like #rrggbb, not 'bluish'."


def tool_results(provider, request) -> list[dict]:
    """What the request told the model about its previous calls: [{id, content, error}]."""
    turns = provider.turns(request)
    if provider.name == "openai":
        return [
            {"id": turn["tool_call_id"], "content": turn["content"], "error": True}
            for turn in turns
            if turn["role"] == "tool"
        ]
    return [
        {"id": block["tool_use_id"], "content": block["content"], "error": block["is_error"]}
        for turn in turns
        if turn["role"] == "user" and isinstance(turn["content"], list)
        for block in turn["content"]
        if block["type"] == "tool_result"
    ]


def called_ids(provider, request) -> list[str]:
    """The ids of the model's earlier tool calls, as the request sends them back."""
    ids = []
    for turn in provider.turns(request):
        if turn["role"] != "assistant":
            continue
        if provider.name == "openai":
            ids += [call["id"] for call in turn.get("tool_calls") or []]
        elif isinstance(turn["content"], list):
            ids += [block["id"] for block in turn["content"] if block["type"] == "tool_use"]
    return ids


# --- Self-repair ---------------------------------------------------------------------


def test_a_bad_colour_goes_back_to_the_model_and_its_correction_is_made(
    provider, owner_client, project
):
    provider.script(
        provider.answer("Adding a blue title.", ("add_scene", bluish_title("bluish"))),
        provider.answer(tool=("add_scene", bluish_title(BLUE))),
    )

    reply = answer(owner_client, project, "add a title saying Hi on a blue background")

    assert reply.status == "success", reply.error
    scene = project.scenes.get()
    assert (scene.props["title"], scene.props["background"]) == ("Hi", BLUE)
    assert reply.content == "Added scene 1, a title card reading \u201cHi\u201d, 5 seconds."
    assert len(provider.requests) == 2
    first, second = provider.requests
    assert tool_results(provider, first) == []
    (result,) = tool_results(provider, second)
    assert result["error"] is True
    assert BAD_COLOUR in result["content"] and "Nothing was changed" in result["content"]
    assert called_ids(provider, second) == [result["id"]]
    # Both rounds were paid for, and the message says so.
    assert (reply.input_tokens, reply.output_tokens) == tuple(2 * n for n in provider.usage)


def test_three_refused_rounds_end_in_error_with_the_last_reason(provider, owner_client, project):
    (scene,) = make_scenes(project, "One")
    provider.script(
        *[
            provider.answer(tool=("edit_scene", {"scene_number": 1, "props": {"background": c}}))
            for c in ("bluish", "greenish", "reddish")
        ]
    )

    reply = answer(owner_client, project, "make it moody")

    assert reply.status == "error"
    assert reply.error == "The background colour must look like #rrggbb, not 'reddish'."
    assert len(provider.requests) == ROUNDS == 3
    assert [len(tool_results(provider, r)) for r in provider.requests] == [0, 1, 2]
    scene.refresh_from_db()
    assert scene.props["background"] == "#0f172a"
    assert not SceneChange.objects.exists()


def test_code_refused_by_the_scene_check_is_written_again(provider, owner_client, project):
    good = brains.SCENE_CODE
    evil = good.replace("</head>", "<script>alert(1)</script>\n</head>")
    provider.script(
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}, "code": evil})),
        provider.answer(
            "Rewritten without script.", ("add_scene", {"props": {"title": "Hi"}, "code": good})
        ),
    )

    reply = answer(owner_client, project, "add an animated title")

    assert reply.status == "success", reply.error
    assert reply.content == "Rewritten without script."
    assert project.scenes.get().code == good
    (result,) = tool_results(provider, provider.requests[1])
    assert "it has a <script>" in result["content"]


def test_the_text_of_a_refused_round_stays_shown_while_the_next_streams(provider, project):
    provider.script(
        provider.answer("Adding a blue title.", ("add_scene", bluish_title("bluish"))),
        provider.answer("Fixed the colour.", ("add_scene", bluish_title(BLUE))),
    )
    shown, renewed = [], []
    context = BrainContext(
        project=project,
        scenes=[],
        history=[],
        text="add a blue title",
        on_text=shown.append,
        keep_alive=lambda: renewed.append(1),
    )

    brain = OpenAIBrain() if provider.name == "openai" else AnthropicBrain()
    decision = brain.decide(context)

    assert decision.reply == "Fixed the colour."
    assert shown[0] == "Adding a blue title."
    assert shown[-1] == "Adding a blue title.\n\nFixed the colour."
    assert len(renewed) >= 2  # before each request, and after the refusal
    assert not project.scenes.exists()  # deciding changes nothing; the reply applies it


# --- Several calls in one answer ---------------------------------------------------------


def test_several_calls_are_made_in_order_and_one_undo_reverts_them(provider, owner_client, project):
    make_scenes(project, "One", "Two", "Three")
    provider.script(
        provider.answer(
            tools=[
                ("add_scene", {"props": {"template": "quote", "title": "Bye"}}),
                ("move_scene", {"scene_number": 3, "position": 1}),
                ("edit_scenes", {"props": {"background": "#000000"}}),
                ("duplicate_scene", {"scene_number": 1}),
            ]
        )
    )

    reply = answer(owner_client, project, "add a quote saying Bye, put scene 3 first, go dark")

    assert reply.status == "success", reply.error
    assert reply.content == (
        "Added scene 4, a quote reading \u201cBye\u201d, 5 seconds. Moved scene 3 to position 1. "
        "Updated every scene. Duplicated scene 1; the copy is scene 2."
    )
    scenes = list(project.scenes.order_by("order"))
    # The duplicate names scene 1 of the storyboard the model saw ("One"), wherever it is now.
    assert [s.props["title"] for s in scenes] == ["Three", "One", "One", "Two", "Bye"]
    assert {s.props["background"] for s in scenes} == {"#000000"}
    assert len(provider.requests) == 1

    undo = answer(owner_client, project, "undo")

    assert undo.status == "success", undo.error
    scenes = list(project.scenes.order_by("order"))
    assert [(s.order, s.props["title"]) for s in scenes] == [(1, "One"), (2, "Two"), (3, "Three")]
    assert {s.props["background"] for s in scenes} == {"#0f172a"}


def test_two_new_scenes_in_one_answer_are_numbered_in_turn(provider, owner_client, project):
    provider.script(
        provider.answer(
            tools=[
                ("add_scene", {"props": {"title": "Hello"}}),
                ("add_scene", {"props": {"template": "quote", "title": "Bye"}}),
            ]
        )
    )

    reply = answer(owner_client, project, "add a title saying Hello and then a quote saying Bye")

    assert reply.status == "success", reply.error
    assert reply.content == (
        "Added scene 1, a title card reading \u201cHello\u201d, 5 seconds. "
        "Added scene 2, a quote reading \u201cBye\u201d, 5 seconds."
    )
    assert list(project.scenes.values_list("props__title", flat=True)) == ["Hello", "Bye"]


def test_a_refused_step_of_several_is_named_and_all_are_sent_again(provider, owner_client, project):
    make_scenes(project, "One")
    provider.script(
        provider.answer(
            tools=[
                ("add_scene", {"props": {"title": "Two"}}),
                ("edit_scene", {"scene_number": 1, "props": {"speed": 9}}),
            ]
        ),
        provider.answer(
            tools=[
                ("add_scene", {"props": {"title": "Two"}}),
                ("edit_scene", {"scene_number": 1, "props": {"speed": 2}}),
            ]
        ),
    )

    reply = answer(owner_client, project, "add a scene Two and make scene 1 much faster")

    assert reply.status == "success", reply.error
    assert list(project.scenes.values_list("props__title", "props__speed")) == [
        ("One", 2),
        ("Two", 1.0),
    ]
    results = tool_results(provider, provider.requests[1])
    assert len(results) == 2  # every call of the refused answer gets its result
    assert [r["id"] for r in results] == called_ids(provider, provider.requests[1])
    assert all("Step 2 (edit_scene): The speed must be between" in r["content"] for r in results)
    assert all("None of the calls in your answer were made" in r["content"] for r in results)


def test_undo_with_other_calls_is_sent_back(provider, owner_client, project):
    provider.script(
        provider.answer(tools=[("undo", {}), ("add_scene", {"props": {"title": "Hi"}})]),
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}})),
    )

    reply = answer(owner_client, project, "undo and add Hi")

    assert reply.status == "success", reply.error
    assert "Undo works on its own" in tool_results(provider, provider.requests[1])[0]["content"]
    assert project.scenes.get().props["title"] == "Hi"


def bluish_title(background: str) -> dict:
    return {"props": {"title": "Hi", "background": background}}


def test_arguments_that_are_not_json_go_back_as_an_empty_object(provider, owner_client, project):
    provider.script(
        provider.answer(tool=("add_scene", '{"props": {"title": "Hi"')),
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}})),
    )

    reply = answer(owner_client, project, "add a title saying Hi")

    assert reply.status == "success", reply.error
    assert project.scenes.get().props["title"] == "Hi"
    second = provider.requests[1]
    (result,) = tool_results(provider, second)
    assert "not valid JSON" in result["content"]
    (call,) = [t for t in provider.turns(second) if t["role"] == "assistant"]
    if provider.name == "openai":
        assert call["tool_calls"][0]["function"]["arguments"] == "{}"
    else:
        assert call["content"][0]["input"] == {}


def test_a_failed_request_after_a_refusal_still_records_the_first_rounds_cost(
    provider, owner_client, project, settings
):
    settings.CHATVIDEO_LLM_MAX_RETRIES = 0
    provider.script(
        provider.answer(tool=("add_scene", bluish_title("bluish"))),
        provider.error(500),
    )

    reply = answer(owner_client, project, "add a blue title")

    assert (reply.status, reply.error) == ("error", "The provider had an error (HTTP 500).")
    assert (reply.input_tokens, reply.output_tokens) == provider.usage
    assert not project.scenes.exists()
