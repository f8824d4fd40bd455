"""Arguments a hostile or confused caller gives the arranging tools: each is
refused with a sentence, and nothing changes.

The scene list's views and the brains pass clean values, but the tools are
the last check before the database (scenes/tools.py says each validates its
arguments): a bool or a float is not a scene id (Django would read True as
scene 1 and 2.9 as scene 2), and a prop no scene has is not stored.
"""

import math

import pytest

from assistant.decision import ToolCall
from scenes.errors import ToolError
from scenes.history import snapshot
from scenes.tools import add_scene, apply_tool, check_calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenes(project):
    return [add_scene(project, props={"title": title}) for title in ("One", "Two", "Three")]


def not_an_id(scene) -> list:
    """Values a careless caller might send for the scene's id."""
    return [True, float(scene.id) + 0.9, str(scene.id), [scene.id], None]


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("move_scene", {"position": 3}),
        ("duplicate_scene", {}),
        ("delete_scene", {}),
        ("trim_scene", {"duration_frames": 60}),
        ("edit_scene", {"props": {"title": "Changed"}}),
    ],
)
def test_a_scene_id_that_is_not_a_whole_number_is_refused(project, scenes, tool, args):
    before = snapshot(project)
    # Scene ids 1 and 2 of this project exist: True and 1.9 would name them.
    first = scenes[0]
    for scene_id in not_an_id(first):
        with pytest.raises(ToolError, match="^That scene does not exist any more.$"):
            apply_tool(project, tool, {"scene_id": scene_id, **args})
    assert snapshot(project) == before


def test_scenes_named_by_anything_but_their_ids_are_refused(project, scenes):
    before = snapshot(project)
    for other in ("swap_with_scene_id", "before_scene_id", "after_scene_id"):
        for value in not_an_id(scenes[1])[:3]:
            with pytest.raises(ToolError):
                apply_tool(project, "move_scene", {"scene_id": scenes[2].id, other: value})
    for value in not_an_id(scenes[0])[:3]:
        with pytest.raises(ToolError):
            apply_tool(project, "edit_scenes", {"scene_ids": [value], "props": {"font": "serif"}})
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "props",
    [
        {"onload": "alert(1)"},
        {"title": "Fine", "code": "<script>"},
        {"font": ["serif"]},
        {"template": {"x": 1}},
        {"speed": math.nan},
        {"speed": math.inf},
        {"items": "not a list"},
        {"background": None},
    ],
)
def test_edit_scenes_with_props_no_scene_can_have_changes_nothing(project, scenes, props):
    before = snapshot(project)

    with pytest.raises(ToolError) as refused:
        apply_tool(project, "edit_scenes", {"props": props})

    assert "Traceback" not in str(refused.value)
    assert snapshot(project) == before


def test_a_prop_no_scene_has_is_named_in_the_refusal(project, scenes):
    with pytest.raises(ToolError, match="^A scene has no 'onload'"):
        apply_tool(project, "edit_scenes", {"props": {"onload": "alert(1)"}})
    with pytest.raises(ToolError, match="^A scene has no 'onload'"):
        apply_tool(project, "edit_scene", {"scene_id": scenes[0].id, "props": {"onload": "x"}})
    with pytest.raises(ToolError, match="^A scene has no 'onload'"):
        apply_tool(project, "add_scene", {"props": {"onload": "x"}})


@pytest.mark.parametrize(
    "length",
    [0, -1, -(10**9), 2, 10**100, 300.0, 299.5, math.nan, math.inf, True, False, "300", None],
)
def test_set_video_length_refuses_what_is_not_a_possible_length(project, scenes, length):
    before = snapshot(project)

    with pytest.raises(ToolError):
        apply_tool(project, "set_video_length", {"duration_frames": length})

    assert snapshot(project) == before


def test_a_later_call_naming_a_scene_an_earlier_call_deleted_changes_nothing(project, scenes):
    before = snapshot(project)
    two = scenes[1].id
    for later in (
        ToolCall("edit_scene", {"scene_id": two, "props": {"title": "Back?"}}),
        ToolCall("move_scene", {"scene_id": scenes[0].id, "after_scene_id": two}),
        ToolCall("duplicate_scene", {"scene_id": two}),
        ToolCall("edit_scenes", {"scene_ids": [scenes[0].id, two], "props": {"font": "serif"}}),
    ):
        with pytest.raises(ToolError, match=r"^Step 2 \(\w+\): That scene does not exist any more"):
            check_calls(project, [ToolCall("delete_scene", {"scene_id": two}), later])
    assert snapshot(project) == before
