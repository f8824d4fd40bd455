"""Conversation: greetings, "what can you do?", questions about the project,
features elsewhere in the app, what it cannot do, and vague asks.

Everything it says about scenes is derived from scenes/catalog.py, so a new
template shows up in "what can you do?" without a word changed here.
"""

import re

from assistant.abilities import CANNOT, FEATURES
from assistant.decision import BrainContext, Decision, ToolCall
from scenes.catalog import TEMPLATES
from scenes.models import Scene
from scenes.render import FONTS, MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS, describe_duration

from . import phrases as P
from . import vocabulary as V
from .decisions import describe_new
from .patterns import HELP_LIST, REF, rx
from .references import count_scenes, resolve, touched_scene
from .replies import NO_SCENES, Unresolved, describe_speed, join_and, quoted

# --- What it can do, from the catalog --------------------------------------------------


def part_names(template) -> str:
    """ "the heading and the points": what a template's text parts are called."""
    names = []
    for part, what in template.parts.items():
        first = re.split(r"[,:(]", what)[0].strip()
        names.append(first if first.startswith(("the ", "a ")) else f"the {part}")
    return join_and(names)


def can_do() -> str:
    kinds = "\n".join(
        f"- {t.label} ({part_names(t)}): \u201c{t.example_request}\u201d" for t in TEMPLATES
    )
    fonts = join_and([V.FONT_LABELS[key] for key in FONTS])
    cannot = [what.split(":")[0] for _, what, _ in CANNOT[:4]]
    cannot = ", ".join(cannot[:-1]) + " or " + cannot[-1]
    return (
        f"I make videos out of scenes. I can add {len(TEMPLATES)} kinds of scene:\n{kinds}\n"
        "I can change any part of a scene by name (\u201cchange the heading of scene 3 to Why "
        "us\u201d, \u201cadd Price to the list\u201d), its background, text and accent colours "
        "(a colour name or #hex), its font "
        f"({fonts}), its speed ({describe_speed(MIN_SPEED)} to {describe_speed(MAX_SPEED)}) and "
        "how long it lasts; move, duplicate, swap or delete scenes; add an intro, an outro or a "
        "countdown; change every scene at once (\u201cmake every scene dark\u201d, \u201cmake the "
        "whole video 20 seconds\u201d); answer \u201chow long is the video?\u201d; and "
        "\u201cundo\u201d. Several asks in one message are fine.\n"
        f"I can't yet {cannot}."
    )


KINDS = [*V.TEMPLATE_BY_WORD, *(f"{word}s" for word in V.TEMPLATE_BY_WORD)]
REPHRASE_HELP = 'Ask "what can you do?" to see everything I understand.'


def said(text: str) -> str:
    """The text as a phrase table writes it: lower case, no end punctuation, straight
    quotes, and the apostrophe a contraction typed without one lacks ("whats")."""
    text = text.lower().replace("\u2019", "'").strip()
    text = re.sub(r"\b\w+\b", lambda m: P.CONTRACTIONS.get(m[0], m[0]), text)
    return " ".join(re.sub(r"[.!?,]+$", "", text).split())


THANKS = rx(r"^(?:thanks|thank\s+you|thx|cheers)(?:\s+\w+){0,3}$")
# "what can you do", "what commands do you understand", "which things can I ask for",
# "how do I use you": a question word, up to three words naming what, then who and a verb.
HELP = rx(
    r"^(?:what|which)\s+(?:else\s+)?(?!(?:fonts?|colou?rs?)\b)(?:[\w']+\s+){0,3}?(?:can|do|does|could|will|would)\s+"
    r"(?:you|this|this\s+app|the\s+assistant|i|we)\s+(?:do|help(?:\s+(?:me|us))?(?:\s+with)?"
    r"|support|make|understand|know|accept|handle|take|ask(?:\s+(?:you|for))?)"
    r"(?:\s+(?:here|for|with))?$"
    # "what are the things you can do", "what is it that you understand"
    r"|^(?:what|which)\s+(?:[\w']+\s+){1,4}?(?:that\s+)?(?:you|i|we)\s+(?:can|could|are\s+able\s+to)"
    r"\s+(?:do|make|change|understand|ask(?:\s+for)?|ask\s+you(?:\s+for)?)$"
    r"|^how\s+(?:do|can|should|would)\s+(?:i|we|you)\s+(?:use|work\s+with|talk\s+to|start\s+with)"
    r"\s+(?:you|this|it|this\s+app|the\s+assistant|the\s+app|the\s+chat)$"
)


# "what are you able to do?", "show me some examples", "what kind of things can I ask?"
HELP_WORDS = rx(
    r"^(?:what|which|how|show|tell|give)\b.*\b(?:you|this|i)\b.*"
    r"\b(?:able|capable|examples?|options|features|ask|help)\b|^(?:show|give)\s+(?:me\s+)?"
    r"(?:some\s+)?examples?$"
)


def greeting(text: str, context: BrainContext) -> Decision | None:
    words = said(text)
    if words in P.ACKS:
        return Decision(reply=f"OK. What should change next? {REPHRASE_HELP}")
    if words in P.THANKS or THANKS.match(words):
        return Decision(reply='You\'re welcome! Ask for the next change, or say "undo".')
    asked = re.sub(r"^(?:hi|hello|hey)[\s,]+", "", words)
    if asked in P.HELP or any(p.search(asked) for p in (HELP, HELP_WORDS, HELP_LIST)):
        return Decision(reply=can_do())
    first, _, chatter = said(context.text).partition(",")
    small_talk = first in P.GREETINGS and len(chatter.split()) <= P.GREETING_CHATTER_WORDS
    start = (
        'Start with for example "add a title scene that says Launch Day".'
        if not context.scenes
        else f"Your video has {count_scenes(len(context.scenes))}; what should change?"
    )
    if words in P.GREETINGS or said(context.text) in P.GREETINGS or small_talk:
        return Decision(reply=f"Hi! {start} {REPHRASE_HELP}")
    if re.split(r"[,.!?;:]", said(context.text))[0].strip() in P.GREETINGS:
        # "hey there! I'm making a launch video": greet, unless another rule reads it.
        raise Unresolved(f"Hi! {start} {REPHRASE_HELP}", soft=True)
    return None


# --- Questions about the project -------------------------------------------------------


def describe_scene(scene: Scene, fps: int) -> str:
    props = scene.props or {}
    what = describe_new({"title": "", "subtitle": "", "items": [], **props})
    if props.get("template") == "bullets" and props.get("items"):
        what += ": " + join_and([quoted(i) for i in props["items"]])
    own = " (drawn by its own code)" if scene.custom_code else ""
    return (
        f"Scene {scene.order} is {what}{own}, {describe_duration(scene.duration_frames, fps)}"
        f", in the {V.FONT_LABELS.get(props.get('font'), 'sans-serif')} font"
        f" at {describe_speed(float(props.get('speed', 1.0)))} speed."
    )


def total_frames(context: BrainContext) -> int:
    return sum(scene.duration_frames for scene in context.scenes)


DESCRIBE = rx(rf"^(?:{V.alternation(P.DESCRIBE_LEADS)})\s+{REF}(?:\s+(?:say|show|have))?\??$")


QUESTION_PATTERNS = [
    (
        "length",
        rx(
            r"^(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:(?:video|video's|total|whole)\s+)*"
            r"(?:length|duration|running\s+time)(?:\s+of\s+(?:the|my|this)\s+(?:whole\s+)?video)?$"
        ),
    ),
    (
        "length",
        rx(
            r"^how\s+long\s+is\s+(?:it|everything|the\s+(?:whole\s+)?video|my\s+video)"
            r"(?:\s+(?:in\s+total|altogether|overall|now|right\s+now))?$"
        ),
    ),
    ("count", rx(r"^how\s+many\s+(?:scenes|slides)\b.*$")),
    # "what colours do you support?", "which fonts are available?"
    ("fonts", rx(r"^(?:what|which)\s+(?:other\s+|kinds?\s+of\s+)?(?:fonts|typefaces)\b.*$")),
    ("colours", rx(r"^(?:what|which)\s+(?:other\s+|kinds?\s+of\s+)?colou?rs\b.*$")),
]
IS_THERE = rx(
    rf"^(?:is|are)\s+there\s+(?:a|an|any)\s+(?P<kind>{V.alternation(KINDS)})(?:\s+(?:scene|slide)s?)?"
    r"(?:\s+(?:in\s+(?:it|the\s+video)|yet))?$"
)
HOW_LONG = rx(rf"^how\s+long\s+(?:is|does)\s+{REF}(?:\s+(?:last|run|play))?\??$")


def question(text: str, context: BrainContext) -> Decision | None:
    words = said(text)
    kind = next((k for k, asks in P.QUESTIONS.items() if words in asks), None)
    kind = kind or next((k for k, pattern in QUESTION_PATTERNS if pattern.match(words)), None)
    fps = context.project.fps
    if kind and not context.scenes:
        return Decision(reply=NO_SCENES)
    if kind == "length":
        frames = total_frames(context)
        return Decision(
            reply=f"The video is {describe_duration(frames, fps)} long ({frames} frames at "
            f"{fps} fps) over {count_scenes(len(context.scenes))}."
        )
    if kind == "count":
        return Decision(
            reply=f"The video has {count_scenes(len(context.scenes))}, "
            f"{describe_duration(total_frames(context), fps)} in all."
        )
    if kind == "fonts":
        families = [f"{V.FONT_LABELS[key]} (like {FONTS[key].split(',')[0]})" for key in FONTS]
        return Decision(
            reply=f"The scenes show these fonts: {join_and(families)}. Name another well-known "
            "font (Georgia, Helvetica, Courier...) and I use the closest of these."
        )
    if kind == "colours":
        return Decision(
            reply=f"Any of the {len(V.CSS_COLOURS)} CSS colour names (navy, gold, tomato, teal, "
            "light blue...) or a hex code such as #1e3a8a, for the background, the text or the "
            'accent; or a theme for every scene: "make every scene dark" or "light".'
        )
    if kind == "list":
        return Decision(reply="\n".join(describe_scene(s, fps) for s in context.scenes))
    if match := IS_THERE.match(words):
        template = V.lookup(V.TEMPLATE_BY_WORD, match["kind"].rstrip("s")) or V.lookup(
            V.TEMPLATE_BY_WORD, match["kind"]
        )
        found = [s for s in context.scenes if (s.props or {}).get("template") == template]
        if not found:
            label = TEMPLATE_LABELS[template]
            example = next(t.example_request for t in TEMPLATES if t.key == template)
            return Decision(reply=f"No, there is no {label}; add one with \u201c{example}\u201d.")
        return Decision(reply="Yes. " + " ".join(describe_scene(s, fps) for s in found))
    if match := HOW_LONG.match(text.rstrip()):
        scene = resolve(match, context)
        return Decision(
            reply=f"Scene {scene.order} lasts {describe_duration(scene.duration_frames, fps)} "
            f"({scene.duration_frames} frames)."
        )
    if match := DESCRIBE.match(text.rstrip()):
        return Decision(reply=describe_scene(resolve(match, context), fps))
    return None


TOPIC = rx(
    rf"^(?:{V.alternation(P.TOPIC_VERBS)})\s+(?:me\s+)?(?:a|an|the|my)\s+(?:\w+\s+)?"
    rf"{V.alternation(P.VIDEO_WORDS)}\s+(?:about|for|on|of|called|titled)\s+(?P<topic>.+?)[.!?]*$"
)


def topic(text: str, context: BrainContext) -> Decision | None:
    """ "make a video about cats": a title card to start, and what to add next."""
    if not (match := TOPIC.match(text)):
        return None
    title = match["topic"].strip()
    title = re.sub(r"^(?:my|our|the|a|an)\s+", "", title, flags=re.I)
    title = title[:1].upper() + title[1:]
    return Decision(
        reply=f"I started with a title card reading {quoted(title)} as scene "
        f"{len(context.scenes) + 1}. Next, add for example a bullet list "
        "(\u201cadd a bullet list with fast, simple and free\u201d), a quote, a big number or "
        "a call to action (\u201cadd a call to action: Try it today\u201d); ask \u201cwhat can "
        "you do?\u201d for more.",
        tool="add_scene",
        args={"props": {"template": "title", "title": title}, "duration_frames": 150},
    )


# --- Elsewhere in the app, and what it cannot do -----------------------------------------


def contains(words: str, phrases: list[str]) -> bool:
    return bool(re.search(rf"(?<![\w-]){V.alternation(phrases)}(?![\w-])", words))


def feature(text: str, context: BrainContext) -> Decision | None:
    words = said(text)
    for asks, answer in FEATURES.values():
        if contains(words, asks):
            return Decision(reply=answer)
    return None


def cannot(text: str, context: BrainContext) -> Decision | None:
    words = said(text)
    for asks, what, nearest in CANNOT:
        if contains(words, asks):
            return Decision(reply=f"I can't {what}. The nearest I can do: {nearest}.")
    return None


# --- Vague asks ------------------------------------------------------------------------------


def vague_kind(words: str) -> str | None:
    """ "pop" or "calm" for a vague ask ("make it pop", "make it look nicer"), else None."""
    kind = next((k for k, asks in P.VAGUE.items() if words in asks), None)
    kind = kind or next((k for k, found in P.VAGUE_WORDS.items() if contains(words, found)), None)
    if kind is None and (match := VAGUE_LOOK.match(words)):
        kind = next((k for k, found in P.VAGUE_LOOKS.items() if match["how"] in found), None)
    return kind


# "make it look nicer", "can it be prettier": a verb, "it", then one word from P.VAGUE_LOOKS.
VAGUE_LOOK = rx(
    r"^(?:make|get|have|can|could)\s+(?:it|this|that)\s+(?:be\s+|look\s+|feel\s+|seem\s+)?"
    r"(?:a\s+(?:bit|little)\s+|much\s+|way\s+|more\s+|less\s+)*(?P<how>[\w-]+)$"
)


def vague(text: str, context: BrainContext) -> Decision | None:
    words, scenes = vague_target(said(text), context)
    kind = vague_kind(words)
    if kind is None:
        return None
    if not context.scenes:
        raise Unresolved(NO_SCENES)
    scenes = scenes or [touched_scene(context)]
    (accent, label), how = (P.POP_ACCENT, "faster") if kind == "pop" else (P.CALM_ACCENT, "gentler")
    calls = []
    for scene in scenes:
        speed = float((scene.props or {}).get("speed", 1.0))
        speed = (
            min(speed * V.FASTER, MAX_SPEED) if kind == "pop" else max(speed / V.FASTER, MIN_SPEED)
        )
        calls.append(
            ToolCall(
                "edit_scene", {"scene_id": scene.id, "props": {"accent": accent, "speed": speed}}
            )
        )
    who = f"scene {scenes[0].order}" if len(scenes) == 1 else f"all {len(scenes)} scenes"
    speeds = {describe_speed(call.args["props"]["speed"]) for call in calls}
    return Decision(
        reply=f"I gave {who} {label} accent and a {how} entrance "
        f"({' / '.join(sorted(speeds))} speed). For something else, say for example "
        "\u201cmake the background black\u201d, \u201cmake the text gold\u201d or "
        "\u201cuse a condensed font\u201d.",
        calls=tuple(calls),
    )


VAGUE_REF = rx(rf"^(?P<verb>\w+)\s+{REF}\s+(?P<rest>.+)$")
WHOLE = rx(rf"^(?P<verb>\w+)\s+{V.alternation(P.WHOLE_WORDS)}\s+(?P<rest>.+)$")


def vague_target(words: str, context: BrainContext) -> tuple[str, list[Scene]]:
    """ "make scene 1 pop" -> ("make it pop", [scene 1]); "make the video pop" -> every scene."""
    if match := WHOLE.match(words):
        return f"{match['verb']} it {match['rest']}", list(context.scenes)
    match = VAGUE_REF.match(words)
    if match and not match["it"] and context.scenes:
        rewritten = f"{match['verb']} it {match['rest']}"
        if vague_kind(rewritten):
            return rewritten, [resolve(match, context)]
    return words, []


# --- Unhappy, or not saying what ----------------------------------------------------------

DISLIKE = rx(rf"\b(?:{V.alternation(P.DISLIKES)})\b")
EXAMPLES = (
    "\u201cmake the background navy\u201d, \u201cmake it say Hello\u201d, \u201cmake it 3 "
    "seconds\u201d or \u201cuse a serif font\u201d"
)


def dislike(text: str, context: BrainContext) -> None:
    """ "I don't like it": no guess at what to change; undo, and how to say what."""
    if not DISLIKE.search(said(text)):
        return
    # Soft: the reply stands only when no other reading of the message (or of its
    # other asks, "I don't like it, make it blue") does something.
    raise Unresolved(
        "Sorry about that. I changed nothing; say \u201cundo\u201d to take back the last "
        f"change, or tell me what to change, for example {EXAMPLES}.",
        soft=True,
    )


def social(text: str) -> bool:
    """Only chat: a greeting, thanks, "ok", or "I don't like it"."""
    words = said(text)
    return (
        any(words in table for table in (P.GREETINGS, P.THANKS, P.ACKS))
        or bool(THANKS.match(words))
        or bool(DISLIKE.search(words) and not re.search(r"\d", words))
    )


EDIT_ONLY = rx(rf"^(?:{V.alternation(V.EDIT_VERBS)}|edit|fix|update|redo)\s+{REF}\s*[.!?]*$")


def what_to_change(text: str, context: BrainContext) -> None:
    """ "change scene 1": which scene is clear, what to change is not; say what can be."""
    if not (match := EDIT_ONLY.match(text)):
        return
    scene = resolve(match, context)
    n = scene.order
    examples = (
        f"\u201cmake the background of scene {n} navy\u201d, \u201cmake scene {n} say Hello\u201d, "
        f"\u201cmake scene {n} 3 seconds\u201d or \u201cuse a serif font for scene {n}\u201d"
    )
    raise Unresolved(  # soft, as in dislike: "switch scene 2 and scene 3" is a swap
        f"What should change about scene {scene.order} ({quoted(scene.name)})? I changed "
        f"nothing yet. Say for example {examples}.",
        soft=True,
    )
