"""The offline brain's patterns: regular expressions built from the vocabulary."""

import re

from . import vocabulary as V

OPEN_QUOTES = "\"'\u201c\u2018"
CLOSE_QUOTES = "\"'\u201d\u2019"


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

# "give me a list of commands", "show me your options": a list of what it does, not a scene.
HELP_LIST = re.compile(
    r"^(?:give|show|send|tell|list)\s+(?:me\s+|us\s+)?(?:(?:a|the|your)\s+)?(?:full\s+)?"
    r"(?:list\s+of\s+)?(?:all\s+)?(?:(?:the|your)\s+)?(?:commands|options|features|abilities"
    r"|capabilities|templates|scene\s+types|kinds\s+of\s+scenes?|things\s+you\s+(?:can\s+do|understand))"
    r"(?:\s+you\s+(?:have|know|understand|support))?[.!?]*$",
    FLAGS,
)
