"""What people type, by intent, with what the offline brain should do (tests/test_phrasing_eval.py).

The project they are typed at (made with the real tools, each change recorded
in the scene history, so "it" is scene 2, the last one changed):

    1  title card "Launch Day"      150 frames (5 s)
    2  quote "Less is more" - Mies  120 frames (4 s)
    3  bullet list Speed, Privacy    90 frames (3 s)

at 30 fps, in a project called "Launch video". The first rows of each intent
are the ones issue 9 found failing.

An expectation is either calls(...): the tool calls, in order, each a tool and
the args that matter ("scene": 2 means scene 2's id, likewise "before",
"after", "swap_with"; props are checked inside "props"), or says(text): no
tool call, and a reply containing the text.
"""


def calls(*expected: tuple[str, dict]) -> tuple:
    return ("calls", expected)


def says(text: str) -> tuple:
    return ("says", text)


def add(**props) -> tuple[str, dict]:
    frames = props.pop("frames", 150)
    return ("add_scene", {**props, "duration_frames": frames})


def edit(scene: int, **props) -> tuple[str, dict]:
    return ("edit_scene", {"scene": scene, **props})


def move(scene: int, **where) -> tuple[str, dict]:
    return ("move_scene", {"scene": scene, **where})


def merged(*tables: dict) -> dict:
    """The tables' rows, intent by intent."""
    rows: dict[str, list] = {}
    for table in tables:
        for intent, phrasings in table.items():
            rows.setdefault(intent, []).extend(phrasings)
    return rows


TO_THE_END = [move(1, position=4), move(2, position=4), move(3, position=4)]
SIZE = "size, style or alignment of text"

BUILT_WITH: dict[str, list[tuple[str, tuple]]] = {
    "greeting": [
        ("hi", says("Hi!")),
        ("hello", says("Hi!")),
        ("Hello!", says("Hi!")),
        ("hey there", says("Hi!")),
        ("good morning", says("Hi!")),
        ("thanks", says("welcome")),
        ("ok", says("What should change next")),
    ],
    "what can you do": [
        ("what can you do?", says("I can add 8 kinds of scene")),
        ("What can you do", says("I can add 8 kinds of scene")),
        ("help", says("I can add 8 kinds of scene")),
        ("how does this work?", says("I can add 8 kinds of scene")),
        ("hi, what can you do?", says("I can add 8 kinds of scene")),
        ("what kinds of scenes are there?", says("call to action")),
        ("what are my options?", says("I can't yet add sound")),
    ],
    "question": [
        ("how long is the video?", says("12 seconds long")),
        ("How long is my video", says("12 seconds long")),
        ("what's the total duration?", says("12 seconds")),
        ("how many scenes are there?", says("3 scenes")),
        ("how many scenes?", says("3 scenes")),
        ("what's in scene 2?", says("Less is more")),
        ("what does scene 1 say?", says("Launch Day")),
        ("describe scene 3", says("Speed")),
        ("list the scenes", says("Scene 3 is a bullet list")),
        ("what's in the video?", says("Scene 2 is a quote")),
        ("how long is scene 2?", says("Scene 2 lasts 4 seconds")),
        ("what fonts are there?", says("serif (like Georgia)")),
        ("which colours can I use?", says("148 CSS colour names")),
        ("what's the first scene?", says("Scene 1 is a title card")),
    ],
    "feature elsewhere": [
        ("can I download this as an mp4?", says("Export MP4 button")),
        ("how do I export the video?", says("Export MP4 button")),
        ("export", says("Export MP4 button")),
        ("download the video", says("Export MP4 button")),
        ("how do I undo?", says("Undo button")),
        ("can I share it?", says("Export MP4")),
        ("how do I play the video?", says("play button")),
        ("start over", says("new project")),
    ],
    "cannot do": [
        ("add music", says("silent")),
        ("add some background music", says("silent")),
        ("upload my logo", says("logo reveal")),
        ("can you add a picture of a cat?", says("images")),
        ("add a voiceover", says("silent")),
        ("add a crossfade transition", says("transitions")),
        ("make the text bigger", says(SIZE)),
        ("add a video clip", says("footage")),
        ("make the background a gradient", says("a background is one colour")),
        ("make the quote italic", says("style")),
        ("center the text", says("alignment")),
    ],
    "vague": [
        ("make it pop", calls(edit(2, accent="#ff3d00", speed=1.5))),
        ("make it more exciting", calls(edit(2, accent="#ff3d00"))),
        ("spice it up", calls(edit(2, accent="#ff3d00"))),
        ("make it stand out", calls(edit(2, accent="#ff3d00"))),
        ("make it better", calls(edit(2, accent="#ff3d00"))),
        ("jazz it up", calls(edit(2, accent="#ff3d00"))),
        ("tone it down", calls(edit(2, accent="#94a3b8"))),
        ("make scene 1 pop", calls(edit(1, accent="#ff3d00", speed=1.5))),
        ("make it look more professional", calls(edit(2, accent="#94a3b8"))),
        ("this is boring", calls(edit(2, accent="#ff3d00"))),
        (
            "make the video pop",
            calls(*[edit(n, accent="#ff3d00", speed=1.5) for n in (1, 2, 3)]),
        ),
        ("make the video longer", says("How long should it be? It is 12 seconds now")),
        ("make it last longer", calls(("trim_scene", {"scene": 2, "duration_frames": 150}))),
        (
            "make a video about cats",
            calls(add(template="title", title="Cats")),
        ),
    ],
    "add": [
        ("add a title saying Hello", calls(add(template="title", title="Hello"))),
        ("add a quote: Stay hungry", calls(add(template="quote", title="Stay hungry"))),
        ("create a bullet list with a, b and c", calls(add(items=["A", "B", "C"]))),
        ("add a big number 42% with caption growth", calls(add(title="42%", subtitle="Growth"))),
        ("add a lower third for Jane Doe, CEO", calls(add(title="Jane Doe", subtitle="CEO"))),
        ("add a call to action: Sign up", calls(add(template="cta", title="Sign up"))),
        ("add a comparison of cats vs dogs", calls(add(title="Cats", subtitle="Dogs"))),
        ("add a logo reveal for Acme", calls(add(template="reveal", title="Acme"))),
    ],
    "duration at the end": [
        ("add a title saying Hello for 3 seconds", calls(add(title="Hello", frames=90))),
        ("add a title saying Hello, 3 seconds", calls(add(title="Hello", frames=90))),
        ("add a title saying Hi 2 seconds long", calls(add(title="Hi", frames=60))),
        ("add a title card that says Welcome lasting 6 seconds", calls(add(frames=180))),
        ("add a call to action: Buy now for 2 seconds", calls(add(title="Buy now", frames=60))),
        ("add a quote: Be kind, 4 seconds", calls(add(title="Be kind", frames=120))),
    ],
    "title and subtitle": [
        (
            "make scene 1 say Launch Day with subtitle Coming soon",
            calls(edit(1, title="Launch Day", subtitle="Coming soon")),
        ),
        (
            "make scene 1 say Hi with the subtitle There",
            calls(edit(1, title="Hi", subtitle="There")),
        ),
        (
            "add a title saying Welcome with subtitle Day one",
            calls(add(title="Welcome", subtitle="Day one")),
        ),
        ("set the subtitle of scene 1 to Coming soon", calls(edit(1, subtitle="Coming soon"))),
        ("change scene 1's subtitle to Soon", calls(edit(1, subtitle="Soon"))),
    ],
    "parts by name": [
        ("change the heading of scene 3 to Why us", calls(edit(3, title="Why us"))),
        ("set the caption of scene 1 to March 3", calls(edit(1, subtitle="March 3"))),
        ("change the author of the quote to Mies", calls(edit(2, subtitle="Mies"))),
        ("make the attribution of scene 2 say Mies", calls(edit(2, subtitle="Mies"))),
        (
            "change the button text of scene 1 to example.com",
            calls(edit(1, subtitle="Example.com")),
        ),
        ("set the left side of scene 1 to Before", calls(edit(1, title="Before"))),
        ("set the right heading of scene 1 to After", calls(edit(1, subtitle="After"))),
        ("change the items of scene 3 to a, b and c", calls(edit(3, items=["A", "B", "C"]))),
        ("change the quote text to Stay hungry", calls(edit(2, title="Stay hungry"))),
        ("set the role of scene 1 to CEO", calls(edit(1, subtitle="CEO"))),
        ("add a subtitle to scene 1 saying Coming soon", calls(edit(1, subtitle="Coming soon"))),
        ("give scene 1 the subtitle Coming soon", calls(edit(1, subtitle="Coming soon"))),
        ("remove the subtitle from scene 2", calls(edit(2, subtitle=""))),
        ("clear the author", calls(edit(2, subtitle=""))),
        ("change Launch Day to Launch Week", calls(edit(1, title="Launch Week"))),
        ("replace Privacy with Price", calls(edit(3, items=["Speed", "Price"]))),
        (
            "change the title to Welcome and the subtitle to Day one",
            calls(edit(2, title="Welcome", subtitle="Day one")),
        ),
    ],
    "list items": [
        ("add Price to the list", calls(edit(3, items=["Speed", "Privacy", "Price"]))),
        (
            "add an item called Price to scene 3",
            calls(edit(3, items=["Speed", "Privacy", "Price"])),
        ),
        (
            "add Price and Support to the bullet list",
            calls(edit(3, items=["Speed", "Privacy", "Price", "Support"])),
        ),
        ("add a point Support to the list", calls(edit(3, items=["Speed", "Privacy", "Support"]))),
        ("remove Privacy from the list", calls(edit(3, items=["Speed"]))),
        ("remove the last item from the list", calls(edit(3, items=["Speed"]))),
        ("remove the first point from scene 3", calls(edit(3, items=["Privacy"]))),
        ("delete Speed from the bullets", calls(edit(3, items=["Privacy"]))),
    ],
    "polite": [
        ("could you please make scene 1 red", calls(edit(1, background="#ff0000"))),
        ("please add a title saying Hi", calls(add(title="Hi"))),
        ("can you delete scene 3 please", calls(("delete_scene", {"scene": 3}))),
        ("would you make the text navy, thanks", calls(edit(2, color="#000080"))),
        ("I'd like to add a quote: Be kind", calls(add(template="quote", title="Be kind"))),
        ("hey, could you make scene 2 blue?", calls(edit(2, background="#0000ff"))),
        ("could you please make it faster?", calls(edit(2, speed=1.5))),
    ],
    "typos": [
        ("delte scene 3", calls(("delete_scene", {"scene": 3}))),
        ("make scnee 1 red", calls(edit(1, background="#ff0000"))),
        ("add a titel saying Hello", calls(add(template="title", title="Hello"))),
        ("add a qoute: Be kind", calls(add(template="quote", title="Be kind"))),
        ("chnage the backgrund of scene 1 to blue", calls(edit(1, background="#0000ff"))),
        ("make scene 1 purpel", calls(edit(1, background="#800080"))),
        ("make it fsater", calls(edit(2, speed=1.5))),
        ("make the text of scene 1 yelow", calls(edit(1, color="#ffff00"))),
        ("remvoe scene 2", calls(("delete_scene", {"scene": 2}))),
    ],
    "it and that": [
        ("make it red", calls(edit(2, background="#ff0000"))),
        ("make that blue", calls(edit(2, background="#0000ff"))),
        ("make it 3 seconds", calls(("trim_scene", {"scene": 2, "duration_frames": 90}))),
        ("delete it", calls(("delete_scene", {"scene": 2}))),
        ("make this scene faster", calls(edit(2, speed=1.5))),
        ("duplicate it", calls(("duplicate_scene", {"scene": 2}))),
        ("move it to the end", calls(move(2, position=3))),
    ],
    "move": [
        ("move scene 3 before scene 1", calls(move(3, before=1))),
        ("move scene 1 after scene 3", calls(move(1, after=3))),
        ("move scene 3 to the start", calls(move(3, position=1))),
        ("move scene 1 to the end", calls(move(1, position=3))),
        ("put the quote at the start", calls(move(2, position=1))),
        ("move scene 2 to position 1", calls(move(2, position=1))),
        ("move scene 3 up", calls(move(3, position=2))),
        ("make scene 3 the first scene", calls(move(3, position=1))),
        ("move the last scene to the beginning", calls(move(3, position=1))),
        ("put scene 1 last", calls(move(1, position=3))),
        ("move scene 2 down", calls(move(2, position=3))),
    ],
    "swap": [
        ("swap scenes 1 and 2", calls(move(1, swap_with=2))),
        ("swap scene 1 with scene 3", calls(move(1, swap_with=3))),
        ("switch scene 2 and scene 3", calls(move(2, swap_with=3))),
        ("exchange scene 1 and scene 2", calls(move(1, swap_with=2))),
        ("swap the first and second scenes", calls(move(1, swap_with=2))),
        ("swap the quote and the list", calls(move(2, swap_with=3))),
    ],
    "duplicate": [
        ("duplicate scene 1", calls(("duplicate_scene", {"scene": 1}))),
        ("copy scene 2", calls(("duplicate_scene", {"scene": 2}))),
        ("duplicate the quote", calls(("duplicate_scene", {"scene": 2}))),
        ("clone the last scene", calls(("duplicate_scene", {"scene": 3}))),
    ],
    "whole video": [
        ("make every scene dark", calls(("edit_scenes", {"background": "#0f172a"}))),
        ("use Georgia everywhere", calls(("edit_scenes", {"font": "serif"}))),
        ("make the whole video 20 seconds", calls(("set_video_length", {"duration_frames": 600}))),
        ("all quotes in orange", calls(("edit_scenes", {"color": "#ffa500", "scene_ids": [2]}))),
        ("make all scenes navy", calls(("edit_scenes", {"background": "#000080"}))),
        ("use a dark theme", calls(("edit_scenes", {"background": "#0f172a"}))),
        ("dark mode", calls(("edit_scenes", {"color": "#f8fafc"}))),
        (
            "make every scene faster",
            calls(("edit_scenes", {"speed": 1.5})),
        ),
        (
            "make every scene 3 seconds",
            calls(*[("trim_scene", {"scene": n, "duration_frames": 90}) for n in (1, 2, 3)]),
        ),
        (
            "set the video length to 30 seconds",
            calls(("set_video_length", {"duration_frames": 900})),
        ),
        ("make the video 1 minute long", calls(("set_video_length", {"duration_frames": 1800}))),
        ("use serif for every scene", calls(("edit_scenes", {"font": "serif"}))),
        ("make the accent gold in every scene", calls(("edit_scenes", {"accent": "#ffd700"}))),
        (
            "change the background of all scenes to black",
            calls(("edit_scenes", {"background": "#000000"})),
        ),
        ("set the accent to #ff8800 everywhere", calls(("edit_scenes", {"accent": "#ff8800"}))),
        ("make all the text white", calls(("edit_scenes", {"color": "#ffffff"}))),
        ("make all title cards serif", calls(("edit_scenes", {"font": "serif", "scene_ids": [1]}))),
        ("make it dark", calls(edit(2, background="#0f172a", color="#f8fafc"))),
        ("give the list a light theme", calls(edit(3, background="#ffffff"))),
        ("make every quote 3 seconds", calls(("trim_scene", {"scene": 2, "duration_frames": 90}))),
    ],
    "known fonts": [
        ("use Georgia for scene 1", calls(edit(1, font="serif"))),
        ("change the font of scene 1 to Helvetica", calls(edit(1, font="sans"))),
        ("make scene 2 Courier", calls(edit(2, font="mono"))),
        ("set the font to Comic Sans", calls(edit(2, font="rounded"))),
        ("add a title saying Hi in Times New Roman", calls(add(title="Hi", font="serif"))),
        ("use Impact for the quote", calls(edit(2, font="condensed"))),
    ],
    "several asks": [
        (
            "add a title saying Hello and then a quote saying Bye",
            calls(add(template="title", title="Hello"), add(template="quote", title="Bye")),
        ),
        ("add a title saying Hi and make it red", calls(add(title="Hi", background="#ff0000"))),
        (
            "make scene 1 red and scene 2 blue",
            calls(edit(1, background="#ff0000"), edit(2, background="#0000ff")),
        ),
        (
            "delete scene 3, then make scene 1 blue",
            calls(("delete_scene", {"scene": 3}), edit(1, background="#0000ff")),
        ),
        (
            "add a title saying Hi. Then add a quote: Bye",
            calls(add(title="Hi"), add(template="quote", title="Bye")),
        ),
        (
            "make scene 1 red; make scene 2 green",
            calls(edit(1, background="#ff0000"), edit(2, background="#008000")),
        ),
        (
            "add a quote: Stay hungry and make it 3 seconds",
            calls(add(title="Stay hungry", frames=90)),
        ),
        (
            "make scenes 1 and 2 red",
            calls(edit(1, background="#ff0000"), edit(2, background="#ff0000")),
        ),
        (
            "delete scenes 1 and 3",
            calls(("delete_scene", {"scene": 1}), ("delete_scene", {"scene": 3})),
        ),
        (
            "add a title saying Hello and a quote saying Bye",
            calls(add(title="Hello"), add(template="quote", title="Bye")),
        ),
        (
            "swap scenes 1 and 2 and then make scene 3 gold",
            calls(move(1, swap_with=2), edit(3, background="#ffd700")),
        ),
    ],
    "new scene in place": [
        (
            "add a title after scene 2 that says Hi",
            calls(add(title="Hi"), move(3, position=4)),
        ),
        (
            "add a quote at the start: Hello",
            calls(add(template="quote", title="Hello"), *TO_THE_END),
        ),
        (
            "add a title before scene 2 saying Hi",
            calls(add(title="Hi"), move(2, position=4), move(3, position=4)),
        ),
        ("add a title after the last scene saying Bye", calls(add(title="Bye"))),
        (
            "add a big number 42% at position 2",
            calls(add(title="42%"), move(2, position=4), move(3, position=4)),
        ),
    ],
    "intro and outro": [
        ("add an intro", calls(add(title="Launch video"), *TO_THE_END)),
        ("add an intro saying Welcome", calls(add(title="Welcome"), *TO_THE_END)),
        ("add an outro", calls(add(title="Thanks for watching"))),
        ("add an outro that says See you", calls(add(title="See you"))),
        ("add an opening title: Hello", calls(add(title="Hello"), *TO_THE_END)),
    ],
    "countdown": [
        ("add a countdown", calls(*[add(template="counter", title=n, frames=30) for n in "321"])),
        (
            "add a countdown from 5",
            calls(*[add(template="counter", title=n, frames=30) for n in "54321"]),
        ),
        ("add a 4 second countdown", calls(*[add(title=n, frames=30) for n in "4321"])),
        ("countdown from 2", calls(*[add(title=n, frames=30) for n in "21"])),
    ],
}

# The first held-out set: written after the rules, it passed 39/50 on its first
# run; the gaps it showed were then fixed, so it is part of the main table now.
FIRST_HELD_OUT: dict[str, list[tuple[str, tuple]]] = {
    "greeting": [
        ("Hi!", says("Hi!")),
        ("hey!!", says("Hi!")),
        ("thank you so much", says("welcome")),
    ],
    "what can you do": [
        ("what can you help me with?", says("I can add 8 kinds of scene")),
        ("what do you support?", says("I can add 8 kinds of scene")),
        ("what can this do", says("I can add 8 kinds of scene")),
    ],
    "question": [
        ("what's the video's length?", says("12 seconds")),
        ("how many slides do I have?", says("3 scenes")),
        ("what does the quote say?", says("Less is more")),
        ("how long does scene 3 last?", says("3 seconds")),
    ],
    "feature elsewhere": [
        ("how do I download it", says("Export MP4")),
        ("export to mp4 please", says("Export MP4")),
        ("where is the undo button?", says("Undo button")),
    ],
    "cannot do": [
        ("put my company logo in", says("logo reveal")),
        ("add a soundtrack", says("silent")),
        ("make the title bold", says("style")),
        ("insert a photo of our team", says("images")),
    ],
    "vague": [
        ("make it more exciting please", calls(edit(2, accent="#ff3d00"))),
        ("can you make the quote pop?", calls(edit(2, accent="#ff3d00"))),
        ("make everything pop", calls(*[edit(n, accent="#ff3d00") for n in (1, 2, 3)])),
    ],
    "add": [
        ("create a slide that says Welcome aboard", calls(add(title="Welcome aboard"))),
        ("new bullet list: fast, cheap, good", calls(add(items=["Fast", "Cheap", "Good"]))),
        ('add a quote "Think different" by Apple', calls(add(title="Think different"))),
        ("add a cta saying Buy now", calls(add(template="cta", title="Buy now"))),
    ],
    "edit": [
        ("change scene 1 text to Hello world", calls(edit(1, title="Hello world"))),
        ("set the background of the list to teal", calls(edit(3, background="#008080"))),
        ("make the quote's text white", calls(edit(2, color="#ffffff"))),
        ("scene 1 should say Big news", calls(edit(1, title="Big news"))),
        ("make scene 3 serif", calls(edit(3, font="serif"))),
    ],
    "durations": [
        ("make scene 1 last 2 seconds", calls(("trim_scene", {"scene": 1, "duration_frames": 60}))),
        (
            "scene 2 should be 6 seconds",
            calls(("trim_scene", {"scene": 2, "duration_frames": 180})),
        ),
        ("make the video 30 seconds", calls(("set_video_length", {"duration_frames": 900}))),
        (
            "make each scene 2 seconds",
            calls(*[("trim_scene", {"scene": n, "duration_frames": 60}) for n in (1, 2, 3)]),
        ),
    ],
    "arrange": [
        ("move the quote to the end", calls(move(2, position=3))),
        ("put the list before the quote", calls(move(3, before=2))),
        ("swap 1 and 3", calls(move(1, swap_with=3))),
        ("make a copy of scene 1", calls(("duplicate_scene", {"scene": 1}))),
        ("move scene 1 to the 2nd position", calls(move(1, position=2))),
    ],
    "whole video": [
        ("use the serif font on all slides", calls(("edit_scenes", {"font": "serif"}))),
        ("make all backgrounds white", calls(("edit_scenes", {"background": "#ffffff"}))),
        ("turn everything dark", calls(("edit_scenes", {"background": "#0f172a"}))),
        ("make all quotes gold", calls(("edit_scenes", {"background": "#ffd700"}))),
    ],
    "several asks": [
        (
            "add a title saying Hi then delete scene 1",
            calls(add(title="Hi"), ("delete_scene", {"scene": 1})),
        ),
        (
            "make scene 1 navy and make scene 3 teal",
            calls(edit(1, background="#000080"), edit(3, background="#008080")),
        ),
    ],
    "typos": [
        ("dleete the last scene", calls(("delete_scene", {"scene": 3}))),
        ("make the bakground of scene 1 black", calls(edit(1, background="#000000"))),
        ("add a bulet list with a, b", calls(add(items=["A", "B"]))),
    ],
    "intro, outro, countdown": [
        ("add an intro card saying Hello", calls(add(title="Hello"), *TO_THE_END)),
        ("add a closing card: Thanks!", calls(add(title="Thanks!"))),
        ("add a countdown from four", calls(*[add(title=n, frames=30) for n in "4321"])),
    ],
}

# The second held-out set: 27/40 on its first run, 30/40 once the two wrong
# actions it found were fixed; the gaps it showed were then fixed too, so it is
# part of the main table now.
SECOND_HELD_OUT: dict[str, list[tuple[str, tuple]]] = {
    "greeting": [
        ("good evening!", says("Hi!")),
        ("hello, anyone there?", says("Hi!")),
    ],
    "what can you do": [
        ("what are you able to do?", says("I can add 8 kinds of scene")),
        ("what kind of things can I ask?", says("I can add 8 kinds of scene")),
        ("show me some examples", says("I can add 8 kinds of scene")),
    ],
    "question": [
        ("how long is it in total?", says("12 seconds")),
        ("what is scene 3 about?", says("Speed")),
        ("is there a quote?", says("Less is more")),
    ],
    "feature elsewhere": [
        ("how can I save the video?", says("Export MP4")),
        ("can I get an mp4 file?", says("Export MP4")),
    ],
    "cannot do": [
        ("add background music please", says("silent")),
        ("can you add subtitles in spanish?", says("")),
        ("add an image of a mountain", says("images")),
    ],
    "vague": [
        ("make scene 3 more exciting", calls(edit(3, accent="#ff3d00"))),
        ("it looks boring, fix it", calls(edit(2, accent="#ff3d00"))),
    ],
    "add": [
        (
            "add another quote: Simplicity is the ultimate sophistication",
            calls(add(template="quote")),
        ),
        ("can I have a title saying Welcome?", calls(add(title="Welcome"))),
        (
            "put in a lower third for John Smith, CTO",
            calls(add(title="John Smith", subtitle="CTO")),
        ),
        ("add a stat of 10x faster", calls(add(template="counter", title="10x"))),
    ],
    "edit": [
        ("change the quote to Stay curious", calls(edit(2, title="Stay curious"))),
        ("make the title of scene 1 Hello again", calls(edit(1, title="Hello again"))),
        ("color scene 3 green", calls(edit(3, background="#008000"))),
        ("the background of scene 1 should be black", calls(edit(1, background="#000000"))),
    ],
    "durations": [
        (
            "shorten scene 1 to 2 seconds",
            calls(("trim_scene", {"scene": 1, "duration_frames": 60})),
        ),
        (
            "make the whole video 15 seconds long",
            calls(("set_video_length", {"duration_frames": 450})),
        ),
        (
            "give scene 2 one more second",
            calls(("trim_scene", {"scene": 2, "duration_frames": 150})),
        ),
    ],
    "arrange": [
        ("move the title to the end", calls(move(1, position=3))),
        ("put scene 3 in second place", calls(move(3, position=2))),
        ("switch the title and the quote", calls(move(1, swap_with=2))),
        ("duplicate the list", calls(("duplicate_scene", {"scene": 3}))),
    ],
    "whole video": [
        ("make everything light", calls(("edit_scenes", {"background": "#ffffff"}))),
        ("use a monospace font everywhere", calls(("edit_scenes", {"font": "mono"}))),
        ("make all scenes slower", calls(("edit_scenes", {"speed": 1 / 1.5}))),
    ],
    "several asks": [
        (
            "add a quote: Be brave. Make it gold.",
            calls(add(template="quote", title="Be brave", background="#ffd700")),
        ),
        (
            "delete the list and make the quote red",
            calls(("delete_scene", {"scene": 3}), edit(2, background="#ff0000")),
        ),
    ],
    "typos": [
        ("make the txet of scene 1 red", calls(edit(1, color="#ff0000"))),
        ("swpa scenes 1 and 2", calls(move(1, swap_with=2))),
        ("duplciate scene 2", calls(("duplicate_scene", {"scene": 2}))),
    ],
    "intro, outro, countdown": [
        ("add an intro title saying Hello world", calls(add(title="Hello world"), *TO_THE_END)),
        ("add a 5 second countdown", calls(*[add(title=n, frames=30) for n in "54321"])),
    ],
}

# The third held-out set: 23/34 on its first run; it joined this table once the
# brain was fixed for its misses in general ways. The fourth, not tuned against,
# is tests/phrasings_held_out.py.
THIRD_HELD_OUT: dict[str, list[tuple[str, tuple]]] = {
    "greeting": [
        ("hey, how are you?", says("Hi!")),
        ("morning!", says("Hi!")),
    ],
    "what can you do": [
        ("what commands do you understand?", says("I can add 8 kinds of scene")),
        ("how do I use you?", says("I can add 8 kinds of scene")),
    ],
    "question": [
        ("how many scenes have I got?", says("3 scenes")),
        ("what's scene two?", says("Less is more")),
        ("what does the last scene show?", says("Speed")),
    ],
    "feature elsewhere": [
        ("how do I get the final video?", says("Export MP4")),
        ("can you render it?", says("Export MP4")),
    ],
    "cannot do": [
        ("add a gif", says("images")),
        ("record my screen", says("footage")),
        ("add a fade transition between scenes", says("transitions")),
    ],
    "vague": [
        ("make scene 1 more dynamic", calls(edit(1, accent="#ff3d00"))),
        ("can you make it look nicer?", calls(edit(2, accent="#ff3d00"))),
    ],
    "add": [
        ("add one more title: The End", calls(add(title="The End"))),
        ("add a list of features: speed, price, support", calls(add(template="bullets"))),
        ("I need a quote from Einstein: Imagination is everything", calls(add(template="quote"))),
    ],
    "edit": [
        ("make scene 2 text yellow", calls(edit(2, color="#ffff00"))),
        ("change the first scene's background to navy", calls(edit(1, background="#000080"))),
        ("put scene 1 in serif", calls(edit(1, font="serif"))),
        ("rename the quote to Keep going", calls(edit(2, title="Keep going"))),
    ],
    "durations": [
        ("scene 1 is too long, make it 3 seconds", calls(("trim_scene", {"scene": 1}))),
        (
            "cut scene 2 down to 2 seconds",
            calls(("trim_scene", {"scene": 2, "duration_frames": 60})),
        ),
        (
            "I want the video to be 24 seconds",
            calls(("set_video_length", {"duration_frames": 720})),
        ),
    ],
    "arrange": [
        ("move the quote up", calls(move(2, position=1))),
        ("put the title at the end", calls(move(1, position=3))),
        ("swap the last two scenes", calls(move(2, swap_with=3))),
    ],
    "whole video": [
        ("make all the scenes purple", calls(("edit_scenes", {"background": "#800080"}))),
        ("change the font everywhere to mono", calls(("edit_scenes", {"font": "mono"}))),
        ("speed everything up", calls(("edit_scenes", {"speed": 1.5}))),
    ],
    "several asks": [
        (
            "add a title saying Start, then a quote saying End",
            calls(add(title="Start"), add(template="quote", title="End")),
        ),
        (
            "make scene 1 blue and make it 2 seconds",
            calls(
                edit(1, background="#0000ff"), ("trim_scene", {"scene": 1, "duration_frames": 60})
            ),
        ),
    ],
    "typos": [
        ("make the qoute blue", calls(edit(2, background="#0000ff"))),
        ("add a lowr third for Ann, CFO", calls(add(title="Ann", subtitle="CFO"))),
    ],
}


PHRASINGS = merged(BUILT_WITH, FIRST_HELD_OUT, SECOND_HELD_OUT, THIRD_HELD_OUT)
