"""The scene tools, and the helpers they share with both brains.

Durations: one bound (scenes.tools.duration_problem), one wording
(scenes.render.describe_duration). Code: a scene's own (model-written) code is
marked, and kept by every tool that is not sent new code, whichever brain
asked, and undo puts the mark back with the code.
"""

import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from assistant.decision import BrainContext, Decision
from scenes.render import describe_duration, render_scene_code, short_duration
from scenes.tools import (
    DURATION_BOUNDS,
    WHOLE_FRAMES,
    ToolError,
    add_scene,
    duration_problem,
    edit_scene,
    trim_scene,
)
from scenes.values import hex_colour, shorten, template_key

OWN_CODE = (
    '<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n'
    "<style>html, body { margin: 0; }</style>\n</head>\n"
    "<body><h1>Mine</h1></body>\n</html>\n"
)


def chat(project, text) -> str:
    out = StringIO()
    call_command("chat", str(project.id), text, stdout=out)
    return out.getvalue().strip()


# --- Duration bounds ------------------------------------------------------------------

DURATIONS = [
    # (frames at 30 fps, problem)
    (1, None),
    (150, None),
    (18000, None),
    (0.6, None),  # a brain's 0.02 seconds rounds to 1 frame
    (0, DURATION_BOUNDS),
    (0.4, DURATION_BOUNDS),
    (-5, DURATION_BOUNDS),
    (18001, DURATION_BOUNDS),
    (1e308, DURATION_BOUNDS),
    (10**400, DURATION_BOUNDS),
    (math.inf, DURATION_BOUNDS),
    (-math.inf, DURATION_BOUNDS),
    (math.nan, DURATION_BOUNDS),
    ("150", WHOLE_FRAMES),
    (None, WHOLE_FRAMES),
    (True, WHOLE_FRAMES),
]


@pytest.mark.parametrize(("frames", "problem"), DURATIONS, ids=repr)
def test_duration_problem(frames, problem):
    assert duration_problem(30, frames) == problem


def test_the_bounds_follow_the_frame_rate():
    assert duration_problem(60, 36000) is None
    assert duration_problem(60, 36001) == DURATION_BOUNDS


@pytest.mark.parametrize(
    ("frames", "error"),
    [
        (
            0,
            "A scene lasts from 1 frame to 10 minutes (18000 frames at 30 fps); "
            "0 frames is outside that.",
        ),
        (
            10**400,
            "A scene lasts from 1 frame to 10 minutes (18000 frames at 30 fps); "
            f"{10**400} frames is outside that.",
        ),
        (90.0, WHOLE_FRAMES),
        ("90", WHOLE_FRAMES),
    ],
    ids=["zero", "huge", "float", "text"],
)
def test_the_tools_refuse_a_duration_with_the_same_bounds(project, frames, error):
    scene = add_scene(project, props={"title": "Hi"})

    with pytest.raises(ToolError) as refused:
        trim_scene(project, scene_id=scene.id, duration_frames=frames)

    assert str(refused.value) == error
    scene.refresh_from_db()
    assert scene.duration_frames == 150


# --- Duration text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frames", "fps", "text", "short"),
    [
        (30, 30, "1 second", "1 s"),
        (150, 30, "5 seconds", "5 s"),
        (75, 30, "2.5 seconds (75 frames)", "2.5 s"),
        (1, 30, "0.03 seconds (1 frame)", "0.03 s"),
        (1800, 30, "1 minute", "60 s"),
        (18000, 30, "10 minutes", "600 s"),
        (1830, 30, "61 seconds", "61 s"),
        (90, 60, "1.5 seconds (90 frames)", "1.5 s"),
    ],
)
def test_durations_in_words(frames, fps, text, short):
    assert describe_duration(frames, fps) == text
    assert short_duration(frames, fps) == short
    rendered = Template("{% load scene_tags %}{{ frames|seconds:fps }}").render(
        Context({"frames": frames, "fps": fps})
    )
    assert rendered == short


# --- Shared values --------------------------------------------------------------------------


def test_shorten_keeps_one_line_and_cuts_with_an_ellipsis():
    assert shorten("  a\n b  ") == "a b"
    assert shorten("x" * 100, 10) == "x" * 9 + "\u2026"
    assert shorten(12345, 3) == "12\u2026"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("#ABC", "#aabbcc"), (" #a1B2c3 ", "#a1b2c3"), ("#abcd", "#abcd"), ("Navy", "navy")],
)
def test_hex_colour(typed, code):
    assert hex_colour(typed) == code


@pytest.mark.parametrize(
    ("name", "words", "key"),
    [
        ("lower_third", None, "lower_third"),
        ("Lower Third", None, "lower_third"),
        ("a big number", None, "counter"),
        ("the call-to-action card", None, "cta"),
        ("bullets scene", None, "bullets"),
        ("testimonial", None, None),
        ("testimonial", {"testimonial": "quote"}, "quote"),
        ("sandwich", None, None),
    ],
)
def test_template_key(name, words, key):
    assert template_key(name, words) == key


# --- A scene's own code ------------------------------------------------------------------


def test_code_from_a_model_is_kept_by_a_trim_and_redrawn_by_a_new_look(project):
    scene = add_scene(project, props={"title": "Mine"}, duration_frames=60, code=OWN_CODE)
    assert scene.custom_code

    trimmed = trim_scene(project, scene_id=scene.id, duration_frames=90)
    assert (trimmed.code, trimmed.duration_frames, trimmed.custom_code) == (OWN_CODE, 90, True)

    # A new look the model's code cannot follow: drawn from the template again.
    edited = edit_scene(project, scene_id=scene.id, props={"background": "#ff0000"})
    assert edited.code == render_scene_code(edited.props, 90, project.fps)
    assert (edited.props["background"], edited.custom_code) == ("#ff0000", False)


def test_a_template_scene_is_drawn_again_and_code_makes_it_the_models(project):
    scene = add_scene(project, props={"title": "Drawn"}, duration_frames=60)
    assert not scene.custom_code

    trimmed = trim_scene(project, scene_id=scene.id, duration_frames=90)
    assert trimmed.code == render_scene_code(trimmed.props, 90, project.fps)
    assert not trimmed.custom_code

    edited = edit_scene(project, scene_id=scene.id, code=OWN_CODE)
    assert (edited.code, edited.custom_code) == (OWN_CODE, True)


def test_the_offline_brain_keeps_a_models_code_on_a_trim_and_says_when_it_redraws(project):
    scene = add_scene(project, props={"title": "Mine"}, code=OWN_CODE)

    assert chat(project, "make scene 1 3 seconds") == "Scene 1 now lasts 3 seconds."
    scene.refresh_from_db()
    assert (scene.code, scene.custom_code, scene.duration_frames) == (OWN_CODE, True, 90)

    reply = chat(project, "make scene 1 red")

    assert reply.endswith(
        "It is drawn as a title card now, in place of the code the model wrote for it."
    )
    scene.refresh_from_db()
    assert (scene.custom_code, scene.props["background"]) == (False, "#ff0000")
    assert scene.code == render_scene_code(scene.props, 90, project.fps)


class RewriteBrain:
    """What a model brain's edit_scene with code comes to: scene 1 gets code of its own."""

    def decide(self, context: BrainContext) -> Decision:
        args = {"scene_id": context.scenes[0].id, "code": OWN_CODE}
        return Decision(reply="Rewrote it.", tool="edit_scene", args=args)


def test_undo_puts_back_whether_the_code_was_the_models(project):
    chat(project, "add a title scene that says Drawn")
    drawn = project.scenes.get().code
    with override_settings(CHATVIDEO_BRAIN="tests.test_tools.RewriteBrain"):
        chat(project, "make it mine")
    assert project.scenes.filter(code=OWN_CODE, custom_code=True).exists()

    assert chat(project, "undo") == "Undid: \u201cRewrote it.\u201d"

    scene = project.scenes.get()
    assert (scene.code, scene.custom_code) == (drawn, False)
    chat(project, "make scene 1 3 seconds")
    scene.refresh_from_db()
    assert scene.code == render_scene_code(scene.props, 90, project.fps)


def test_a_scene_is_named_by_its_kind_and_text(project):
    titled = add_scene(project, props={"template": "quote", "title": "Less is more"})
    listed = add_scene(project, props={"template": "bullets", "items": ["Speed", "Privacy"]})
    empty = add_scene(project, props={"template": "cta"})

    assert [titled.name, listed.name, empty.name] == [
        "Quote: Less is more",
        "Bullet list: Speed, Privacy",
        "Call to action: untitled",
    ]
