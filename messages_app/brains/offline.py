"""The offline brain: understands plain requests with no network.

Every word it knows lives in vocabulary.py; this module only combines those
tables into patterns and turns a match into one Decision. Rules are tried in
order (RULES at the bottom); the first that understands the request answers.

What it cannot resolve (no such scene, an ambiguous reference, a value it does
not know) gets a reply saying what it needs, and no tool: it never guesses.

Choices on ambiguous wording, also stated in the tables:
- "make scene 2 red" / "make it red" colours the BACKGROUND; "make the text
  red" colours the text ("color" prop); "make the accent red" the accent.
- "faster" multiplies the speed by vocabulary.FASTER (1.5), "slower" divides
  by it; "twice as fast" doubles it, "twice as slow" halves it. A speed outside
  MIN_SPEED..MAX_SPEED is refused with the bounds, never clamped.
- "change the text of scene 1 to red" could mean the words or their colour, so
  it asks; "make the text red" colours it, "make the text say red" rewrites it.
- "it", "this scene" = the scene the latest change in the chat touched; if that
  scene is gone, it asks which scene (with only one scene and no earlier
  change, "it" is that scene).
"""

import math
import re
from functools import cache

from messages_app.orchestrator import BrainContext, Decision, decide_undo
from scenes.history import describe_undo
from scenes.models import Scene
from scenes.render import MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS, describe_duration
from scenes.tools import DURATION_BOUNDS as DURATION_BOUNDS  # re-exported: check_frames says it
from scenes.tools import duration_problem
from scenes.values import hex_colour, template_key

from . import vocabulary as V

DEFAULT_DURATION_FRAMES = 150

REPHRASE = (
    'I didn\'t understand that. Try for example: "add a title scene that says Launch Day", '
    '"change the text of scene 1 to Hello", "make scene 1 4 seconds long", '
    '"make scene 2 navy", "delete the last scene" or "undo".'
)
NO_SCENES = (
    'There are no scenes yet. Add one first, for example: "add a title scene that says Hello".'
)
WHICH_SCENE = 'Which scene do you mean? Say its number, for example "scene 2".'
ONE_THING = (
    "I can change how long a scene lasts or how it looks, but not both in one message; "
    "please ask for them one at a time."
)
NOTHING_TO_REDO = 'There is nothing to redo; say "undo" to revert the last change.'
NOWHERE = (
    "New scenes always go at the end of the video; I can't put one before or after "
    "another scene yet."
)

OPEN_QUOTES = "\"'\u201c\u2018"
CLOSE_QUOTES = "\"'\u201d\u2019"


class Unresolved(Exception):
    """A rule understood the request but cannot act; the reply says why.

    A soft one lets later rules try; it is only shown if none understands.
    """

    def __init__(self, reply: str, soft: bool = False):
        super().__init__(reply)
        self.reply = reply
        self.soft = soft


# --- Patterns built from the vocabulary -------------------------------------

A = V.alternation
FLAGS = re.I
ART = r"(?:(?:a|an|the)\s+)?"
END = r"(?=$|[\s,;:.!?])"

COLOUR = r"(?:#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|" + A(V.CSS_COLOURS, space=r"[\s-]?") + ")"
FONT = A(V.FONT_BY_WORD)
TEMPLATE = A(V.TEMPLATE_BY_WORD)
NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+|" + A(V.NUMBER_WORDS) + ")"
WHOLE_NUMBER_WORDS = [w for w, n in V.NUMBER_WORDS.items() if n == int(n) and w not in ("a", "an")]
UNIT = "(?:" + "|".join(sorted(map(re.escape, V.UNITS), key=len, reverse=True)) + r")\b"
DURATION = (
    # A minus sign is read so "-5 frames" gets the bounds, not "didn't understand".
    rf"(?P<minus>-\s*)?(?P<amount>{NUMBER})(?P<half>\s+and\s+a\s+half)?(?:\s*-\s*|\s*)(?P<unit>{UNIT})"
    r"(?P<half_after>\s+and\s+a\s+half)?"
)
DURATION_RE = re.compile(DURATION, FLAGS)

SPEED_WORD = A(V.SPEED_WORDS)
SPEED_NUMBER = (
    r"(?:(?:a\s+)?speed\s+(?:of\s+)?\d+(?:\.\d+)?x?|\d+(?:\.\d+)?\s*(?:x|×)(?:\s+speed)?)"
)
TIMES = rf"(?:{A(V.MULTIPLIERS)}|(?:\d+(?:\.\d+)?|{A(WHOLE_NUMBER_WORDS)})\s*(?:x|×|times)\b)"
SPEED_CHANGE = rf"(?:{A(V.SPEED_CHANGES)}|{TIMES}\s+{A(V.SPEED_TIMES)})"

BACKGROUND = A(V.BACKGROUND_WORDS)
TEXT_WORD = A(V.TEXT_WORDS)
ACCENT = A(V.ACCENT_WORDS)
FONT_NOUN = A(V.FONT_NOUNS)

NOUN = A(V.SCENE_NOUNS)
ORDINAL = rf"(?:{A(V.ORDINALS)}|\d+(?:st|nd|rd|th)\b)"
NAME_WORD = r"(?!(?:of|to|into|for|with|that|by|scene|slide)\b)[^\s]+"
REF = (
    r"(?:"
    rf"(?:the\s+)?(?:scene|slide)\s+(?:number\s+|no\.?\s*|\#\s*)?(?P<number>\d+|{A(WHOLE_NUMBER_WORDS)})\b"
    rf"|(?:the\s+)?(?:very\s+)?(?P<ordinal>{ORDINAL})\s+{NOUN}"
    rf"|the\s+(?:very\s+)?(?P<ordinal2>{ORDINAL})(?!\s+{NOUN})"
    rf"|(?:the\s+)?(?:very\s+)?(?P<from_end>{A(V.FROM_END)})\s+{NOUN}"
    rf"|the\s+(?:very\s+)?(?P<from_end2>{A(V.FROM_END)})(?!\s+{NOUN})"
    rf"|(?:the\s+)?(?P<relative>{A(V.RELATIVE)})\s+{NOUN}"
    rf"|(?P<it>{A(V.IT_WORDS)})"
    rf"|the\s+(?P<kind>{TEMPLATE})(?:\s+{NOUN})?\b"
    r"|(?:the\s+)?(?:scene|slide|one)\s+(?:that\s+says|that\s+reads|saying|reading|called|named"
    r"|titled|with\s+the\s+(?:text|title))\s+(?P<said>.+?)"
    rf"|the\s+(?P<named>{NAME_WORD}(?:\s+{NAME_WORD}){{0,7}}?)\s+(?:scene|slide)\b"
    r")"
)
FIELD = A(V.FIELDS)
LINK = A(V.VALUE_LINKS)
POSSESSIVE = r"(?:'s|\u2019s)?"
TAIL = r"\s*[.!?]*$"


def rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, FLAGS)


def forms(*pairs: tuple[str, str]) -> list[tuple[str, re.Pattern]]:
    """(prop, pattern with a group "v" holding the value) -> compiled, ending at a word end."""
    return [(prop, rx(f"(?:{pattern}){END}")) for prop, pattern in pairs]


# Options said with a preposition: safe to find before or after a scene's text.
PHRASE_OPTIONS = forms(
    ("background", rf"(?:on|over|against)\s+{ART}(?P<v>{COLOUR})(?:\s+{BACKGROUND})?"),
    ("background", rf"(?:with\s+)?{ART}(?P<v>{COLOUR})\s+{BACKGROUND}"),
    ("background", rf"(?:with\s+)?{ART}{BACKGROUND}\s+(?:in\s+|of\s+)?(?P<v>{COLOUR})"),
    ("color", rf"in\s+(?P<v>{COLOUR})(?:\s+{TEXT_WORD})?"),
    ("color", rf"(?:with\s+)?(?P<v>{COLOUR})\s+{TEXT_WORD}"),
    ("color", rf"(?:with\s+)?(?:the\s+)?{TEXT_WORD}\s+(?:in\s+)?(?P<v>{COLOUR})"),
    ("accent", rf"(?:with\s+)?{ART}(?P<v>{COLOUR})\s+{ACCENT}"),
    ("accent", rf"(?:with\s+)?{ART}{ACCENT}\s+(?:in\s+|of\s+)?(?P<v>{COLOUR})"),
    ("font", rf"(?:in|with|using|set\s+in)\s+{ART}(?P<v>{FONT})(?:\s+{FONT_NOUN})?"),
    ("font", rf"(?:with\s+)?{ART}(?P<v>{FONT})\s+{FONT_NOUN}"),
    ("speed", rf"at\s+{ART}(?P<v>{SPEED_WORD}|{SPEED_NUMBER})"),
    ("duration", rf"(?:for|lasting|that\s+lasts|which\s+lasts)\s+(?P<v>{DURATION})"),
    ("duration", rf"(?P<v>{DURATION})\s+long"),
)
# Bare words: "a red serif title card", "make scene 2 red".
WORD_OPTIONS = forms(
    ("background", rf"(?P<v>{COLOUR})"),
    ("font", rf"(?P<v>{FONT})"),
    ("speed", rf"(?P<v>{SPEED_WORD})"),
    ("duration", rf"(?P<v>{DURATION})"),
)
# Only as the new value of an existing scene: "turn it into a quote", "make it faster".
CHANGE_OPTIONS = forms(
    ("template", rf"{ART}(?P<v>{TEMPLATE})(?:\s+(?:scene|slide|card))?"),
    ("speed_change", rf"(?P<v>{SPEED_CHANGE})"),
    ("speed", rf"(?P<v>{SPEED_NUMBER})"),
)
EDIT_OPTIONS = PHRASE_OPTIONS + WORD_OPTIONS + CHANGE_OPTIONS
LOOK_OPTIONS = [(p, f) for p, f in PHRASE_OPTIONS + WORD_OPTIONS if p != "duration"]
SEPARATOR = rx(r"\s*(?:,\s*)?(?:(?:and|&|with)\s+)?")
TRAILING_SEPARATOR = r"(?:^|\s*,\s*|\s+)(?:(?:and|&)\s+)?"


POLITE_PREFIX = rx(rf"^{A(V.POLITE_PREFIXES)}[\s,]+")
POLITE_SUFFIX = rx(
    rf"(?:[\s,]+{A(V.POLITE_SUFFIXES)}|\s*,\s*{A(V.POLITE_AFTER_COMMA)})\s*([.!?]*)$"
)


# --- Small parsers ------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


def strip_polite(text: str) -> str:
    """Drop "please", "can you" ... at either end, and the "?" a question ends with."""
    asked = False
    while (found := POLITE_PREFIX.match(text)) and found.end() < len(text):
        asked = True
        text = text[found.end() :]
    while found := POLITE_SUFFIX.search(text):
        text = text[: found.start()] + found.group(1)
    if asked:
        text = text.rstrip("?")
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.strip()


def clean_text(text: str) -> str:
    """Text for a scene: quoted text exactly as typed, else with a capital first letter."""
    text = text.strip().strip(",;").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    if len(text) >= 2 and text[0] in OPEN_QUOTES and text[-1] in CLOSE_QUOTES:
        return text[1:-1].strip()
    return text[:1].upper() + text[1:]


def bare(value: str) -> str:
    """A value without end punctuation or a leading "be" ("to be red")."""
    return re.sub(r"^be\s+", "", value.strip().rstrip(".!?").strip(), flags=FLAGS)


def colour_hex(text: str) -> tuple[str, str] | None:
    """("#rrggbb", label) for a colour name or hex code, else None."""
    text = bare(text)
    text = re.sub(r"^(?:a|an|the)\s+", "", text, flags=FLAGS)
    text = re.sub(r"\s+(?:colou?r|one)$", "", text, flags=FLAGS)
    if re.fullmatch(r"#[0-9a-f]{6}", code := hex_colour(text)):
        return code, code
    squeezed = re.sub(r"[\s-]+", "", text.lower())
    if squeezed not in V.COLOUR_HEX:
        return None
    return V.COLOUR_HEX[squeezed], V.COLOUR_NAMES[squeezed]


def font_key(text: str) -> str | None:
    text = re.sub(r"^(?:a|an|the)\s+", "", bare(text), flags=FLAGS)
    text = re.sub(rf"\s+{FONT_NOUN}$", "", text, flags=FLAGS)
    return V.lookup(V.FONT_BY_WORD, text)


def template_of(text: str) -> str | None:
    return template_key(bare(text), V.TEMPLATE_BY_WORD)


def spoken_number(text: str) -> float:
    """ "2.5" -> 2.5, "two" -> 2, "a" -> 1, "twice" -> 2 (a very long number is inf)."""
    text = squash(text).lower()
    if text in V.NUMBER_WORDS:
        return V.NUMBER_WORDS[text]
    if text in V.MULTIPLIERS:
        return V.MULTIPLIERS[text]
    return float(text)


def duration_frames(text: str, fps: int) -> float | None:
    """The frames a duration phrase says, not yet rounded or checked (check_frames does)."""
    found = DURATION_RE.fullmatch(bare(text))
    if not found:
        return None
    amount = spoken_number(found["amount"])
    if found["half"] or found["half_after"]:
        amount += 0.5
    if found["minus"]:
        amount = -amount
    seconds = V.UNITS[found["unit"].lower()]
    return amount if seconds is None else amount * seconds * fps


def times_value(text: str) -> float:
    """ "twice" -> 2, "3x" -> 3, "three times" -> 3."""
    return spoken_number(re.sub(r"\s*(?:x|×|times)$", "", squash(text), flags=FLAGS))


def speed_value(text: str, current: float, loose: bool = False) -> float | None:
    """The speed a phrase asks for, absolute ("fast", "2x") or relative ("faster")."""
    text = squash(bare(text)).lower()
    text = re.sub(r"^at\s+(?:a\s+)?", "", text)
    if text in V.SPEED_WORDS:
        return V.SPEED_WORDS[text]
    if text in V.SPEED_CHANGES:
        return current * V.SPEED_CHANGES[text]
    if found := re.fullmatch(rf"(?P<times>{TIMES})\s+(?P<way>{A(V.SPEED_TIMES)})", text, FLAGS):
        factor = times_value(found["times"])
        return current * factor if V.SPEED_TIMES[squash(found["way"])] > 0 else current / factor
    number = r"(\d+(?:\.\d+)?)"
    strict = rf"(?:speed\s+(?:of\s+)?{number}x?|{number}\s*(?:x|×)(?:\s+speed)?)"
    if found := re.fullmatch(strict, text):
        return float(next(g for g in found.groups() if g))
    if loose:
        if found := re.fullmatch(rf"{number}(?:\s*(?:x|×|times))?", text):
            return float(found[1])
        if text in V.MULTIPLIERS:
            return current * V.MULTIPLIERS[text]
    return None


def split_items(text: str) -> list[str]:
    """ "speed, privacy and price" -> ["Speed", "Privacy", "Price"]; quoted items kept whole."""
    pieces = re.findall(r"[\"\u201c][^\"\u201d]*[\"\u201d]|[^,;]+", text)
    items = []
    for piece in pieces:
        piece = piece.strip()
        if piece[:1] in OPEN_QUOTES:
            items.append(piece)
            continue
        items.extend(re.split(r"\s+(?:and|&)\s+|^(?:and|&)\s+", piece, flags=FLAGS))
    return [clean_text(item) for item in items if item and item.strip(" .")]


def peel_leading(text: str, options: list) -> tuple[list[tuple[str, str]], str]:
    """Options at the start of the text, and what follows them."""
    found_options = []
    position = 0
    while True:
        start = SEPARATOR.match(text, position).end() if found_options else position
        matches = [(prop, m) for prop, pattern in options if (m := pattern.match(text, start))]
        if not matches:
            break
        prop, best = max(matches, key=lambda pm: pm[1].end())
        found_options.append((prop, best["v"]))
        position = best.end()
    return found_options, text[position:].strip()


def parse_all(text: str, options: list) -> list[tuple[str, str]] | None:
    """Options filling the whole text, or None if anything else is left over."""
    found_options, rest = peel_leading(text.strip(), options)
    return found_options if found_options and not bare(rest) else None


def peel_trailing(text: str, options: list) -> tuple[str, list[tuple[str, str]]]:
    """Text without the options said after it ("Hi in orange for 3 seconds")."""
    found_options = []
    while True:
        matches = []
        for prop, pattern in options:
            if (m := at_end(pattern).search(text)) and m.start() > 0:
                matches.append((prop, m))
        if not matches:
            return text, found_options
        prop, last = min(matches, key=lambda pm: pm[1].start())
        found_options.insert(0, (prop, last["v"]))
        text = text[: last.start()]


@cache
def at_end(pattern: re.Pattern) -> re.Pattern:
    """The option pattern, said last: ", in orange" at the end of the text."""
    return rx(rf"{TRAILING_SEPARATOR}(?:{pattern.pattern})\s*[.!]?$")


def split_quoted(text: str) -> tuple[str, str] | None:
    """A quoted text at the start and whatever follows it."""
    found = re.match(r"([\"'\u201c\u2018])(.+?)([\"'\u201d\u2019])(?=$|[\s,;.!?])", text)
    return (found.group(0), text[found.end() :]) if found else None


# --- Scene references ---------------------------------------------------------


def count_scenes(n: int) -> str:
    return f"{n} scene" + ("s" if n != 1 else "")


def by_number(number: int, context: BrainContext) -> Scene:
    scenes = context.scenes
    if not 1 <= number <= len(scenes):
        raise Unresolved(
            f"There is no scene {number}; this project has {count_scenes(len(scenes))}."
        )
    return scenes[number - 1]


def touched_scene(context: BrainContext) -> Scene:
    """The scene the latest change in the chat touched ("it", "this scene")."""
    for message in reversed(context.history):
        if message.role == "assistant" and message.status == "success" and message.tool:
            scene = next((s for s in context.scenes if s.id == message.scene_id), None)
            if scene is None:
                raise Unresolved(WHICH_SCENE)
            return scene
    if len(context.scenes) == 1:
        return context.scenes[0]
    raise Unresolved(WHICH_SCENE)


def plural_label(template: str) -> str:
    return V.TEMPLATE_PLURALS.get(template, TEMPLATE_LABELS[template] + "s")


def scene_numbers(scenes: list[Scene]) -> str:
    return join_and([str(s.order) for s in scenes])


def by_words(words: str, context: BrainContext) -> Scene:
    """The one scene whose text contains the words ("the Launch Day scene")."""
    wanted = clean_text(words).casefold()

    def texts(scene: Scene) -> list[str]:
        props = scene.props or {}
        return [str(props.get("title", "")), str(props.get("subtitle", "")), scene.name]

    exact = [s for s in context.scenes if any(t.casefold() == wanted for t in texts(s))]
    found = exact or [s for s in context.scenes if any(wanted in t.casefold() for t in texts(s))]
    if not found:
        raise Unresolved(
            f"I can't find a scene with \u201c{clean_text(words)}\u201d in it. "
            'Say its number, for example "scene 2".',
            soft=True,
        )
    if len(found) > 1:
        raise Unresolved(
            f"Which one do you mean? Scenes {scene_numbers(found)} all mention "
            f"\u201c{clean_text(words)}\u201d; say its number, for example "
            f'"scene {found[0].order}".'
        )
    return found[0]


def by_template(word: str, context: BrainContext) -> Scene:
    template = V.lookup(V.TEMPLATE_BY_WORD, word)
    label = TEMPLATE_LABELS[template]
    found = [s for s in context.scenes if (s.props or {}).get("template", "title") == template]
    if len(found) == 1:
        return found[0]
    if not found:
        try:
            return by_words(word, context)
        except Unresolved:
            raise Unresolved(f"There is no {label} in this project.") from None
    raise Unresolved(
        f"Which {label} do you mean? Scenes {scene_numbers(found)} are {plural_label(template)}; "
        f'say its number, for example "scene {found[0].order}".'
    )


def resolve(match: re.Match, context: BrainContext) -> Scene:
    """The scene a reference names; raises Unresolved saying why there is none."""
    scenes = context.scenes
    if not scenes:
        raise Unresolved(NO_SCENES)
    if number := match["number"]:
        return by_number(int(number) if number.isdigit() else int(spoken_number(number)), context)
    if ordinal := match["ordinal"] or match["ordinal2"]:
        digits = re.match(r"\d+", ordinal)
        return by_number(int(digits[0]) if digits else V.lookup(V.ORDINALS, ordinal), context)
    if from_end := match["from_end"] or match["from_end2"]:
        index = len(scenes) - 1 - V.lookup(V.FROM_END, from_end)
        if index < 0:
            raise Unresolved(
                f"There is no {squash(from_end).lower()} scene; "
                f"this project has {count_scenes(len(scenes))}."
            )
        return scenes[index]
    if relative := match["relative"]:
        base = touched_scene(context)
        step = V.lookup(V.RELATIVE, relative)
        if not 1 <= base.order + step <= len(scenes):
            where = "before" if step < 0 else "after"
            raise Unresolved(f"There is no scene {where} scene {base.order}.")
        return by_number(base.order + step, context)
    if match["it"]:
        return touched_scene(context)
    if match["kind"]:
        return by_template(match["kind"], context)
    return by_words(match["said"] or match["named"], context)


# --- Replies ------------------------------------------------------------------


def join_and(parts: list[str]) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def describe_speed(speed: float) -> str:
    return f"{round(speed, 2):g}x"


def describe_items(items: list[str]) -> str:
    return join_and([quoted(i) for i in items])


def check_frames(frames: float, context: BrainContext) -> int:
    """The frames, rounded; a duration out of bounds (or too big to count) is refused."""
    if problem := duration_problem(context.project.fps, frames):
        raise Unresolved(problem)
    return round(frames)


def check_speed(speed: float, whose: str) -> float:
    if not MIN_SPEED <= round(speed, 6) <= MAX_SPEED:
        raise Unresolved(
            f"That would make {whose} play at {describe_speed(speed)}; speeds run from "
            f"{describe_speed(MIN_SPEED)} to {describe_speed(MAX_SPEED)}."
        )
    return speed


def edit_phrases(props: dict, labels: dict) -> list[tuple[str, str]]:
    """(verb, object) pairs describing the props an edit sets."""
    phrases = []
    for prop, value in props.items():
        verb, template = V.EDIT_PHRASES[prop]
        label = labels.get(prop, "")
        words = {
            "text": quoted(value) if isinstance(value, str) else "",
            "items": describe_items(value) if isinstance(value, list) else "",
            "colour": label,
            "article": article(label or TEMPLATE_LABELS.get(str(value), "")),
            "font": V.FONT_LABELS.get(str(value), ""),
            "speed": describe_speed(value) if prop == "speed" else "",
            "label": TEMPLATE_LABELS.get(str(value), ""),
        }
        phrases.append((verb, template.format(**words)))
    return phrases


def edit_sentence(scene: Scene, props: dict, labels: dict) -> str:
    """ "Scene 2 now has a red background and uses the serif font." """
    grouped: dict[str, list[str]] = {}
    for verb, thing in edit_phrases(props, labels):
        grouped.setdefault(verb, []).append(thing)
    clauses = []
    for verb, things in grouped.items():
        if not clauses:
            verb = "is now" if verb == "is" else f"now {verb}"
        clauses.append(f"{verb} {join_and(things)}")
    return f"Scene {scene.order} {join_and(clauses)}."


# --- Decisions ------------------------------------------------------------------


def options_to_props(
    found: list[tuple[str, str]], context: BrainContext, scene: Scene | None
) -> tuple[dict, dict, int | None]:
    """(props, labels for the reply, frames or None) from parsed options."""
    props: dict = {}
    labels: dict = {}
    frames = None
    current = float((scene.props or {}).get("speed", 1.0)) if scene else 1.0
    for prop, text in found:
        if prop in ("background", "color", "accent"):
            props[prop], labels[prop] = colour_hex(text)
        elif prop == "font":
            props["font"] = font_key(text)
        elif prop == "template":
            props["template"] = template_of(text)
        elif prop in ("speed", "speed_change"):
            props["speed"] = speed_value(text, current)
        elif prop == "duration":
            frames = duration_frames(text, context.project.fps)
    if None in props.values():
        raise Unresolved(REPHRASE)
    if "speed" in props:
        whose = f"scene {scene.order}" if scene else "the new scene"
        props["speed"] = check_speed(props["speed"], whose)
    if frames is not None:
        frames = check_frames(frames, context)
    return props, labels, frames


def edit_decision(scene: Scene, props: dict, labels: dict) -> Decision:
    reply = edit_sentence(scene, props, labels)
    if scene.custom_code:
        label = TEMPLATE_LABELS[props.get("template") or scene.props["template"]]
        reply += f" It is drawn as a {label} now, in place of the code the model wrote for it."
    template = props.get("template")
    items = (scene.props or {}).get("items") or props.get("items")
    if template and V.TEMPLATE_CONTENT[template] == "list" and not items:
        reply += (
            f' It has no items yet; say for example "change the items of scene {scene.order} '
            'to A, B and C".'
        )
    return Decision(
        reply=reply, tool="edit_scene", args={"scene_id": scene.id, "props": dict(props)}
    )


def trim_decision(scene: Scene, frames: float, context: BrainContext) -> Decision:
    frames = check_frames(frames, context)
    return Decision(
        reply=f"Scene {scene.order} now lasts {describe_duration(frames, context.project.fps)}.",
        tool="trim_scene",
        args={"scene_id": scene.id, "duration_frames": frames},
    )


def options_decision(found: list[tuple[str, str]], scene: Scene, context: BrainContext):
    props, labels, frames = options_to_props(found, context, scene)
    if frames is not None and props:
        raise Unresolved(ONE_THING)
    if frames is not None:
        return trim_decision(scene, frames, context)
    return edit_decision(scene, props, labels)


def field_decision(
    field: str, link: str | None, value: str, scene: Scene, context: BrainContext
) -> Decision | None:
    """An edit that names the field: "the text of scene 1 to Hello"."""
    prop = V.lookup(V.FIELDS, field)
    link = squash(link).lower() if link else None
    if prop in ("title", "subtitle"):
        colour = colour_hex(value)
        if link in V.SAY_LINKS or (link and not colour):
            return edit_decision(scene, {prop: clean_text(value)}, {})
        if colour and link:
            raise Unresolved(
                f"Do you mean the words or their colour? Say for example "
                f'"make the text of scene {scene.order} {colour[1]}" or '
                f'"change the text of scene {scene.order} to say {clean_text(value)}".',
                soft=True,
            )
        if colour:
            prop = V.TEXT_FIELDS_COLOURED_BY[prop]
            return edit_decision(scene, {prop: colour[0]}, {prop: colour[1]})
        return None
    if prop == "items":
        if not link:
            return None
        items = split_items(value)
        return edit_decision(scene, {"items": items}, {}) if items else None
    if prop in ("background", "color", "accent"):
        colour = colour_hex(value)
        if colour is None:
            raise Unresolved(
                f"I don't know the colour {quoted(bare(value))}. Use a CSS colour name such as "
                '"navy" or a hex code such as "#1e3a8a".',
                soft=True,
            )
        return edit_decision(scene, {prop: colour[0]}, {prop: colour[1]})
    if prop == "font":
        key = font_key(value)
        if key is None:
            raise Unresolved(
                f"I don't know the font {quoted(bare(value))}; choose one of: "
                + ", ".join(V.FONT_LABELS.values())
                + ".",
                soft=True,
            )
        return edit_decision(scene, {"font": key}, {})
    if prop == "speed":
        speed = speed_value(value, float((scene.props or {}).get("speed", 1.0)), loose=True)
        if speed is None:
            raise Unresolved(
                'Say a speed such as "2x", "faster" or "half speed"; speeds run from '
                f"{describe_speed(MIN_SPEED)} to {describe_speed(MAX_SPEED)}.",
                soft=True,
            )
        return edit_decision(scene, {"speed": check_speed(speed, f"scene {scene.order}")}, {})
    if prop == "template":
        key = template_of(value)
        if key is None:
            raise Unresolved(
                f"There is no {quoted(bare(value))} template; there are: "
                + ", ".join(TEMPLATE_LABELS.values())
                + ".",
                soft=True,
            )
        return edit_decision(scene, {"template": key}, {})
    if prop == "duration":
        frames = duration_frames(value, context.project.fps)
        if frames is None:
            raise Unresolved('How long? Say for example "4 seconds" or "90 frames".', soft=True)
        return trim_decision(scene, frames, context)
    return None


# --- Add ---------------------------------------------------------------------------


BIG_NUMBER = (
    r"[-+~]?[$€£¥]?\d(?:[\d,.]*\d)?"
    r"(?:%|\+|x\b|[kmb]\b|bn\b|\s(?:thousand|million|billion)\b)?\+?"
)
CAPTION = (
    rf"(?:\s*,?\s*(?:(?:with|and)\s+)?(?:(?:the|a)\s+)?{A(V.CAPTION_WORDS)}\s*[:=]?\s*"
    r"|\s*[,:-]?\s*)"
)


def content_props(template: str, content: str) -> dict:
    """title / subtitle / items for a new scene, from its text, by template shape."""
    shape = V.TEMPLATE_CONTENT[template]
    if shape == "list":
        return {"items": split_items(content)}
    if shape == "pair":
        parts = re.split(r"\s+(?:vs\.?|versus|against|or)\s+", content, flags=FLAGS)
        if len(parts) < 2:
            parts = re.split(r"\s+(?:and|&)\s+|\s*,\s*", content, flags=FLAGS)
        sides = [clean_text(p) for p in parts if p.strip()]
        return {"title": sides[0], "subtitle": sides[1]} if len(sides) == 2 else {}
    if shape == "number":
        found = re.fullmatch(
            rf"(?:(?:of|at|showing)\s+)?(?P<n>{BIG_NUMBER}){CAPTION}(?P<rest>.*)", content, FLAGS
        )
        if not found:
            return {}
        rest = found["rest"].strip()
        return {"title": found["n"], "subtitle": clean_text(rest) if rest else ""}
    if shape == "person":
        parts = re.split(r"\s*,\s*|\s+[-\u2013\u2014]\s+|\s*\(", content, maxsplit=1)
        role = parts[1].strip().rstrip(")") if len(parts) == 2 else ""
        return {"title": clean_text(parts[0]), "subtitle": clean_text(role) if role else ""}
    if shape == "quote":
        if split := split_quoted(content):
            said, rest = split
            who = re.match(r"\s*(?:[-\u2013\u2014]\s*|,?\s*by\s+)(?P<who>.+)$", rest, FLAGS)
            if who or not bare(rest):
                return {
                    "title": clean_text(said),
                    "subtitle": clean_text(who["who"]) if who else "",
                }
        if found := re.fullmatch(
            r"(?P<q>.+?)\s+[-\u2013\u2014]+\s*(?P<who>[^-\u2013\u2014]+)", content
        ):
            return {"title": clean_text(found["q"]), "subtitle": clean_text(found["who"])}
        return {"title": clean_text(content)}
    # "text": a title, maybe "... with the subtitle X".
    parts = re.split(
        r",?\s+(?:with|and)\s+(?:the\s+|a\s+)?(?:subtitle|tagline|caption)\s*[:=]?\s*",
        content,
        maxsplit=1,
        flags=FLAGS,
    )
    props = {"title": clean_text(parts[0])}
    if len(parts) == 2:
        props["subtitle"] = clean_text(parts[1])
    return props


def describe_new(props: dict) -> str:
    """ "a title card reading “Launch Day”", "a bullet list with 3 items" ..."""
    template = props["template"]
    items = props.get("items", [])
    phrase = V.NEW_SCENE_PHRASES[template].format(
        title=quoted(props.get("title", "")),
        subtitle=quoted(props.get("subtitle", "")),
        items=describe_items(items),
        count=f"{len(items)} item" + ("s" if len(items) != 1 else ""),
    )
    if props.get("subtitle") and "{subtitle}" not in V.NEW_SCENE_PHRASES[template]:
        phrase += V.SUBTITLE_PHRASES[template].format(
            subtitle=quoted(props["subtitle"]), plain=props["subtitle"]
        )
    return phrase


def ask_for_content(template: str) -> Unresolved:
    label = TEMPLATE_LABELS[template]
    return Unresolved(
        f'What should the new {label} show? For example: "{V.TEMPLATE_EXAMPLES[template]}".'
    )


ADD_RE = rx(
    rf"^(?:{A([v for v in V.ADD_VERBS if v != 'make'])}\s+(?:{A(V.ADD_ARTICLES)}\s+)?"
    rf"|make\s+{A(V.ADD_ARTICLES)}\s+|(?={A(V.NEW_WORDS)}))(?P<rest>.+)$"
)
HEAD_FILLER = rx(rf"{A(V.ADD_FILLERS)}[\s,]*")
HEAD = rx(rf"(?P<t>{TEMPLATE})?(?:\s*(?P<noun>{A(V.SCENE_WORDS)}))?(?=$|[\s:,;.!?\-\u2013\u2014])")
LEAD_AT_START = rx(rf"^(?:{A(V.STRONG_LEADS + V.WEAK_LEADS)})\s*")
STRONG_LEAD = rx(rf"(?:^|\s*)(?:{A(V.STRONG_LEADS)})\s*")
POSITION = rx(rf"(?:^|\s){A(V.POSITION_WORDS)}")


def add(text: str, context: BrainContext) -> Decision | None:
    match = ADD_RE.match(text)
    if not match:
        return None
    rest = match["rest"].strip()
    found: list[tuple[str, str]] = []
    while True:  # "a new red 3-second title card": fillers and adjectives first
        if filler := HEAD_FILLER.match(rest):
            rest = rest[filler.end() :]
            continue
        words, after = peel_leading(rest, WORD_OPTIONS)
        if not words or after == rest:
            break
        found += words
        rest = after
    head = HEAD.match(rest)
    if not head or not (head["t"] or head["noun"]):
        return None
    template = template_of(head["t"]) if head["t"] else "title"
    body = rest[head.end() :].strip()
    if POSITION.match(body):
        raise Unresolved(NOWHERE)
    before, body = peel_leading(body, PHRASE_OPTIONS)
    found += before
    if lead := LEAD_AT_START.match(body):
        content = body[lead.end() :]
    elif lead := STRONG_LEAD.search(body):
        zone = body[: lead.start()]
        if POSITION.search(zone):
            raise Unresolved(NOWHERE)
        zone_options = parse_all(zone, PHRASE_OPTIONS + WORD_OPTIONS)
        if zone_options is None:
            return None
        found += zone_options
        content = body[lead.end() :]
    else:
        content = body
    split = split_quoted(content.strip())
    after_quote = parse_all(split[1].lstrip(" ,"), PHRASE_OPTIONS) if split else None
    if split and (after_quote is not None or not bare(split[1])):
        content = split[0]
        found += after_quote or []
    else:
        content, after = peel_trailing(content, PHRASE_OPTIONS)
        found += after
    if not bare(content):
        raise ask_for_content(template)
    props = content_props(template, content)
    if not (props.get("items") or props.get("title")):
        raise ask_for_content(template)
    style, labels, frames = options_to_props(found, context, None)
    frames = DEFAULT_DURATION_FRAMES if frames is None else frames
    props = {"template": template, **props, **style}
    details = [thing for _, thing in edit_phrases(style, labels)]
    reply = (
        f"Added scene {len(context.scenes) + 1}, {describe_new(props)}, "
        f"{describe_duration(frames, context.project.fps)}"
        + (f", with {join_and(details)}" if details else "")
        + "."
    )
    return Decision(reply=reply, tool="add_scene", args={"props": props, "duration_frames": frames})


# --- Undo -------------------------------------------------------------------------


def undo(text: str, context: BrainContext) -> Decision | None:
    """ "undo that", "revert", "redo"...: what undo does is scenes.history's to say."""
    said = squash(text).lower().rstrip(".!?")
    if said not in V.UNDO_PHRASES and said not in V.REDO_PHRASES:
        return None
    # Undo reverts the latest change; when that was itself an undo, it redoes
    # what that one reverted. "redo" is only that second case.
    if said in V.REDO_PHRASES and not (describe_undo(context.project) or "").startswith("Redid"):
        return Decision(reply=NOTHING_TO_REDO)
    return decide_undo(context.project)


# --- Rules --------------------------------------------------------------------------

EDIT_VERB = A(V.EDIT_VERBS)
DURATION_GROUP = rf"(?P<d>{DURATION})"
TRIM_LINK = r"(?:(?:to\s+be|to\s+last|to\s+run\s+for|to\s+run|to|be|last|run\s+for|run)\s+)?"

TRIM_TO = rx(
    rf"^{A(V.TRIM_VERBS)}\s+{REF}{POSSESSIVE}(?:\s+(?:duration|length))?\s+{TRIM_LINK}"
    rf"(?:for\s+)?(?:exactly\s+)?{DURATION_GROUP}(?:\s+(?:long|in\s+length))?{TAIL}"
)
LONGER = A(V.LONGER_SHORTER)
TRIM_BY = [
    # "make it 2 seconds longer"
    rx(rf"^(?:make|have)\s+{REF}\s+(?:last\s+)?{DURATION_GROUP}\s+(?P<dir>{LONGER}){TAIL}"),
    # "make scene 2 shorter by 1 second"
    rx(rf"^(?:make|have)\s+{REF}\s+(?P<dir>{LONGER})\s+by\s+{DURATION_GROUP}{TAIL}"),
    # "extend scene 1 by 2 seconds"
    rx(rf"^(?P<verb>{A(V.TRIM_BY_VERBS)})\s+{REF}\s+by\s+{DURATION_GROUP}{TAIL}"),
    # "add 2 seconds to scene 1", "take a second off the last scene"
    rx(
        rf"^(?P<verb>{A(V.TRIM_ADD_VERBS)})\s+(?:another\s+|an\s+extra\s+)?{DURATION_GROUP}"
        rf"\s+(?:more\s+|extra\s+)?(?:to|onto|from|off(?:\s+of)?)\s+{REF}{TAIL}"
    ),
]
TRIM_TIMES = rx(rf"^(?:make|have)\s+{REF}\s+(?P<times>{TIMES})\s+as\s+(?P<dir>long|short){TAIL}")
TRIM_VAGUE = [
    rx(rf"^(?:make|have)\s+{REF}\s+(?:a\s+(?:bit|little)\s+|much\s+|a\s+lot\s+)?{LONGER}{TAIL}"),
    rx(rf"^(?:shorten|lengthen|extend)\s+{REF}{TAIL}"),
]
DELETE_ALL = rx(rf"^{A(V.DELETE_VERBS)}\s+{A(V.DELETE_ALL)}{TAIL}")
DELETE = rx(rf"^{A(V.DELETE_VERBS)}\s+{REF}{TAIL}")
SPEED_VERB = rx(
    rf"^(?P<verb>{A(V.SPEED_VERBS)})(?:\s+{REF})?(?:\s+(?P<degree>{A(V.SPEED_DEGREES)}))?{TAIL}"
)
RENAME = rx(rf"^{A(V.RENAME_VERBS)}\s+{REF}(?:\s+(?:(?:to|as)(?:\s+|$))?(?P<value>.*))?$")
LINK_HEAD = rf"(?:\s+(?P<link>{LINK}))?"
LINK_START = rx(rf"(?:{LINK}|of)\s")
FIELD_OF_REF = rx(
    rf"^{EDIT_VERB}\s+(?:the\s+)?(?P<field>{FIELD})\s+(?:of|in|on|for)\s+{REF}{LINK_HEAD}"
)
REFS_FIELD = rx(rf"^{EDIT_VERB}\s+{REF}{POSSESSIVE}\s+(?P<field>{FIELD}){LINK_HEAD}")
FIELD_ONLY = rx(rf"^{EDIT_VERB}\s+(?:the\s+|its\s+)?(?P<field>{FIELD}){LINK_HEAD}")
REF_HEAD = rx(rf"^{EDIT_VERB}\s+{REF}{LINK_HEAD}")
VALUE_TO_REF = rx(rf"^(?:give|add|put|apply)\s+(?P<value>.+?)\s+(?:to|on|for)\s+{REF}{TAIL}")
USE = rx(rf"^use\s+(?P<value>.+?)(?:\s+(?:for|in|on)\s+{REF})?{TAIL}")

REF_GROUPS = ("number", "ordinal", "ordinal2", "from_end", "from_end2", "relative", "it")
REF_GROUPS += ("kind", "said", "named")


def scene_of(match: re.Match, context: BrainContext) -> Scene:
    """The scene the match names, or the one "it" means when it names none."""
    if any(match.groupdict().get(g) for g in REF_GROUPS):
        return resolve(match, context)
    if not context.scenes:
        raise Unresolved(NO_SCENES)
    return touched_scene(context)


def trim_to(text: str, context: BrainContext) -> Decision | None:
    if not (match := TRIM_TO.match(text)):
        return None
    scene = resolve(match, context)
    return trim_decision(scene, duration_frames(match["d"], context.project.fps), context)


def trim_by(text: str, context: BrainContext) -> Decision | None:
    match = next((m for pattern in TRIM_BY if (m := pattern.match(text))), None)
    if not match:
        return None
    scene = resolve(match, context)
    sign = V.lookup(V.LONGER_SHORTER, match["dir"]) if "dir" in match.groupdict() else None
    if sign is None:
        verb = match["verb"].lower()
        sign = V.TRIM_BY_VERBS.get(verb) if " by " in text.lower() else V.TRIM_ADD_VERBS[verb]
    change = duration_frames(match["d"], context.project.fps)
    return trim_decision(scene, scene.duration_frames + sign * change, context)


def trim_times(text: str, context: BrainContext) -> Decision | None:
    if not (match := TRIM_TIMES.match(text)):
        return None
    scene = resolve(match, context)
    factor = times_value(match["times"])
    if match["dir"].lower() == "long":
        frames = scene.duration_frames * factor
    else:  # "0 times as short" cannot be: treated as endless, so out of bounds
        frames = scene.duration_frames / factor if factor else math.inf
    return trim_decision(scene, frames, context)


def trim_vague(text: str, context: BrainContext) -> Decision | None:
    match = next((m for pattern in TRIM_VAGUE if (m := pattern.match(text))), None)
    if not match:
        return None
    scene = resolve(match, context)
    return Decision(
        reply=(
            f'How much longer or shorter? Say for example "make scene {scene.order} '
            f'2 seconds longer" or "make scene {scene.order} 3 seconds".'
        )
    )


def delete_all(text: str, context: BrainContext) -> Decision | None:
    if not DELETE_ALL.match(text):
        return None
    return Decision(reply='I delete one scene at a time; say which, for example "delete scene 2".')


def delete(text: str, context: BrainContext) -> Decision | None:
    if not (match := DELETE.match(text)):
        return None
    scene = resolve(match, context)
    return Decision(
        reply=f"Deleted scene {scene.order}, {quoted(scene.name)}.",
        tool="delete_scene",
        args={"scene_id": scene.id},
    )


def speed_verb(text: str, context: BrainContext) -> Decision | None:
    if not (match := SPEED_VERB.match(text)):
        return None
    scene = scene_of(match, context)
    change = V.SPEED_VERBS[squash(match["verb"]).lower()]
    if match["degree"]:
        change = f"{squash(match['degree']).lower()} {change}"
    return options_decision([("speed_change", change)], scene, context)


def rename(text: str, context: BrainContext) -> Decision | None:
    if not (match := RENAME.match(text)):
        return None
    scene = resolve(match, context)
    if not bare(match["value"] or ""):
        return Decision(
            reply=f"What should the new text of scene {scene.order} be? Say for example "
            f'"rename scene {scene.order} to Welcome".'
        )
    return edit_decision(scene, {"title": clean_text(match["value"])}, {})


def split_matches(head: re.Pattern, text: str):
    """Each way to read the text as head + value, the longest value first.

    Trying every split (instead of one regex with a trailing value group) lets
    "the scene called Launch Day red" find where the name ends.
    """
    for gap in re.finditer(r"\s+", text):
        match = head.fullmatch(text, 0, gap.start())
        value = text[gap.end() :]
        if match and not (match.groupdict().get("link") is None and LINK_START.match(value)):
            yield match, value


def first_decision(attempts) -> Decision | None:
    """The first attempt that decides; a soft problem is raised only if none does."""
    soft = None
    for attempt in attempts:
        try:
            decision = attempt()
        except Unresolved as problem:
            if not problem.soft:
                raise
            soft = problem  # the last: it read the most of the text as the head
            continue
        if decision is not None:
            return decision
    if soft:
        raise soft
    return None


def field_of_ref(text: str, context: BrainContext) -> Decision | None:
    def attempt(match: re.Match, value: str):
        return lambda: field_decision(
            match["field"], match["link"], value, scene_of(match, context), context
        )

    return first_decision(
        attempt(match, value)
        for pattern in (FIELD_OF_REF, REFS_FIELD, FIELD_ONLY)
        for match, value in split_matches(pattern, text)
    )


def ref_value(text: str, context: BrainContext) -> Decision | None:
    def attempt(match: re.Match, value: str):
        if match["link"] and squash(match["link"]).lower() in V.SAY_LINKS:
            return lambda: edit_decision(resolve(match, context), {"title": clean_text(value)}, {})
        found = parse_all(value, EDIT_OPTIONS)
        if found is None:
            return lambda: None
        return lambda: options_decision(found, resolve(match, context), context)

    return first_decision(attempt(match, value) for match, value in split_matches(REF_HEAD, text))


def value_to_ref(text: str, context: BrainContext) -> Decision | None:
    for pattern in (VALUE_TO_REF, USE):
        if (match := pattern.match(text)) and (found := parse_all(match["value"], LOOK_OPTIONS)):
            return options_decision(found, scene_of(match, context), context)
    return None


RULES = [
    undo,
    delete_all,
    trim_to,
    trim_by,
    trim_times,
    trim_vague,
    delete,
    speed_verb,
    rename,
    field_of_ref,
    ref_value,
    value_to_ref,
    add,
]


class OfflineBrain:
    def decide(self, context: BrainContext) -> Decision:
        text = strip_polite(squash(context.text))
        fallback = REPHRASE
        for rule in RULES:
            try:
                decision = rule(text, context)
            except Unresolved as problem:
                if not problem.soft:
                    return Decision(reply=problem.reply)
                fallback = problem.reply if fallback == REPHRASE else fallback
                continue
            if decision is not None:
                return decision
        return Decision(reply=fallback)
