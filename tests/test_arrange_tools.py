"""The tools that arrange the video: move, duplicate, edit several scenes, set
the video's length, and several calls in a row (apply_calls, check_calls).

Every refusal is a sentence a person can act on, and changes nothing.
"""

import pytest
from django.test import override_settings

from assistant.decision import Decision, ToolCall
from scenes.errors import ToolError
from scenes.history import snapshot
from scenes.tools import (
    add_scene,
    apply_calls,
    check_calls,
    duplicate_scene,
    edit_scene,
    edit_scenes,
    move_scene,
    set_video_length,
    spread_frames,
)
from tests.test_tools import OWN_CODE

pytestmark = pytest.mark.django_db


def make_scenes(project, *titles, durations=None) -> list:
    durations = durations or [150] * len(titles)
    return [
        add_scene(project, props={"title": title}, duration_frames=frames)
        for title, frames in zip(titles, durations, strict=True)
    ]


def titles(project) -> list[str]:
    orders = list(project.scenes.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1)), "scene numbers must stay 1..n"
    return list(project.scenes.order_by("order").values_list("props__title", flat=True))


def refuses(project, tool, words: str, **args) -> str:
    """Call the tool, expect a refusal containing `words`, and nothing changed.

    No transaction around the call: a tool checks everything before it
    changes anything, so it is all or nothing even on its own.
    """
    before = snapshot(project)
    with pytest.raises(ToolError) as refusal:
        tool(project, **args)
    assert words in str(refusal.value)
    assert snapshot(project) == before
    return str(refusal.value)


# --- move_scene -------------------------------------------------------------------


def test_move_to_a_position(project):
    a, b, c, d, e = make_scenes(project, "A", "B", "C", "D", "E")

    moved = move_scene(project, scene_id=d.id, position=1)

    assert titles(project) == ["D", "A", "B", "C", "E"]
    assert (moved.id, moved.order) == (d.id, 1)


def test_move_to_the_last_position(project):
    a, b, c = make_scenes(project, "A", "B", "C")

    move_scene(project, scene_id=a.id, position=3)

    assert titles(project) == ["B", "C", "A"]


def test_move_before_and_after_another_scene(project):
    a, b, c, d = make_scenes(project, "A", "B", "C", "D")

    move_scene(project, scene_id=d.id, before_scene_id=b.id)
    assert titles(project) == ["A", "D", "B", "C"]

    move_scene(project, scene_id=a.id, after_scene_id=c.id)
    assert titles(project) == ["D", "B", "C", "A"]


def test_swap_two_scenes(project):
    a, b, c, d = make_scenes(project, "A", "B", "C", "D")

    move_scene(project, scene_id=b.id, swap_with_scene_id=d.id)

    assert titles(project) == ["A", "D", "C", "B"]


def test_moving_to_where_it_is_changes_nothing(project):
    a, b, c = make_scenes(project, "A", "B", "C")
    before = snapshot(project)

    move_scene(project, scene_id=b.id, position=2)
    move_scene(project, scene_id=b.id, after_scene_id=a.id)

    assert snapshot(project) == before


def test_move_refuses_a_position_that_does_not_exist(project):
    scenes = make_scenes(project, "A", "B", "C", "D", "E")

    message = refuses(
        project, move_scene, "There is no position 7", scene_id=scenes[0].id, position=7
    )

    assert message == "There is no position 7; the video has 5 scenes."
    refuses(project, move_scene, "There is no position 0", scene_id=scenes[0].id, position=0)
    refuses(project, move_scene, "whole number", scene_id=scenes[0].id, position="2")


def test_move_needs_exactly_one_target(project):
    a, b = make_scenes(project, "A", "B")

    refuses(project, move_scene, "Say where the scene should go", scene_id=a.id)
    refuses(project, move_scene, "Say where", scene_id=a.id, position=2, before_scene_id=b.id)


def test_move_refuses_unknown_scenes_and_itself(project, owner):
    a, b = make_scenes(project, "A", "B")
    other_project = type(project).objects.create(owner=owner, title="Other")
    stranger = add_scene(other_project, props={"title": "Theirs"})

    refuses(project, move_scene, "does not exist", scene_id=999999, position=1)
    refuses(project, move_scene, "does not exist", scene_id=a.id, before_scene_id=stranger.id)
    refuses(project, move_scene, "does not exist", scene_id=stranger.id, position=1)
    refuses(project, move_scene, "cannot move next to itself", scene_id=a.id, after_scene_id=a.id)
    assert titles(other_project) == ["Theirs"]


# --- duplicate_scene ---------------------------------------------------------------


def test_duplicate_places_an_exact_copy_right_after(project):
    a, b, c = make_scenes(project, "A", "B", "C", durations=[30, 45, 60])
    edit_scene(project, scene_id=b.id, code=None, props={"subtitle": "sub", "accent": "#123456"})
    b.refresh_from_db()

    copy = duplicate_scene(project, scene_id=b.id)

    assert titles(project) == ["A", "B", "B", "C"]
    assert copy.id != b.id and copy.order == 3
    for field in ("props", "code", "custom_code", "duration_frames", "name"):
        assert getattr(copy, field) == getattr(b, field), field


def test_duplicate_keeps_a_scenes_own_code(project):
    scene = add_scene(project, props={"title": "Mine"}, code=OWN_CODE)

    copy = duplicate_scene(project, scene_id=scene.id)

    assert (copy.code, copy.custom_code) == (OWN_CODE, True)


@override_settings(CHATVIDEO_MAX_SCENES=3)
def test_duplicate_refuses_at_the_cap(project):
    a, b, c = make_scenes(project, "A", "B", "C")

    refuses(project, duplicate_scene, "the most it can hold", scene_id=a.id)


@override_settings(CHATVIDEO_MAX_SCENES=3)
def test_duplicate_fills_the_last_place(project):
    a, b = make_scenes(project, "A", "B")

    duplicate_scene(project, scene_id=a.id)

    assert titles(project) == ["A", "A", "B"]


def test_duplicate_refuses_an_unknown_scene(project):
    make_scenes(project, "A")

    refuses(project, duplicate_scene, "does not exist", scene_id=424242)


# --- edit_scenes --------------------------------------------------------------------


def test_edit_every_scene(project):
    a, b, c = make_scenes(project, "A", "B", "C")

    result = edit_scenes(project, props={"background": "#000000", "color": "#ffffff"})

    assert result is None
    for scene in project.scenes.all():
        assert (scene.props["background"], scene.props["color"]) == ("#000000", "#ffffff")
        assert "#000000" in scene.code
    assert titles(project) == ["A", "B", "C"]


def test_edit_some_scenes_leaves_the_others(project):
    a, b, c = make_scenes(project, "A", "B", "C")
    untouched = snapshot(project)[b.id]

    edit_scenes(project, props={"font": "serif"}, scene_ids=[a.id, c.id])

    fonts = dict(project.scenes.values_list("props__title", "props__font"))
    assert fonts["A"] == fonts["C"] == "serif"
    assert snapshot(project)[b.id] == untouched


def test_edit_one_scene_returns_it(project):
    a, b = make_scenes(project, "A", "B")

    assert edit_scenes(project, props={"speed": 2}, scene_ids=[b.id]).id == b.id


def test_edit_scenes_redraws_scenes_with_their_own_code(project):
    scene = add_scene(project, props={"title": "Mine"}, code=OWN_CODE)

    edit_scenes(project, props={"background": "#112233"})

    scene.refresh_from_db()
    assert scene.custom_code is False and "#112233" in scene.code


def test_edit_scenes_refusals_change_nothing(project):
    refuses(project, edit_scenes, "There are no scenes yet.", props={"font": "serif"})
    a, b = make_scenes(project, "A", "B")

    refuses(project, edit_scenes, "does not exist", props={"font": "serif"}, scene_ids=[a.id, 999])
    refuses(project, edit_scenes, "#rrggbb", props={"background": "black"})
    refuses(project, edit_scenes, "Say which scenes", props={"font": "serif"}, scene_ids=[])
    refuses(project, edit_scenes, "Say what to change", props={})


# --- set_video_length -----------------------------------------------------------------


def test_the_length_is_spread_in_proportion(project):
    make_scenes(project, "A", "B", "C", durations=[30, 60, 90])

    set_video_length(project, duration_frames=20 * project.fps)

    durations = list(project.scenes.order_by("order").values_list("duration_frames", flat=True))
    assert durations == [100, 200, 300]


def test_an_awkward_total_is_exact(project):
    make_scenes(project, "A", "B", "C", durations=[30, 60, 90])

    set_video_length(project, duration_frames=601)

    durations = list(project.scenes.order_by("order").values_list("duration_frames", flat=True))
    # 100.17, 200.33, 300.5: the largest remainder takes the spare frame.
    assert durations == [100, 200, 301]


def test_equal_scenes_share_a_remainder_from_the_first(project):
    make_scenes(project, "A", "B", "C", durations=[50, 50, 50])

    set_video_length(project, duration_frames=100)

    durations = list(project.scenes.order_by("order").values_list("duration_frames", flat=True))
    assert durations == [34, 33, 33]


def test_the_scene_code_follows_the_new_length(project):
    (scene,) = make_scenes(project, "A", durations=[150])
    old_code = scene.code

    set_video_length(project, duration_frames=60)

    scene.refresh_from_db()
    assert scene.duration_frames == 60 and scene.code != old_code


def test_every_scene_keeps_at_least_a_frame():
    assert spread_frames(3, [1, 1, 1000], 18000) == [1, 1, 1]
    assert spread_frames(4, [1, 1, 1000], 18000) == [1, 1, 2]


def test_no_scene_goes_beyond_the_limit():
    # The long scene would get 190 frames; it stops at 100 and the others share the rest.
    assert spread_frames(200, [1, 1, 18], 100) == [50, 50, 100]
    assert spread_frames(300, [1, 1, 18], 100) == [100, 100, 100]
    for total in range(3, 301):
        frames = spread_frames(total, [7, 1, 40], 100)
        assert sum(frames) == total and all(1 <= f <= 100 for f in frames), total


def test_set_video_length_refusals_change_nothing(project):
    refuses(project, set_video_length, "There are no scenes yet.", duration_frames=300)
    make_scenes(project, "A", "B", "C")

    message = refuses(project, set_video_length, "at least 3 frames", duration_frames=2)
    assert (
        message
        == "The video has 3 scenes, so it needs at least 3 frames (one per scene); 2 is too few."
    )
    too_many = 3 * 600 * project.fps + 1
    refuses(project, set_video_length, f"at most {too_many - 1} frames", duration_frames=too_many)
    refuses(project, set_video_length, "whole number of frames", duration_frames=300.5)
    refuses(project, set_video_length, "whole number of frames", duration_frames=True)


# --- apply_calls and check_calls ---------------------------------------------------------


def test_calls_run_in_order_and_return_the_last_scene(project):
    a, b = make_scenes(project, "A", "B")

    scene = apply_calls(
        project,
        [
            ToolCall("add_scene", {"props": {"title": "C"}}),
            ToolCall("move_scene", {"scene_id": b.id, "position": 1}),
        ],
    )

    assert titles(project) == ["B", "A", "C"]
    assert scene.id == b.id


def test_a_failing_step_is_named_only_among_several(project):
    (a,) = make_scenes(project, "A")
    bad = ToolCall("move_scene", {"scene_id": a.id, "position": 9})

    with pytest.raises(ToolError) as one:
        apply_calls(project, [bad])
    with pytest.raises(ToolError) as several:
        apply_calls(project, [ToolCall("add_scene", {"props": {"title": "B"}}), bad])

    assert str(one.value) == "There is no position 9; the video has 1 scene."
    assert (
        str(several.value) == "Step 2 (move_scene): There is no position 9; the video has 2 scenes."
    )


def test_wrong_arguments_and_undo_among_others_are_refused(project):
    (a,) = make_scenes(project, "A")

    refuses(project, apply_calls, "wrong arguments", calls=[ToolCall("move_scene", {"id": a.id})])
    refuses(
        project,
        apply_calls,
        "Undo works on its own",
        calls=[ToolCall("add_scene", {"props": {"title": "B"}}), ToolCall("undo", {})],
    )


def test_check_calls_changes_nothing(project):
    a, b = make_scenes(project, "A", "B")
    before = snapshot(project)
    calls = [
        ToolCall("duplicate_scene", {"scene_id": a.id}),
        ToolCall("set_video_length", {"duration_frames": 90}),
        ToolCall("edit_scenes", {"props": {"background": "#000000"}}),
    ]

    assert check_calls(project, calls) is None

    assert snapshot(project) == before


def test_check_calls_raises_the_refusal_and_changes_nothing(project):
    a, b = make_scenes(project, "A", "B")
    before = snapshot(project)
    calls = [
        ToolCall("delete_scene", {"scene_id": a.id}),
        ToolCall("edit_scenes", {"props": {"color": "red"}}),
    ]

    with pytest.raises(
        ToolError, match=r"^Step 2 \(edit_scenes\): The color colour must look like"
    ):
        check_calls(project, calls)

    assert snapshot(project) == before


# --- Decision ------------------------------------------------------------------------


def test_a_decision_lists_the_shortcut_call_first():
    decision = Decision(
        reply="Done.",
        tool="add_scene",
        args={"props": {}},
        calls=[ToolCall("set_video_length", {"duration_frames": 300})],
    )

    assert [call.tool for call in decision.tool_calls] == ["add_scene", "set_video_length"]
    assert decision.calls == (ToolCall("set_video_length", {"duration_frames": 300}),)
    assert Decision(reply="Hi.").tool_calls == ()


def test_an_unknown_tool_is_refused():
    with pytest.raises(ValueError, match="unknown tool 'explode'"):
        ToolCall("explode", {})
    with pytest.raises(TypeError):
        Decision(reply="x", calls=[("add_scene", {})])
