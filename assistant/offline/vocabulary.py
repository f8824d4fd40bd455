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

from .phrases import KNOWN_FONTS

# --- Colours -----------------------------------------------------------------

# The 148 CSS named colours, written with spaces between their words so people
# may type "light blue", "light-blue" or "lightblue" alike.
CSS_COLOURS = {
    "alice blue": "#f0f8ff",
    "antique white": "#faebd7",
    "aqua": "#00ffff",
    "aquamarine": "#7fffd4",
    "azure": "#f0ffff",
    "beige": "#f5f5dc",
    "bisque": "#ffe4c4",
    "black": "#000000",
    "blanched almond": "#ffebcd",
    "blue": "#0000ff",
    "blue violet": "#8a2be2",
    "brown": "#a52a2a",
    "burly wood": "#deb887",
    "cadet blue": "#5f9ea0",
    "chartreuse": "#7fff00",
    "chocolate": "#d2691e",
    "coral": "#ff7f50",
    "cornflower blue": "#6495ed",
    "corn silk": "#fff8dc",
    "crimson": "#dc143c",
    "cyan": "#00ffff",
    "dark blue": "#00008b",
    "dark cyan": "#008b8b",
    "dark golden rod": "#b8860b",
    "dark gray": "#a9a9a9",
    "dark green": "#006400",
    "dark grey": "#a9a9a9",
    "dark khaki": "#bdb76b",
    "dark magenta": "#8b008b",
    "dark olive green": "#556b2f",
    "dark orange": "#ff8c00",
    "dark orchid": "#9932cc",
    "dark red": "#8b0000",
    "dark salmon": "#e9967a",
    "dark sea green": "#8fbc8f",
    "dark slate blue": "#483d8b",
    "dark slate gray": "#2f4f4f",
    "dark slate grey": "#2f4f4f",
    "dark turquoise": "#00ced1",
    "dark violet": "#9400d3",
    "deep pink": "#ff1493",
    "deep sky blue": "#00bfff",
    "dim gray": "#696969",
    "dim grey": "#696969",
    "dodger blue": "#1e90ff",
    "fire brick": "#b22222",
    "floral white": "#fffaf0",
    "forest green": "#228b22",
    "fuchsia": "#ff00ff",
    "gainsboro": "#dcdcdc",
    "ghost white": "#f8f8ff",
    "gold": "#ffd700",
    "golden rod": "#daa520",
    "gray": "#808080",
    "green": "#008000",
    "green yellow": "#adff2f",
    "grey": "#808080",
    "honey dew": "#f0fff0",
    "hot pink": "#ff69b4",
    "indian red": "#cd5c5c",
    "indigo": "#4b0082",
    "ivory": "#fffff0",
    "khaki": "#f0e68c",
    "lavender": "#e6e6fa",
    "lavender blush": "#fff0f5",
    "lawn green": "#7cfc00",
    "lemon chiffon": "#fffacd",
    "light blue": "#add8e6",
    "light coral": "#f08080",
    "light cyan": "#e0ffff",
    "light golden rod yellow": "#fafad2",
    "light gray": "#d3d3d3",
    "light green": "#90ee90",
    "light grey": "#d3d3d3",
    "light pink": "#ffb6c1",
    "light salmon": "#ffa07a",
    "light sea green": "#20b2aa",
    "light sky blue": "#87cefa",
    "light slate gray": "#778899",
    "light slate grey": "#778899",
    "light steel blue": "#b0c4de",
    "light yellow": "#ffffe0",
    "lime": "#00ff00",
    "lime green": "#32cd32",
    "linen": "#faf0e6",
    "magenta": "#ff00ff",
    "maroon": "#800000",
    "medium aquamarine": "#66cdaa",
    "medium blue": "#0000cd",
    "medium orchid": "#ba55d3",
    "medium purple": "#9370db",
    "medium sea green": "#3cb371",
    "medium slate blue": "#7b68ee",
    "medium spring green": "#00fa9a",
    "medium turquoise": "#48d1cc",
    "medium violet red": "#c71585",
    "midnight blue": "#191970",
    "mint cream": "#f5fffa",
    "misty rose": "#ffe4e1",
    "moccasin": "#ffe4b5",
    "navajo white": "#ffdead",
    "navy": "#000080",
    "old lace": "#fdf5e6",
    "olive": "#808000",
    "olive drab": "#6b8e23",
    "orange": "#ffa500",
    "orange red": "#ff4500",
    "orchid": "#da70d6",
    "pale golden rod": "#eee8aa",
    "pale green": "#98fb98",
    "pale turquoise": "#afeeee",
    "pale violet red": "#db7093",
    "papaya whip": "#ffefd5",
    "peach puff": "#ffdab9",
    "peru": "#cd853f",
    "pink": "#ffc0cb",
    "plum": "#dda0dd",
    "powder blue": "#b0e0e6",
    "purple": "#800080",
    "rebecca purple": "#663399",
    "red": "#ff0000",
    "rosy brown": "#bc8f8f",
    "royal blue": "#4169e1",
    "saddle brown": "#8b4513",
    "salmon": "#fa8072",
    "sandy brown": "#f4a460",
    "sea green": "#2e8b57",
    "sea shell": "#fff5ee",
    "sienna": "#a0522d",
    "silver": "#c0c0c0",
    "sky blue": "#87ceeb",
    "slate blue": "#6a5acd",
    "slate gray": "#708090",
    "slate grey": "#708090",
    "snow": "#fffafa",
    "spring green": "#00ff7f",
    "steel blue": "#4682b4",
    "tan": "#d2b48c",
    "teal": "#008080",
    "thistle": "#d8bfd8",
    "tomato": "#ff6347",
    "turquoise": "#40e0d0",
    "violet": "#ee82ee",
    "wheat": "#f5deb3",
    "white": "#ffffff",
    "white smoke": "#f5f5f5",
    "yellow": "#ffff00",
    "yellow green": "#9acd32",
}

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
TRIM_BY_VERBS = {"extend": 1, "lengthen": 1, "shorten": -1, "trim": -1, "cut": -1, "reduce": -1}
TRIM_ADD_VERBS = {"add": 1, "remove": -1, "cut": -1, "take": -1, "subtract": -1}

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
