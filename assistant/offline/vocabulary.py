"""The offline brain's vocabulary: every word it knows, as data.

patterns.py only combines these tables into patterns; to teach the brain a new
word, add it here. Multi-word entries are written with single spaces; the
patterns accept any run of whitespace (and, for colours, a hyphen or nothing)
in their place. Lookups are case-insensitive.
"""

import re

# The template words are shared with the model brains, so they live outside.
from assistant.words import TEMPLATE_BY_WORD as TEMPLATE_BY_WORD
from assistant.words import TEMPLATE_WORDS as TEMPLATE_WORDS
from scenes.catalog import TEMPLATES

from .colours import CSS_COLOURS as CSS_COLOURS
from .phrases import KNOWN_FONTS

# --- Colours -----------------------------------------------------------------

# The 148 CSS named colours (colours.py).

# "navy" -> "#000080", keyed without spaces ("lightblue"), as CSS spells them.
COLOUR_HEX = {name.replace(" ", ""): hex_ for name, hex_ in CSS_COLOURS.items()}
# "lightblue" -> "light blue", how replies name it.
COLOUR_NAMES = {name.replace(" ", ""): name for name in CSS_COLOURS}

# --- Templates, fonts --------------------------------------------------------

# What each template does with the text of an "add" request (see decisions.py),
# and an example of each, for replies that ask what a new scene should show.
TEMPLATE_CONTENT = {template.key: template.content for template in TEMPLATES}
TEMPLATE_EXAMPLES = {template.key: template.example_request for template in TEMPLATES}

FONT_WORDS = {
    "sans": ["sans serif", "sans-serif", "sansserif", "sans"],
    "serif": ["serif", "serifed"],
    "mono": ["monospace", "monospaced", "mono", "typewriter", "fixed width", "fixed-width"],
    "rounded": ["rounded", "round"],
    "condensed": ["condensed", "narrow", "compressed"],
}

FONT_LABELS = {
    "sans": "sans-serif",
    "serif": "serif",
    "mono": "monospace",
    "rounded": "rounded",
    "condensed": "condensed",
}

# Nouns that may follow a template word ("a quote scene") or stand in for one
# ("a scene that says Hi" is a title card).
SCENE_WORDS = ["scene", "slide", "card", "screen", "shot", "text"]
# Words in "add a new short title card" that change nothing ("intro" and
# "outro" place the scene: phrases.INTRO_WORDS, OUTRO_WORDS).
ADD_FILLERS = [
    "new",
    "another",
    "second",
    "third",
    "final",
    "short",
    "simple",
    "nice",
    "animated",
    "more",
]
# Words asking for a place in the video; new scenes always go at the end.
POSITION_WORDS = [
    "after",
    "before",
    "between",
    "at the start",
    "at the beginning",
    "at the front",
    "at position",
]

# Plural labels where adding an "s" is wrong.
TEMPLATE_PLURALS = {template.key: template.plural for template in TEMPLATES if template.plural}

# How a reply describes a new scene, by template. {title}, {subtitle} and
# {items} are quoted; {count} is "3 items" ...
NEW_SCENE_PHRASES = {template.key: template.new_scene for template in TEMPLATES}
# ... and what it adds when the scene has a subtitle ({subtitle} is quoted,
# {plain} is not).
SUBTITLE_PHRASES = {template.key: template.with_subtitle for template in TEMPLATES}

# Words that introduce a big number's caption: "1,000,000 with caption downloads".
CAPTION_WORDS = ["caption", "label", "subtitle", "text", "saying"]

# Words naming the part of a scene an option colours or sets.
BACKGROUND_WORDS = ["background", "backdrop", "bg"]
TEXT_WORDS = ["text", "letters", "lettering", "writing", "words", "type", "font", "title"]
ACCENT_WORDS = ["accent", "accents", "accent colour", "accent color", "highlight", "highlights"]
FONT_NOUNS = ["font", "typeface", "type", "letters", "lettering", "text"]

# --- Speed -------------------------------------------------------------------

# "faster" multiplies the current speed by FASTER, "slower" divides by it.
FASTER = 1.5

# Absolute speeds, for a new scene ("add a fast title") or an edit ("make it slow").
SPEED_WORDS = {
    "very slow": 0.5,
    "very slowly": 0.5,
    "half speed": 0.5,
    "slow": 0.75,
    "slowly": 0.75,
    "normal speed": 1.0,
    "normal": 1.0,
    "regular speed": 1.0,
    "default speed": 1.0,
    "fast": 1.5,
    "quick": 1.5,
    "quickly": 1.5,
    "very fast": 2.0,
    "very quick": 2.0,
    "double speed": 2.0,
}

# Changes relative to the current speed: multiplier applied to it.
SPEED_CHANGES = {
    "faster": FASTER,
    "quicker": FASTER,
    "speed up": FASTER,
    "a bit faster": 1.25,
    "a little faster": 1.25,
    "slightly faster": 1.25,
    "much faster": 2.0,
    "a lot faster": 2.0,
    "twice as fast": 2.0,
    "double the speed": 2.0,
    "slower": 1 / FASTER,
    "slow down": 1 / FASTER,
    "a bit slower": 0.8,
    "a little slower": 0.8,
    "slightly slower": 0.8,
    "much slower": 0.5,
    "a lot slower": 0.5,
    "twice as slow": 0.5,
    "half as fast": 0.5,
    "half the speed": 0.5,
}

# "three times as fast", "3x faster": a multiplier word or number, then one of these.
SPEED_TIMES = {"as fast": 1, "faster": 1, "quicker": 1, "as slow": -1, "slower": -1}

# "speed up scene 2 a bit" = "make scene 2 a bit faster".
SPEED_VERBS = {"speed up": "faster", "slow down": "slower"}
SPEED_DEGREES = ["a bit", "a little", "slightly", "much", "a lot"]

# Multipliers for "N times as long", "twice as fast", "three times slower".
MULTIPLIERS = {"twice": 2.0, "double": 2.0, "thrice": 3.0, "half": 0.5}

# --- Durations ---------------------------------------------------------------

# Unit word -> seconds per unit; None means frames.
UNITS = {
    "frames": None,
    "frame": None,
    "milliseconds": 0.001,
    "millisecond": 0.001,
    "ms": 0.001,
    "seconds": 1,
    "second": 1,
    "secs": 1,
    "sec": 1,
    "s": 1,
    "minutes": 60,
    "minute": 60,
    "mins": 60,
    "min": 60,
}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "half a": 0.5,
    "half an": 0.5,
    "a half": 0.5,
}

# Words that lengthen (+1) or shorten (-1) a scene by an amount.
LONGER_SHORTER = {"longer": 1, "shorter": -1}
# "make it shorter" with no amount: a visible step, told in the reply (seconds).
VAGUE_TRIM_SECONDS = {"": 1, "a bit": 0.5, "a little": 0.5, "much": 2, "a lot": 2}
TRIM_BY_VERBS = {"extend": 1, "lengthen": 1, "shorten": -1, "trim": -1, "cut": -1, "reduce": -1}
TRIM_ADD_VERBS = {"give": 1, "add": 1, "remove": -1, "cut": -1, "take": -1, "subtract": -1}

# --- Scene references --------------------------------------------------------

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "opening": 1,
}

# Positions counted from the end (0 = last) ...
FROM_END = {
    "last": 0,
    "final": 0,
    "closing": 0,
    "second to last": 1,
    "second last": 1,
    "last but one": 1,
    "penultimate": 1,
    "third to last": 2,
    "third last": 2,
}
# ... or from the scene "it" refers to.
RELATIVE = {"previous": -1, "preceding": -1, "next": 1, "following": 1}

SCENE_NOUNS = ["scene", "slide", "one", "shot", "clip"]
IT_WORDS = [
    "it",
    "this",
    "that",
    "this scene",
    "that scene",
    "this one",
    "that one",
    "this slide",
    "that slide",
    "the scene",
    "the same scene",
    "the current scene",
    "the one you just made",
    "the one we just made",
]

# --- Verbs and small words ---------------------------------------------------

POLITE_PREFIXES = [
    "please",
    "pls",
    "ok",
    "okay",
    "now",
    "also",
    "then",
    "and",
    "hey",
    "hi",
    "hello",
    "hey there",
    "hi there",
    "can you",
    "could you",
    "would you",
    "will you",
    "can we",
    "could we",
    "i want to",
    "i'd like to",
    "i would like to",
    "let's",
    "lets",
    "go ahead and",
    "just",
    "hmm",
    "hm",
    "um",
    "umm",
    "uh",
    "alright",
]
POLITE_SUFFIXES = ["please", "pls"]
# Only dropped after a comma, since "Thanks" may well be a scene's text.
POLITE_AFTER_COMMA = ["thanks", "thank you", "thanks a lot", "for me"]

UNDO_PHRASES = [
    "undo",
    "undo that",
    "undo it",
    "undo this",
    "undo the last change",
    "undo the last edit",
    "undo the last step",
    "undo my last change",
    "undo the change",
    "undo last change",
    "revert",
    "revert that",
    "revert the last change",
    "take that back",
    "go back",
    "put it back",
]
REDO_PHRASES = [
    "redo",
    "redo that",
    "redo it",
    "redo the last change",
    "do it again",
    "undo the undo",
]

ADD_VERBS = ["add", "create", "insert", "append", "make", "put in", "give me", "i want", "i need"]
ADD_ARTICLES = ["a", "an", "another", "one more", "a new"]
NEW_WORDS = ["new"]
DELETE_VERBS = [
    "delete",
    "remove",
    "drop",
    "erase",
    "get rid of",
    "discard",
    "scrap",
    "trash",
    "kill",
    "lose",
    "cut",
]
EDIT_VERBS = [
    "change",
    "set",
    "make",
    "turn",
    "update",
    "edit",
    "switch",
    "convert",
    "paint",
    "colour",
    "color",
    "recolour",
    "recolor",
    "give",
    "use",
    "put",
]
DELETE_ALL = ["all", "everything", "all scenes", "all the scenes", "every scene", "them all"]
RENAME_VERBS = ["rename", "retitle", "call"]
TRIM_VERBS = ["make", "set", "trim", "cut", "change", "shorten", "lengthen", "extend", "have"]

# Words that introduce the new value of an edit: "to", "into", "say" ...
VALUE_LINKS = [
    "to say",
    "to read",
    "to be",
    "to",
    "into",
    "as",
    "be",
    "say",
    "says",
    "read",
    "reads",
]
SAY_LINKS = {"to say", "to read", "say", "says", "read", "reads"}

# Words that introduce the text of a new scene. STRONG ones may follow other
# words ("a title in red that says Hi"); WEAK ones only start the text.
STRONG_LEADS = [
    "that says",
    "which says",
    "that reads",
    "which reads",
    "saying",
    "reading",
    "that shows",
    "showing",
    "with the text",
    "with text",
    "with the title",
    "with title",
    "with the words",
    "titled",
    "entitled",
    "called",
    "named",
    "says",
    "reads",
    ":",
]
WEAK_LEADS = ["for", "of", "with", "listing", "about", "-", "\u2013", "\u2014", "="]

# Scene fields a request may name, and the prop (or pseudo-prop) each changes.
FIELDS = {
    "text": "title",
    "title": "title",
    "title text": "title",
    "main text": "title",
    "words": "title",
    "wording": "title",
    "headline": "title",
    "heading": "title",
    "name": "title",
    "number": "title",
    "quote text": "title",
    "brand name": "title",
    "left": "title",
    "left side": "title",
    "left heading": "title",
    "left column": "title",
    "left title": "title",
    "right": "subtitle",
    "right side": "subtitle",
    "right heading": "subtitle",
    "right column": "subtitle",
    "right title": "subtitle",
    "button text": "subtitle",
    "button": "subtitle",
    "url": "subtitle",
    "link": "subtitle",
    "subtitle": "subtitle",
    "sub title": "subtitle",
    "subheading": "subtitle",
    "caption": "subtitle",
    "tagline": "subtitle",
    "role": "subtitle",
    "job title": "subtitle",
    "attribution": "subtitle",
    "author": "subtitle",
    "label": "subtitle",
    "second line": "subtitle",
    "items": "items",
    "list items": "items",
    "bullets": "items",
    "bullet points": "items",
    "points": "items",
    "list": "items",
    "columns": "items",
    "sides": "items",
    "background": "background",
    "background colour": "background",
    "background color": "background",
    "backdrop": "background",
    "bg": "background",
    "colour": "background",
    "color": "background",
    "text colour": "color",
    "text color": "color",
    "font colour": "color",
    "font color": "color",
    "colour of the text": "color",
    "color of the text": "color",
    "foreground": "color",
    "foreground colour": "color",
    "foreground color": "color",
    "accent": "accent",
    "accent colour": "accent",
    "accent color": "accent",
    "highlight": "accent",
    "highlight colour": "accent",
    "highlight color": "accent",
    "font": "font",
    "typeface": "font",
    "font family": "font",
    "lettering": "font",
    "speed": "speed",
    "animation speed": "speed",
    "pace": "speed",
    "tempo": "speed",
    "template": "template",
    "layout": "template",
    "type": "template",
    "kind": "template",
    "duration": "duration",
    "length": "duration",
    "running time": "duration",
}
# Text fields a colour may be given to: "make the text red" colours it.
TEXT_FIELDS_COLOURED_BY = {"title": "color", "subtitle": "color"}

# How a reply says what an edit did: prop -> (verb, object). Replies read
# "Scene 2 now has a red background and uses the serif font."
EDIT_PHRASES = {
    "title": ("reads", "{text}"),
    "subtitle": ("has", "the subtitle {text}"),
    "items": ("lists", "{items}"),
    "background": ("has", "{article} {colour} background"),
    "color": ("has", "{colour} text"),
    "accent": ("has", "{article} {colour} accent"),
    "font": ("uses", "the {font} font"),
    "speed": ("plays at", "{speed} speed"),
    "template": ("is", "{article} {label}"),
}


# --- Pattern helpers ---------------------------------------------------------


def alternation(words, space: str = r"\s+") -> str:
    """A regex group matching any of the words, longest first, as whole words."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = space.join(re.escape(part) for part in word.split(" "))
        # Word boundaries only where the word starts or ends with a word character.
        start = r"\b" if re.match(r"\w", word) else ""
        end = r"\b" if re.search(r"\w$", word) else ""
        parts.append(start + escaped + end)
    return "(?:" + "|".join(parts) + ")"


def lookup(table: dict, phrase: str):
    """The table's entry for a phrase typed with any case or spacing."""
    key = " ".join(phrase.lower().split())
    if key in table:
        return table[key]
    squeezed = re.sub(r"[\s-]+", "", key)
    for word, value in table.items():
        if re.sub(r"[\s-]+", "", word) == squeezed:
            return value
    return None


def inverted(table: dict[str, list[str]]) -> dict[str, str]:
    """{key: [words]} -> {word: key}."""
    return {word: key for key, words in table.items() for word in words}


# Well-known font names (phrases.KNOWN_FONTS) read as the closest family shipped.
FONT_BY_WORD = inverted(FONT_WORDS) | inverted(KNOWN_FONTS)
