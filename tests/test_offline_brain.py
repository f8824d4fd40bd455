"""The offline brain understands natural variations of each request.

Tables of (phrase, expected decision) run against one project with three
scenes, made with the real tools:

    1  title card "Launch Day"       150 frames (5 s)
    2  quote "Less is more"          120 frames (4 s)
    3  bullet list Speed, Privacy     90 frames (3 s)

and a chat whose latest change touched scene 2, so "it" is scene 2. The
project runs at 30 fps, so scenes may last 1..18000 frames.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from assistant.decision import BrainContext
from assistant.offline import vocabulary
from assistant.offline.brain import OfflineBrain
from assistant.offline.replies import REPHRASE
from assistant.undo import NOTHING_TO_REDO
from messages_app.context import HISTORY_LENGTH
from messages_app.models import Message
from scenes.render import DEFAULT_PROPS, FONTS, TEMPLATE_LABELS
from scenes.tools import add_scene, apply_tool, delete_scene

BOUNDS = "A scene lasts from 1 frame to 10 minutes."
WHICH = 'Which scene do you mean? Say its number, for example "scene 2".'


@pytest.fixture
def scenes(project):
    return [
        add_scene(project, props={"title": "Launch Day"}, duration_frames=150),
        add_scene(
            project, props={"template": "quote", "title": "Less is more"}, duration_frames=120
        ),
        add_scene(
            project,
            props={"template": "bullets", "items": ["Speed", "Privacy"]},
            duration_frames=90,
        ),
    ]


def message(project, seq, content="", role="assistant", tool="", scene=None, status="success"):
    return Message.objects.create(
        project=project,
        seq=seq,
        role=role,
        content=content,
        tool=tool,
        scene=scene,
        status=status,
    )


@pytest.fixture
def history(project, scenes):
    """The chat so far: scene 2 was the last one changed."""
    return [
        message(project, 1, "add a title scene that says Launch Day", role="user"),
        message(project, 2, "Added scene 1.", tool="add_scene", scene=scenes[0]),
        message(project, 3, "add a quote: Less is more", role="user"),
        message(project, 4, "Added scene 2.", tool="add_scene", scene=scenes[1]),
    ]


def decide(project, text, history=()):
    context = BrainContext(
        project=project,
        scenes=list(project.scenes.order_by("order")),
        history=list(history),
        text=text,
    )
    return OfflineBrain().decide(context)


def chat(project, text) -> str:
    out = StringIO()
    call_command("chat", str(project.id), text, stdout=out)
    return out.getvalue().strip()


# --- Adding -------------------------------------------------------------------

ADD = [
    # phrase, props, frames, reply (None: not checked)
    (
        "add a title scene that says 'Launch Day'",
        {"template": "title", "title": "Launch Day"},
        150,
        "Added scene 4, a title card reading \u201cLaunch Day\u201d, 5 seconds.",
    ),
    (
        "add a title scene that says Launch Day",
        {"template": "title", "title": "Launch Day"},
        150,
        None,
    ),
    ("add a headline: Big news", {"template": "title", "title": "Big news"}, 150, None),
    ("add a heading saying welcome", {"template": "title", "title": "Welcome"}, 150, None),
    ("add a scene that says Hi", {"template": "title", "title": "Hi"}, 150, None),
    ("add a slide saying Thanks!", {"template": "title", "title": "Thanks!"}, 150, None),
    (
        "add a title card reading Welcome with subtitle Day one",
        {"template": "title", "title": "Welcome", "subtitle": "Day one"},
        150,
        "Added scene 4, a title card reading \u201cWelcome\u201d with the subtitle "
        "\u201cDay one\u201d, 5 seconds.",
    ),
    (
        "create a bullet list with speed, privacy and price",
        {"template": "bullets", "items": ["Speed", "Privacy", "Price"]},
        150,
        "Added scene 4, a bullet list with 3 items, 5 seconds.",
    ),
    (
        "add a list: one; two; three",
        {"template": "bullets", "items": ["One", "Two", "Three"]},
        150,
        None,
    ),
    (
        'add bullet points: "rock and roll", jazz & blues',
        {"template": "bullets", "items": ["rock and roll", "Jazz", "Blues"]},
        150,
        None,
    ),
    (
        "new quote scene: Less is more",
        {"template": "quote", "title": "Less is more"},
        150,
        "Added scene 4, a quote reading \u201cLess is more\u201d, 5 seconds.",
    ),
    (
        'add a quotation: "Stay hungry" - Steve Jobs',
        {"template": "quote", "title": "Stay hungry", "subtitle": "Steve Jobs"},
        150,
        "Added scene 4, a quote reading \u201cStay hungry\u201d by Steve Jobs, 5 seconds.",
    ),
    (
        "add a lower third for Jane Doe, CEO",
        {"template": "lower_third", "title": "Jane Doe", "subtitle": "CEO"},
        150,
        "Added scene 4, a lower third for \u201cJane Doe\u201d (CEO), 5 seconds.",
    ),
    (
        "add a name tag for Jane Doe - CEO",
        {"template": "lower_third", "title": "Jane Doe", "subtitle": "CEO"},
        150,
        None,
    ),
    (
        "add a big number 1,000,000 with caption downloads",
        {"template": "counter", "title": "1,000,000", "subtitle": "Downloads"},
        150,
        "Added scene 4, a big number reading \u201c1,000,000\u201d with the caption "
        "\u201cDownloads\u201d, 5 seconds.",
    ),
    (
        "add a stat: 99% uptime",
        {"template": "counter", "title": "99%", "subtitle": "Uptime"},
        150,
        None,
    ),
    (
        "add a logo reveal for Acme",
        {"template": "reveal", "title": "Acme"},
        150,
        "Added scene 4, a logo reveal for \u201cAcme\u201d, 5 seconds.",
    ),
    ("add a logo for 3M", {"template": "reveal", "title": "3M"}, 150, None),
    (
        "add a comparison of Before vs After",
        {"template": "split", "title": "Before", "subtitle": "After"},
        150,
        "Added scene 4, a comparison of \u201cBefore\u201d and \u201cAfter\u201d, 5 seconds.",
    ),
    (
        "add a versus scene: cats versus dogs",
        {"template": "split", "title": "Cats", "subtitle": "Dogs"},
        150,
        None,
    ),
    (
        "add a call to action: Sign up today",
        {"template": "cta", "title": "Sign up today"},
        150,
        "Added scene 4, a call to action reading \u201cSign up today\u201d, 5 seconds.",
    ),
    ("add a button that says Buy now!", {"template": "cta", "title": "Buy now!"}, 150, None),
    # Colours: text colour, background, accent, hex codes.
    (
        "add a title scene that says Launch Day in orange",
        {"template": "title", "title": "Launch Day", "color": "#ffa500"},
        150,
        "Added scene 4, a title card reading \u201cLaunch Day\u201d, 5 seconds, with orange text.",
    ),
    (
        "add a title card that says Hi on a navy background with a red accent",
        {"template": "title", "title": "Hi", "background": "#000080", "accent": "#ff0000"},
        150,
        "Added scene 4, a title card reading \u201cHi\u201d, 5 seconds, "
        "with a navy background and a red accent.",
    ),
    (
        "add a title in #F80 that says Hi",
        {"template": "title", "title": "Hi", "color": "#ff8800"},
        150,
        None,
    ),
    (
        "add a dark slate gray title that says Hi",
        {"template": "title", "title": "Hi", "background": "#2f4f4f"},
        150,
        None,
    ),
    (
        'add a title that says "Red" with light-blue text',
        {"template": "title", "title": "Red", "color": "#add8e6"},
        150,
        None,
    ),
    # Durations.
    (
        "add a title that says Hi for 3 seconds",
        {"template": "title", "title": "Hi"},
        90,
        "Added scene 4, a title card reading \u201cHi\u201d, 3 seconds.",
    ),
    ("add a title that says Hi for 90 frames", {"template": "title", "title": "Hi"}, 90, None),
    ("add a title that says Hi for 3s", {"template": "title", "title": "Hi"}, 90, None),
    ("add a 3-second title that says Hi", {"template": "title", "title": "Hi"}, 90, None),
    (
        "add a title that says Hi for 2.5 seconds",
        {"template": "title", "title": "Hi"},
        75,
        "Added scene 4, a title card reading \u201cHi\u201d, 2.5 seconds (75 frames).",
    ),
    ("add a title that says Hi for half a second", {"template": "title", "title": "Hi"}, 15, None),
    ("add a title that says Hi lasting a minute", {"template": "title", "title": "Hi"}, 1800, None),
    ("add a title that says Hi for 1 frame", {"template": "title", "title": "Hi"}, 1, None),
    ("add a title that says Hi for 10 minutes", {"template": "title", "title": "Hi"}, 18000, None),
    # Fonts and speeds.
    (
        "add a quote in a serif font: Less is more",
        {"template": "quote", "title": "Less is more", "font": "serif"},
        150,
        "Added scene 4, a quote reading \u201cLess is more\u201d, 5 seconds, with the serif font.",
    ),
    (
        "add a monospace title that says Go",
        {"template": "title", "title": "Go", "font": "mono"},
        150,
        None,
    ),
    (
        "add a fast title that says Go",
        {"template": "title", "title": "Go", "speed": 1.5},
        150,
        "Added scene 4, a title card reading \u201cGo\u201d, 5 seconds, with 1.5x speed.",
    ),
    (
        "add a slow quote: Breathe",
        {"template": "quote", "title": "Breathe", "speed": 0.75},
        150,
        None,
    ),
    (
        "add a title that says Go at double speed",
        {"template": "title", "title": "Go", "speed": 2.0},
        150,
        None,
    ),
    # Everything at once, and politeness.
    (
        "could you please add a condensed title card in white on a black background "
        "that says Launch for 4 seconds?",
        {
            "template": "title",
            "title": "Launch",
            "font": "condensed",
            "color": "#ffffff",
            "background": "#000000",
        },
        120,
        None,
    ),
    (
        "add a title that says Meet in Paris",
        {"template": "title", "title": "Meet in Paris"},
        150,
        None,
    ),
]


@pytest.mark.parametrize(("phrase", "props", "frames", "reply"), ADD)
def test_add(project, scenes, phrase, props, frames, reply):
    decision = decide(project, phrase)

    assert (decision.tool, decision.args) == (
        "add_scene",
        {"props": props, "duration_frames": frames},
    )
    if reply is not None:
        assert decision.reply == reply
    # The tool takes what the brain decided.
    scene = apply_tool(project, decision.tool, decision.args)
    assert (scene.order, scene.duration_frames) == (4, frames)
    assert {k: scene.props[k] for k in props} == props


# --- Editing ------------------------------------------------------------------

EDIT = [
    # phrase, scene number, props, reply (None: not checked)
    (
        "change the text of scene 1 to Hello",
        1,
        {"title": "Hello"},
        "Scene 1 now reads \u201cHello\u201d.",
    ),
    ("change scene 1's title to 'hello'", 1, {"title": "hello"}, None),
    ("make scene 1 say Hello there", 1, {"title": "Hello there"}, None),
    ("make the text of scene 1 say red", 1, {"title": "Red"}, None),
    ("rename scene 1 to Welcome", 1, {"title": "Welcome"}, None),
    ("rename scene 1 as To", 1, {"title": "To"}, None),
    ("call it Tomorrow", 2, {"title": "Tomorrow"}, None),
    ("change the title of the quote scene to Be brief", 2, {"title": "Be brief"}, None),
    (
        "change the subtitle of scene 1 to Tomorrow",
        1,
        {"subtitle": "Tomorrow"},
        "Scene 1 now has the subtitle \u201cTomorrow\u201d.",
    ),
    ("set the caption of scene 2 to Mies", 2, {"subtitle": "Mies"}, None),
    (
        "change the items of scene 3 to a, b and c",
        3,
        {"items": ["A", "B", "C"]},
        "Scene 3 now lists \u201cA\u201d, \u201cB\u201d and \u201cC\u201d.",
    ),
    (
        "set the bullets of the last scene to speed and price",
        3,
        {"items": ["Speed", "Price"]},
        None,
    ),
    # Background: "make scene 2 red" means its background.
    (
        "make scene 2 red",
        2,
        {"background": "#ff0000"},
        "Scene 2 now has a red background.",
    ),
    ("make it red", 2, {"background": "#ff0000"}, None),
    ("make this scene navy", 2, {"background": "#000080"}, None),
    ("paint scene 3 black", 3, {"background": "#000000"}, None),
    ("colour scene 1 teal", 1, {"background": "#008080"}, None),
    ("change the background of scene 1 to light blue", 1, {"background": "#add8e6"}, None),
    ("set scene 2 background to #1E3A8A", 2, {"background": "#1e3a8a"}, None),
    ("make scene 2 #abc", 2, {"background": "#aabbcc"}, None),
    ("give scene 1 a gold background", 1, {"background": "#ffd700"}, None),
    ("change the colour of scene 1 to rebeccapurple", 1, {"background": "#663399"}, None),
    ("make the background hot pink", 2, {"background": "#ff69b4"}, None),
    # Text colour: "the text" names it.
    (
        "make the text red",
        2,
        {"color": "#ff0000"},
        "Scene 2 now has red text.",
    ),
    ("make the text of scene 1 red", 1, {"color": "#ff0000"}, None),
    ("make scene 1's text white", 1, {"color": "#ffffff"}, None),
    ("change the text colour of scene 1 to #fff", 1, {"color": "#ffffff"}, None),
    ("make scene 3 in orange", 3, {"color": "#ffa500"}, None),
    # Accent.
    (
        "make the accent blue",
        2,
        {"accent": "#0000ff"},
        "Scene 2 now has a blue accent.",
    ),
    ("add a red accent to scene 1", 1, {"accent": "#ff0000"}, None),
    ("set the accent colour of the first scene to gold", 1, {"accent": "#ffd700"}, None),
    (
        "make scene 2 red with a white accent",
        2,
        {"background": "#ff0000", "accent": "#ffffff"},
        "Scene 2 now has a red background and a white accent.",
    ),
    # Fonts.
    (
        "change the font of scene 1 to monospace",
        1,
        {"font": "mono"},
        "Scene 1 now uses the monospace font.",
    ),
    ("use a serif font for scene 1", 1, {"font": "serif"}, None),
    ("make the second scene sans-serif", 2, {"font": "sans"}, None),
    ("set the font to condensed", 2, {"font": "condensed"}, None),
    ("make it rounded", 2, {"font": "rounded"}, None),
    # Speed: faster = x1.5, slower = /1.5, twice as fast = x2, twice as slow = /2.
    (
        "make it faster",
        2,
        {"speed": 1.5},
        "Scene 2 now plays at 1.5x speed.",
    ),
    ("make it slower", 2, {"speed": 1 / 1.5}, "Scene 2 now plays at 0.67x speed."),
    ("make scene 2 twice as fast", 2, {"speed": 2.0}, None),
    ("make scene 2 twice as slow", 2, {"speed": 0.5}, None),
    ("make scene 1 three times faster", 1, {"speed": 3.0}, None),
    ("make it 4x slower", 2, {"speed": 0.25}, None),
    ("speed up scene 1 a bit", 1, {"speed": 1.25}, None),
    ("slow down", 2, {"speed": 1 / 1.5}, None),
    ("set the speed of scene 1 to 2x", 1, {"speed": 2.0}, None),
    ("change the speed of scene 1 to half speed", 1, {"speed": 0.5}, None),
    ("make scene 1 normal speed", 1, {"speed": 1.0}, None),
    # Template.
    (
        "turn scene 1 into a quote",
        1,
        {"template": "quote"},
        "Scene 1 is now a quote.",
    ),
    ("make scene 3 a comparison", 3, {"template": "split"}, "Scene 3 is now a comparison."),
    ("make scene 1 a button", 1, {"template": "cta"}, None),
    ("change the layout of scene 2 to lower third", 2, {"template": "lower_third"}, None),
    (
        "turn the first scene into a bullet list",
        1,
        {"template": "bullets"},
        'Scene 1 is now a bullet list. It has no items yet; say for example "change the items '
        'of scene 1 to A, B and C".',
    ),
]


@pytest.mark.parametrize(("phrase", "number", "props", "reply"), EDIT)
def test_edit(project, scenes, history, phrase, number, props, reply):
    decision = decide(project, phrase, history)

    assert (decision.tool, decision.args) == (
        "edit_scene",
        {"scene_id": scenes[number - 1].id, "props": props},
    )
    if reply is not None:
        assert decision.reply == reply
    scene = apply_tool(project, decision.tool, decision.args)
    assert {k: scene.props[k] for k in props} == props


# --- Trimming -----------------------------------------------------------------

TRIM = [
    # phrase, scene number, frames, reply (None: not checked)
    ("make scene 1 3 seconds", 1, 90, "Scene 1 now lasts 3 seconds."),
    ("make scene 1 4 seconds long", 1, 120, "Scene 1 now lasts 4 seconds."),
    ("set the duration of scene 1 to 4s", 1, 120, None),
    ("trim the last scene to 45 frames", 3, 45, "Scene 3 now lasts 1.5 seconds (45 frames)."),
    ("make it last 2.5 seconds", 2, 75, None),
    ("set scene two to 90 frames", 2, 90, None),
    ("make scene 1 half a second", 1, 15, None),
    ("make scene 1 one and a half seconds", 1, 45, None),
    ("make scene 1 a minute", 1, 1800, "Scene 1 now lasts 1 minute."),
    ("make scene 1 10 minutes", 1, 18000, "Scene 1 now lasts 10 minutes."),
    ("make scene 1 1 frame", 1, 1, None),
    # Relative to the current length (scene 2 lasts 120 frames).
    ("make it 2 seconds longer", 2, 180, "Scene 2 now lasts 6 seconds."),
    ("make scene 2 shorter by 1 second", 2, 90, "Scene 2 now lasts 3 seconds."),
    ("make scene 2 1 second shorter", 2, 90, None),
    ("extend scene 2 by 30 frames", 2, 150, None),
    ("shorten scene 2 by half a second", 2, 105, None),
    ("add 2 seconds to scene 2", 2, 180, None),
    ("take a second off the last scene", 3, 60, None),
    ("make scene 2 twice as long", 2, 240, None),
    ("make scene 2 half as long", 2, 60, None),
    # No amount: a visible step (1 second; half for "a bit", 2 for "much"), told in the reply.
    (
        "make it shorter",
        2,
        90,
        "Scene 2 now lasts 3 seconds, 1 second shorter. For an exact length, say for example "
        '"make scene 2 3 seconds".',
    ),
    ("make scene 1 longer", 1, 180, None),
    ("make scene 1 a bit longer", 1, 165, None),
    ("make scene 2 much shorter", 2, 60, None),
    ("shorten the last scene", 3, 60, None),
    ("extend scene 3", 3, 120, None),
]


@pytest.mark.parametrize(("phrase", "number", "frames", "reply"), TRIM)
def test_trim(project, scenes, history, phrase, number, frames, reply):
    decision = decide(project, phrase, history)

    assert (decision.tool, decision.args) == (
        "trim_scene",
        {"scene_id": scenes[number - 1].id, "duration_frames": frames},
    )
    if reply is not None:
        assert decision.reply == reply


HUGE = "9" * 400
OUT_OF_BOUNDS = [
    "make scene 1 0 seconds",
    "make scene 1 601 seconds",
    "make scene 1 11 minutes",
    "trim the last scene to 0 frames",
    "set the duration of scene 1 to 18001 frames",
    "make scene 3 4 seconds shorter",
    "add 10 minutes to scene 1",
    "make scene 1 a thousand seconds",
    "add a title that says Hi for 0 seconds",
    "add a title that says Hi for 20 minutes",
    # Numbers too big for a float (once an OverflowError): the same bounds.
    f"make scene 1 {HUGE} seconds",
    f"make scene 1 {HUGE} seconds long",
    f"trim scene 1 to {HUGE} frames",
    f"make it {HUGE} seconds longer",
    f"take {HUGE} minutes off scene 2",
    f"make scene 2 {HUGE}x as long",
    f"make scene 2 {HUGE} times as short",
    "make scene 2 0 times as short",
    f"set the duration of scene 1 to {HUGE} minutes",
    f"add a title that says Hi for {HUGE} seconds",
    f"add a {HUGE}-second title that says Hi",
]


@pytest.mark.parametrize("phrase", OUT_OF_BOUNDS, ids=lambda phrase: phrase.replace(HUGE, "9...9"))
def test_durations_out_of_bounds_are_refused_with_the_bounds(project, scenes, history, phrase):
    decision = decide(project, phrase, history)

    if "thousand" in phrase:  # not a number it knows: asks to rephrase, still no tool
        assert decision.reply.startswith("I didn't understand that.")
    else:
        assert decision.reply == BOUNDS
    assert (decision.tool, decision.args) == (None, {})


# --- Deleting and scene references ----------------------------------------------

DELETE = [
    # phrase, scene number ("it" is scene 2)
    ("delete scene 2", 2),
    ("remove the last scene", 3),
    ("delete the quote scene", 2),
    ("delete the quotation", 2),
    ("delete the bullet list", 3),
    ("delete the title card", 1),
    ("delete the Launch Day scene", 1),
    ("delete the scene that says Less is more", 2),
    ("delete the one called Launch Day", 1),
    ("delete scene two", 2),
    ("delete scene number 3", 3),
    ("delete scene #3", 3),
    ("delete the first scene", 1),
    ("delete the third one", 3),
    ("delete the 2nd scene", 2),
    ("delete the last one", 3),
    ("delete the second to last scene", 2),
    ("delete the penultimate scene", 2),
    ("delete the previous scene", 1),
    ("delete the next scene", 3),
    ("delete it", 2),
    ("delete this scene", 2),
    ("remove that one", 2),
    ("please get rid of scene 1", 1),
    ("DELETE SCENE 3!", 3),
]


@pytest.mark.parametrize(("phrase", "number"), DELETE)
def test_delete(project, scenes, history, phrase, number):
    decision = decide(project, phrase, history)

    assert (decision.tool, decision.args) == ("delete_scene", {"scene_id": scenes[number - 1].id})
    assert decision.reply == f"Deleted scene {number}, \u201c{scenes[number - 1].name}\u201d."


REFERENCES = [
    # phrase, scene number: references inside edits and trims
    ("make the scene called Launch Day red", 1),
    ("make the Launch Day scene red", 1),
    ("make the title scene red", 1),
    ("make the second to last scene red", 2),
    ("make the previous scene red", 1),
    ("make the next one red", 3),
    ("make that red", 2),
    ("make scene three red", 3),
    ("make the third scene red", 3),
    ("make the very last scene red", 3),
]


@pytest.mark.parametrize(("phrase", "number"), REFERENCES)
def test_references(project, scenes, history, phrase, number):
    decision = decide(project, phrase, history)

    assert decision.tool == "edit_scene"
    assert decision.args["scene_id"] == scenes[number - 1].id


# --- What it cannot do says what it needs -----------------------------------------

UNRESOLVED = [
    ("delete scene 5", "There is no scene 5; this project has 3 scenes."),
    ("make the seventh scene red", "There is no scene 7; this project has 3 scenes."),
    ("delete the comparison", "There is no comparison in this project."),
    (
        "delete the Nonexistent scene",
        "I can't find a scene with \u201cNonexistent\u201d in it. "
        'Say its number, for example "scene 2".',
    ),
    ("make me a sandwich", REPHRASE),
    ("change scene 1 to Hello", REPHRASE),
    (
        "make scene 1 bigger",
        "I can't change the size, style or alignment of text: each template sets them itself. "
        "The nearest "
        'I can do: use a condensed font to fit more, e.g. "use a condensed font for scene 1".',
    ),
    (
        "change the text of scene 1 to red",
        "Do you mean the words or their colour? Say for example "
        '"make the text of scene 1 red" or "change the text of scene 1 to say Red".',
    ),
    (
        "make scene 2 red and 3 seconds",
        "I can change how long a scene lasts or how it looks, but not both in one message; "
        "please ask for them one at a time.",
    ),
    (
        "delete all scenes",
        'I delete one scene at a time; say which, for example "delete scene 2".',
    ),
    (
        "add a title between scenes 1 and 2 that says Hi",
        "I can put a new scene at the start, at the end, or before or after one scene; say for "
        'example "add a title after scene 2 that says Hi".',
    ),
    (
        "add a title card",
        'What should the new title card show? For example: "add a title scene that says '
        'Launch Day".',
    ),
    (
        "add a bullet list",
        'What should the new bullet list show? For example: "add a bullet list with speed, '
        'privacy and price".',
    ),
    (
        "add a counter for downloads",
        'What should the new big number show? For example: "add a big number 1,000,000 with '
        'caption downloads".',
    ),
    (
        "add a comparison of cats",
        'What should the new comparison show? For example: "add a comparison of Before vs After".',
    ),
    (
        "change the background of scene 2 to blurple",
        "I don't know the colour \u201cblurple\u201d. Use a CSS colour name such as "
        '"navy" or a hex code such as "#1e3a8a".',
    ),
    (
        "make the background of scene 2 #12345",
        "I don't know the colour \u201c#12345\u201d. Use a CSS colour name such as "
        '"navy" or a hex code such as "#1e3a8a".',
    ),
    (
        "change the font of scene 2 to blackletter",
        "I don't know the font \u201cblackletter\u201d; the scenes show these families: "
        "sans-serif, serif, monospace, rounded, condensed.",
    ),
    (
        "change the layout of scene 2 to sandwich",
        "There is no \u201csandwich\u201d template; there are: title card, lower third, "
        "bullet list, quote, big number, logo reveal, comparison, call to action.",
    ),
    (
        "make it 5x faster",
        "That would make scene 2 play at 5x; speeds run from 0.25x to 4x.",
    ),
    (
        "set the speed of scene 1 to 0.1",
        "That would make scene 1 play at 0.1x; speeds run from 0.25x to 4x.",
    ),
    ("redo", 'There is nothing to redo; say "undo" to revert the last change.'),
    (
        "rename scene 1 to",
        'What should the new text of scene 1 be? Say for example "rename scene 1 to Welcome".',
    ),
    (
        "rename scene 1",
        'What should the new text of scene 1 be? Say for example "rename scene 1 to Welcome".',
    ),
    (
        "rename it to .",
        'What should the new text of scene 2 be? Say for example "rename scene 2 to Welcome".',
    ),
]


@pytest.mark.parametrize(("phrase", "reply"), UNRESOLVED)
def test_what_it_cannot_resolve_gets_a_reply_and_no_tool(project, scenes, history, phrase, reply):
    decision = decide(project, phrase, history)

    assert (decision.reply, decision.tool, decision.args) == (reply, None, {})


def test_an_ambiguous_template_reference_asks_which(project, scenes, history):
    add_scene(project, props={"title": "Thanks"})

    decision = decide(project, "delete the title scene", history)

    assert decision.tool is None
    assert decision.reply == (
        "Which title card do you mean? Scenes 1 and 4 are title cards; "
        'say its number, for example "scene 1".'
    )


def test_ambiguous_words_ask_which(project, scenes, history):
    add_scene(project, props={"title": "Launch Day recap"})

    decision = decide(project, "delete the scene called Launch", history)

    assert decision.tool is None
    assert decision.reply == (
        "Which one do you mean? Scenes 1 and 4 all mention \u201cLaunch\u201d; "
        'say its number, for example "scene 1".'
    )


def test_exact_title_beats_partial_matches(project, scenes, history):
    add_scene(project, props={"title": "Launch Day recap"})

    decision = decide(project, "delete the Launch Day scene", history)

    assert decision.args == {"scene_id": scenes[0].id}


# --- "it" is the scene the latest change touched ----------------------------------


def test_it_is_the_scene_of_the_latest_change(project, scenes, history):
    history += [
        message(project, 5, "make scene 3 red", role="user"),
        message(
            project, 6, "Scene 3 now has a red background.", tool="edit_scene", scene=scenes[2]
        ),
        message(project, 7, "make me a sandwich", role="user"),
        message(project, 8, REPHRASE),  # no tool: touched nothing
        message(project, 9, "delete scene 9", role="user"),
        message(project, 10, "Sorry.", tool="delete_scene", status="error"),
    ]

    decision = decide(project, "make it blue", history)

    assert decision.args == {"scene_id": scenes[2].id, "props": {"background": "#0000ff"}}


def test_it_asks_which_scene_when_that_scene_is_gone(project, scenes, history):
    delete_scene(project, scene_id=scenes[1].id)  # the scene "it" meant
    history[-1].refresh_from_db()

    decision = decide(project, "make it blue", history)

    assert (decision.reply, decision.tool) == (WHICH, None)


def test_it_asks_which_scene_after_a_delete(project, scenes, history):
    history.append(message(project, 5, "Deleted scene 3.", tool="delete_scene"))

    decision = decide(project, "make this scene 3 seconds", history)

    assert (decision.reply, decision.tool) == (WHICH, None)


def test_it_asks_which_scene_with_no_change_yet(project, scenes):
    decision = decide(project, "make the text red")

    assert (decision.reply, decision.tool) == (WHICH, None)


def test_it_is_the_only_scene_when_there_is_one(project):
    scene = add_scene(project, props={"title": "Solo"})

    decision = decide(project, "make it faster")

    assert decision.args == {"scene_id": scene.id, "props": {"speed": 1.5}}


def test_with_no_scenes_it_says_to_add_one(project):
    for phrase in ("delete scene 1", "make it red", "make the text red", "make it 3 seconds"):
        decision = decide(project, phrase)
        assert decision.tool is None
        assert decision.reply.startswith("There are no scenes yet."), phrase


def test_relative_speed_starts_from_the_current_speed(project):
    scene = add_scene(project, props={"title": "Quick", "speed": 2.0})

    assert decide(project, "make scene 1 faster").args["props"] == {"speed": 3.0}
    assert decide(project, "make scene 1 twice as slow").args["props"] == {"speed": 1.0}
    decision = decide(project, "make scene 1 three times as fast")
    assert (decision.tool, decision.reply) == (
        None,
        "That would make scene 1 play at 6x; speeds run from 0.25x to 4x.",
    )
    assert scene.props["speed"] == 2.0


# --- Undo ---------------------------------------------------------------------------
# What undo does is read from the scene history (scenes.history), which only a
# tool that really changed the scenes writes to, so these chats are real ones.

UNDO_PHRASES = ["undo", "Undo that", "undo the last change", "revert", "take that back"]
RED = "Undid: \u201cScene 1 now has a red background.\u201d"


@pytest.mark.parametrize("phrase", UNDO_PHRASES)
def test_undo_names_the_change_it_reverts(project, phrase):
    chat(project, "add a title scene that says Launch Day")
    chat(project, "make scene 1 red")
    chat(project, "make me a sandwich")

    decision = decide(project, phrase)

    assert (decision.tool, decision.args, decision.reply) == ("undo", {}, RED)


def test_undo_passes_over_a_change_that_changed_nothing(project):
    chat(project, "add a title scene that says One")
    chat(project, "make scene 1 red")
    # A tool ran, but the scene already read "One": nothing to undo there.
    assert (
        chat(project, "change the text of scene 1 to One") == "Scene 1 now reads \u201cOne\u201d."
    )

    decision = decide(project, "undo that")

    assert (decision.tool, decision.reply) == ("undo", RED)


def test_undo_reaches_a_change_further_back_than_the_chat_history(project):
    chat(project, "add a title scene that says One")
    chat(project, "make scene 1 red")
    for _ in range(HISTORY_LENGTH // 2 + 1):
        chat(project, "make me a sandwich")

    assert chat(project, "undo that") == RED
    assert project.scenes.get().props["background"] == DEFAULT_PROPS["background"]


def test_undo_with_nothing_to_undo(project):
    chat(project, "make me a sandwich")
    chat(project, "delete scene 9")  # refused: changes nothing

    for phrase in UNDO_PHRASES:
        decision = decide(project, phrase)
        assert (decision.reply, decision.tool) == ("There is nothing to undo yet.", None)
    decision = decide(project, "redo")
    assert (decision.reply, decision.tool) == (NOTHING_TO_REDO, None)


def test_undoing_an_undo_redoes_and_so_on(project):
    change = "Scene 1 now has a red background."
    chat(project, "add a title scene that says Hi")
    chat(project, "make scene 1 red")
    assert decide(project, "redo").reply == NOTHING_TO_REDO
    assert chat(project, "undo") == f"Undid: \u201c{change}\u201d"

    redo = decide(project, "undo that")
    assert (redo.tool, redo.reply) == ("undo", f"Redid: \u201c{change}\u201d")
    assert decide(project, "redo") == redo
    assert chat(project, "redo") == f"Redid: \u201c{change}\u201d"

    again = decide(project, "undo that")
    assert (again.tool, again.reply) == ("undo", f"Undid: \u201c{change}\u201d")
    nothing = decide(project, "redo")
    assert (nothing.tool, nothing.reply) == (None, NOTHING_TO_REDO)


# --- The vocabulary tables ------------------------------------------------------------


def test_the_colour_table_is_the_148_css_named_colours():
    assert len(vocabulary.COLOUR_HEX) == 148
    assert all(
        len(h) == 7 and h == h.lower() and h.startswith("#") for h in vocabulary.COLOUR_HEX.values()
    )
    samples = {
        "red": "#ff0000",
        "orange": "#ffa500",
        "navy": "#000080",
        "rebeccapurple": "#663399",
        "lightgoldenrodyellow": "#fafad2",
        "grey": "#808080",
        "darkslategrey": "#2f4f4f",
        "aqua": "#00ffff",
    }
    assert {k: vocabulary.COLOUR_HEX[k] for k in samples} == samples


def test_every_css_colour_name_is_understood(project):
    scene = add_scene(project, props={"title": "Colours"})
    for name, hex_ in vocabulary.CSS_COLOURS.items():
        for typed in {name, name.replace(" ", ""), name.replace(" ", "-"), name.upper()}:
            decision = decide(project, f"make scene 1 {typed}")
            assert decision.args == {"scene_id": scene.id, "props": {"background": hex_}}, typed


def test_the_tables_cover_every_template_and_font():
    assert set(vocabulary.TEMPLATE_WORDS) == set(TEMPLATE_LABELS)
    assert set(vocabulary.TEMPLATE_CONTENT) == set(TEMPLATE_LABELS)
    assert set(vocabulary.TEMPLATE_EXAMPLES) == set(TEMPLATE_LABELS)
    assert set(vocabulary.NEW_SCENE_PHRASES) == set(TEMPLATE_LABELS)
    assert set(vocabulary.FONT_WORDS) == set(FONTS) == set(vocabulary.FONT_LABELS)
    words = [w for ws in vocabulary.TEMPLATE_WORDS.values() for w in ws]
    assert len(words) == len(set(words)), "a word names two templates"


def test_every_template_and_font_word_is_understood(project):
    scene = add_scene(project, props={"title": "Shape shifter"})
    for template, words in vocabulary.TEMPLATE_WORDS.items():
        for word in words:
            decision = decide(project, f"turn scene 1 into a {word}")
            assert decision.args == {"scene_id": scene.id, "props": {"template": template}}, word
    for font, words in vocabulary.FONT_WORDS.items():
        for word in words:
            decision = decide(project, f"change the font of scene 1 to {word}")
            assert decision.args == {"scene_id": scene.id, "props": {"font": font}}, word


# --- End to end through the chat command -----------------------------------------------


def test_chat_make_scene_red_changes_the_background(project):
    chat(project, "add a title scene that says Launch Day")

    reply = chat(project, "make scene 1 red")

    scene = project.scenes.get()
    assert reply == "Scene 1 now has a red background."
    assert scene.props["background"] == "#ff0000"
    assert "#ff0000" in scene.code


def test_chat_follows_it_and_colours_text_and_trims(project):
    chat(project, "add a title scene that says One")
    chat(project, "add a quote: Less is more")

    assert chat(project, "make the text navy") == "Scene 2 now has navy text."
    assert chat(project, "make it 2 seconds longer") == "Scene 2 now lasts 7 seconds."

    first, second = project.scenes.order_by("order")
    assert first.props["color"] == DEFAULT_PROPS["color"]
    assert (second.props["color"], second.duration_frames) == ("#000080", 210)


def test_chat_bullet_list_and_its_items(project):
    chat(project, "create a bullet list with speed, privacy and price")
    assert project.scenes.get().props["items"] == ["Speed", "Privacy", "Price"]

    chat(project, "change the items of scene 1 to a, b and c")

    scene = project.scenes.get()
    assert scene.props["items"] == ["A", "B", "C"]
    assert scene.props["template"] == "bullets"


def test_chat_turns_a_scene_into_another_template_and_deletes_by_kind(project):
    chat(project, "add a title scene that says Hello")
    chat(project, "add a comparison of Before vs After")

    chat(project, "turn scene 1 into a quote")
    chat(project, "delete the comparison")

    scene = project.scenes.get()
    assert (scene.props["template"], scene.props["title"]) == ("quote", "Hello")


@pytest.mark.parametrize("amount", ["11 minutes", f"{HUGE} seconds"], ids=["11 min", "9...9 s"])
def test_chat_out_of_bounds_duration_changes_nothing(project, amount):
    chat(project, "add a title scene that says Hi")

    reply = chat(project, f"make scene 1 {amount}")

    assert reply == BOUNDS
    assert project.scenes.get().duration_frames == 150
    last = Message.objects.filter(role="assistant").latest("seq")
    assert (last.status, last.tool) == ("success", "")


def test_chat_undo_and_redo(project):
    chat(project, "add a title scene that says Hi")
    chat(project, "make scene 1 red")

    assert chat(project, "undo") == "Undid: \u201cScene 1 now has a red background.\u201d"
    assert project.scenes.get().props["background"] == DEFAULT_PROPS["background"]

    assert chat(project, "redo") == "Redid: \u201cScene 1 now has a red background.\u201d"
    assert project.scenes.get().props["background"] == "#ff0000"


@pytest.mark.parametrize(
    "text, things",
    [
        ("add a bullet list of three fruits", "fruits"),
        ("give me a bullet list with 5 tips", "tips"),
        ("add a bulleted list of our top features", "top features"),
    ],
)
def test_a_list_of_things_to_be_named_asks_for_them_instead_of_one_point(project, text, things):
    decision = decide(project, text)

    assert decision.tool is None
    assert decision.reply.startswith(f"Which {things} should the list show?")
    assert not project.scenes.exists()


def test_a_quoted_count_is_the_list_s_point_as_asked(project):
    decision = decide(project, 'add a bullet list: "three fruits"')

    assert decision.tool == "add_scene"
    assert decision.args["props"]["items"] == ["three fruits"]


def test_a_vague_trim_past_the_bounds_is_refused_with_the_bounds_and_the_length(project):
    add_scene(project, props={"title": "Blink"}, duration_frames=20)

    decision = decide(project, "make it shorter")

    assert decision.tool is None
    assert "Scene 1 lasts 0.67 seconds (20 frames)." in decision.reply
