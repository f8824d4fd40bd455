"""What the model brains send: tool schemas with their constraints, the
capabilities and answering rules, and a prompt within its token budget
however large the project and its chat grow.

The requests are read as the real client libraries sent them to the scripted
servers of tests/llm_servers.py, for both providers.
"""

import json

import pytest

from assistant import abilities
from assistant.decision import BrainContext
from assistant.llm import answers, prompt
from assistant.llm.streaming import Answer, ToolCall
from assistant.llm.tools import COLOUR_PATTERN
from messages_app.models import Message
from scenes.catalog import TEMPLATES
from scenes.models import Scene
from scenes.render import FONTS, MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS
from tests import test_llm_brains as brains
from tests.helpers import answer
from tests.test_llm_brains import make_scenes

# The scripted providers of test_llm_brains.py: every test runs against both.
provider = brains.provider
quick_backoff = brains.quick_backoff

pytestmark = pytest.mark.django_db(transaction=True)


def schemas(provider, request) -> dict[str, dict]:
    """Tool name -> its parameter schema, as sent."""
    tools = request.json["tools"]
    if provider.name == "openai":
        return {t["function"]["name"]: t["function"]["parameters"] for t in tools}
    return {t["name"]: t["input_schema"] for t in tools}


def test_every_schema_states_its_constraints(provider, owner_client, project):
    provider.script(provider.answer("Hello."))
    answer(owner_client, project, "hi")

    sent = schemas(provider, provider.requests[0])

    assert COLOUR_PATTERN == "^#[0-9a-fA-F]{6}$"
    for name in ("add_scene", "edit_scene", "edit_scenes"):
        props = sent[name]["properties"]["props"]["properties"]
        for colour in ("background", "color", "accent"):
            assert props[colour]["pattern"] == COLOUR_PATTERN, (name, colour)
        assert (props["speed"]["minimum"], props["speed"]["maximum"]) == (MIN_SPEED, MAX_SPEED)
        assert props["font"]["enum"] == list(FONTS)
        assert props["template"]["enum"] == list(TEMPLATE_LABELS)
        assert sent[name]["additionalProperties"] is False
    for name in ("add_scene", "trim_scene"):
        seconds = sent[name]["properties"]["duration_seconds"]
        frames = sent[name]["properties"]["duration_frames"]
        # 30 fps: one frame to ten minutes.
        assert (seconds["minimum"], seconds["maximum"]) == (0.0333, 600)
        assert (frames["minimum"], frames["maximum"]) == (1, 18_000)
    assert sent["set_video_length"]["properties"]["duration_frames"]["minimum"] == 1
    assert sent["add_scene"]["required"] == ["props"]
    for name in ("edit_scene", "delete_scene", "trim_scene", "move_scene", "duplicate_scene"):
        assert sent[name]["required"] == ["scene_number"], name
        assert sent[name]["properties"]["scene_number"]["minimum"] == 1
    assert set(sent["move_scene"]["properties"]) == {
        "scene_number",
        "position",
        "before_scene_number",
        "after_scene_number",
        "swap_with_scene_number",
    }
    assert sent["edit_scenes"]["required"] == ["props"]
    assert sent["edit_scenes"]["properties"]["scene_numbers"]["items"]["minimum"] == 1


def test_the_prompt_tells_the_model_what_it_can_and_cannot_do(provider, owner_client, project):
    provider.script(provider.answer("I make short videos from scenes."))
    answer(owner_client, project, "what can you do?")

    text = provider.system_prompt(provider.requests[0])

    for template in TEMPLATES:
        assert f'- {template.label}: e.g. "{template.example_request}"' in text
    for example in ("move scene 3 before scene 1", "make the whole video 20 seconds", "undo"):
        assert example in text
    # What it cannot do and where other features are: the words the offline brain says.
    for _, what, nearest in abilities.CANNOT:
        assert f"- {what} (asked as: " in text and f"Nearest: {nearest}" in text
    for _, where in abilities.FEATURES.values():
        assert where in text
    assert "Export MP4" in text and "Undo button" in text
    # The offline brain's rules: a visible action for vague asks, plain words
    # and the nearest thing for what it cannot do, several calls in order.
    assert 'Vague asks ("make it pop"' in text and "do not ask back" in text
    assert "offer the nearest thing you can do" in text
    assert "several tool calls in one answer, in order" in text
    assert "Make at most ONE tool call" not in text


def test_the_storyboard_shows_numbers_names_durations_and_props(provider, owner_client, project):
    make_scenes(project, "Launch Day")
    Scene.objects.filter(project=project).update(
        props={**project.scenes.get().props, "accent": "#ff0000", "speed": 2}
    )
    provider.script(provider.answer("Fine."))

    answer(owner_client, project, "how is it?")

    text = provider.system_prompt(provider.requests[0])
    assert "Storyboard (1 scenes, 5 s):" in text
    line = next(line for line in text.splitlines() if line.startswith("1. "))
    assert line.startswith('1. "Title card: Launch Day", 5 s (150 frames), template title')
    props = json.loads(line.split("props: ", 1)[1])
    # The props that tell it apart; the defaults are said once, above.
    assert props == {"title": "Launch Day", "accent": "#ff0000", "speed": 2}
    assert '"subtitle": "", "items": [], "background": "#0f172a"' in text


def test_the_prompt_names_the_scene_it_means_from_the_scene_history(
    provider, owner_client, project
):
    make_scenes(project, "One", "Two", "Three")
    provider.script(
        provider.answer("Hello."),
        provider.answer(tool=("edit_scene", {"scene_number": 2, "props": {"title": "Deux"}})),
        provider.answer("Which colour?"),
    )
    answer(owner_client, project, "hi")
    answer(owner_client, project, "call scene 2 Deux")

    answer(owner_client, project, "make it blue")

    before, _, after = (provider.system_prompt(r) for r in provider.requests)
    assert "No scene has been added or changed in the chat yet." in before
    assert 'The scene last added or changed ("it", "that"): scene 2.' in after


def test_500_scenes_and_1000_messages_stay_within_the_token_budget(provider, owner_client, project):
    code = brains.SCENE_CODE.replace("</style>", "/*" + "x" * 20_000 + "*/</style>")
    Scene.objects.bulk_create(
        Scene(
            project=project,
            order=number,
            name=(f"Title card: Scene {number} " + "w" * 100)[:120],  # names are cut at 120
            duration_frames=150,
            code=code,
            custom_code=number % 5 == 0,
            props={"template": "title", "title": f"Scene {number} " + "t" * 2000},
        )
        for number in range(1, 501)
    )
    Message.objects.bulk_create(
        Message(
            project=project,
            seq=seq,
            role="user" if seq % 2 else "assistant",
            content=f"message {seq} " + "m" * 3990,
        )
        for seq in range(1, 1001)
    )
    provider.script(provider.answer("You have 500 scenes."))

    reply = answer(owner_client, project, "how many scenes are there?")

    assert reply.status == "success", reply.error
    (request,) = provider.requests
    tokens = prompt.estimate_tokens(json.dumps(request.json))
    assert tokens <= prompt.PROMPT_TOKEN_BUDGET, tokens
    print(f"{provider.name}: ~{tokens:,} tokens with 500 scenes and 1,000 messages")
    text = provider.system_prompt(request)
    assert "Storyboard (500 scenes, 2500 s):" in text
    assert '\n1. "Title card: Scene 1 ' in text
    assert '\n500. "Title card: Scene 500 ' in text
    assert "left out here to keep this short; they keep their numbers" in text
    assert "Code of scene 5:" in text  # some code is shown, within its allowance
    turns = provider.turns(request)
    assert turns[-1]["content"].endswith("how many scenes are there?")
    assert "message 1000 " in json.dumps(turns)  # the newest earlier message
    assert "message 981 " not in json.dumps(turns)  # windowed


def test_a_project_of_fifty_scenes_is_shown_whole():
    scenes = [
        Scene(order=n, name=f"Title card: {n}", duration_frames=30, props={"title": str(n)})
        for n in range(1, prompt.FULL_SCENES + 11)
    ]

    text = prompt.storyboard(scenes, 30)

    assert "left out" not in text
    lines = text.splitlines()
    assert len(lines) == len(scenes)
    assert all("props:" in line for line in lines[: prompt.FULL_SCENES])
    assert lines[-1] == f'{len(scenes)}. "Title card: {len(scenes)}", 1 s (30 frames)'


# --- Answers to the new tools ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, arguments, expected_args, summary",
    [
        ("move_scene", {"scene_number": 3, "position": 1}, {"position": 1}, "to position 1"),
        ("move_scene", {"scene_number": 3, "before_scene_number": 1}, {"before": 1}, "before"),
        ("move_scene", {"scene_number": 1, "after_scene_number": 2}, {"after": 2}, "after"),
        ("move_scene", {"scene_number": 1, "swap_with_scene_number": 3}, {"swap": 3}, "Swapped"),
        ("duplicate_scene", {"scene_number": 2}, {}, "the copy is scene 3"),
        ("set_video_length", {"duration_seconds": 20}, {"frames": 600}, "20 seconds"),
        ("edit_scenes", {"props": {"font": "Serif"}}, {"font": "serif"}, "every scene"),
        ("edit_scenes", {"props": {"speed": 2}, "scene_numbers": [1, 3]}, {"ids": [1, 3]}, "1, 3"),
    ],
)
def test_the_new_tools_are_read_with_scene_numbers_as_ids(
    project, name, arguments, expected_args, summary
):
    scenes = make_scenes(project, "One", "Two", "Three")
    ids = {number: scene.id for number, scene in enumerate(scenes, start=1)}
    context = BrainContext(project=project, scenes=scenes, history=[], text="")

    decision = answers.to_decision(
        context, Answer(tool_calls=[ToolCall(name, json.dumps(arguments))])
    )

    (call,) = decision.tool_calls
    assert call.tool == name
    assert summary in decision.reply
    key = next(iter(expected_args), None)
    value = expected_args.get(key)
    if key == "position":
        assert call.args == {"scene_id": ids[3], "position": 1}
    elif key in ("before", "after", "swap"):
        target = {"before": "before_scene_id", "after": "after_scene_id"}.get(
            key, "swap_with_scene_id"
        )
        assert call.args == {"scene_id": ids[arguments["scene_number"]], target: ids[value]}
    elif key == "frames":
        assert call.args == {"duration_frames": value}
    elif key == "font":
        assert call.args == {"props": {"font": "serif"}}
    elif key == "ids":
        assert call.args == {"props": {"speed": 2}, "scene_ids": [ids[n] for n in value]}
    else:
        assert call.args == {"scene_id": ids[2]}


@pytest.mark.parametrize(
    "name, arguments, reason",
    [
        ("move_scene", {"scene_number": 1}, "Give exactly one of position"),
        ("move_scene", {"scene_number": 1, "position": 2, "after_scene_number": 2}, "exactly one"),
        ("move_scene", {"scene_number": 1, "before_scene_number": 9}, "referred to scene 9"),
        ("set_video_length", {}, "Say how long the video should last"),
        ("set_video_length", {"duration_seconds": 1e400}, "far too long"),
        ("edit_scenes", {"props": {}}, "Say what to change"),
        ("edit_scenes", {"props": {"speed": 2}, "scene_numbers": []}, "scene_numbers must be"),
        ("paint_scene", {}, "There is no tool called 'paint_scene'"),
    ],
)
def test_calls_the_model_got_wrong_are_refused_with_what_to_send(project, name, arguments, reason):
    scenes = make_scenes(project, "One", "Two")
    context = BrainContext(project=project, scenes=scenes, history=[], text="")

    with pytest.raises(answers.RefusedCall, match=reason):
        answers.to_decision(context, Answer(tool_calls=[ToolCall(name, json.dumps(arguments))]))
