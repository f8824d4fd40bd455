"""Small parsers: a colour, a font, a template, a number, a duration, a speed, a list."""

import re
from functools import cache

from scenes.values import hex_colour, template_key

from . import vocabulary as V
from .patterns import (
    CLOSE_QUOTES,
    DURATION_RE,
    FLAGS,
    FONT_NOUN,
    OPEN_QUOTES,
    POLITE_PREFIX,
    POLITE_SUFFIX,
    SEPARATOR,
    TIMES,
    TRAILING_SEPARATOR,
    A,
    rx,
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


def font_named(text: str) -> str:
    """ "Georgia" when the text names a well-known font rather than a family, else ""."""
    text = re.sub(r"^(?:a|an|the)\s+", "", bare(text), flags=FLAGS)
    text = re.sub(rf"\s+{FONT_NOUN}$", "", text, flags=FLAGS)
    known = V.lookup(V.inverted(V.KNOWN_FONTS), text)
    return squash(text).title() if known else ""


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
