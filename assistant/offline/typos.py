"""Typos in the words the brain knows: "delte scnee 2" reads as "delete scene 2".

Only the command words are corrected, never the text a scene should show:
correction stops at the first word that introduces that text ("saying",
"say", ":", a quote). A word is corrected when it is not a known word and is
one edit (a letter added, dropped, changed or two swapped) from exactly one
nearest known word, or two edits for words of 8 letters or more; a 3-letter word
only when it is one edit from exactly one short colour name ("blu").
"""

import re
from functools import cache

from . import phrases as P
from . import vocabulary as V

STOP = re.compile(
    rf"{V.alternation(V.STRONG_LEADS + sorted(V.SAY_LINKS) + ['to say'])}|[\"\u201c\u2018']",
    re.I,
)
TABLES = [
    V.ADD_VERBS, V.DELETE_VERBS, V.EDIT_VERBS, V.RENAME_VERBS, V.TRIM_VERBS, V.TEMPLATE_BY_WORD,
    V.CSS_COLOURS, V.FIELDS, V.SCENE_NOUNS, V.SCENE_WORDS, V.ORDINALS, V.FROM_END, V.FONT_BY_WORD,
    V.SPEED_WORDS, V.SPEED_CHANGES, V.UNITS, V.NUMBER_WORDS, V.BACKGROUND_WORDS, V.TEXT_WORDS,
    V.ACCENT_WORDS, V.UNDO_PHRASES, V.REDO_PHRASES, V.POLITE_PREFIXES, V.LONGER_SHORTER,
    P.GREETINGS, P.HELP, P.EVERY, P.MOVE_VERBS, P.DUPLICATE_VERBS, P.SWAP_VERBS, P.TO_START,
    P.TO_END, P.INTRO_WORDS, P.OUTRO_WORDS, P.COUNTDOWN_WORDS, P.ITEM_WORDS, P.THEMES,
    *P.QUESTIONS.values(), *P.VAGUE.values(), V.STRONG_LEADS, V.WEAK_LEADS, V.VALUE_LINKS,
    V.POSITION_WORDS, V.ADD_FILLERS, V.CAPTION_WORDS, P.THANKS, P.ACKS, P.DESCRIBE_LEADS,
]  # fmt: skip
# Everyday words a command may hold that are one letter from a known word
# ("with" / "width"): never corrected.
PLAIN_WORDS = [
    "with", "what", "when", "where", "which", "while", "will", "would", "could", "should",
    "from", "into", "onto", "that", "this", "these", "those", "them", "they", "then", "than",
    "there", "their", "have", "make", "more", "most", "some", "very", "just", "like", "also",
    "your", "about", "after", "before", "again", "each", "every", "want", "need", "please",
    "thanks", "word", "words", "show", "here", "look", "looks", "good", "nice",
]  # fmt: skip


@cache
def known_words() -> tuple[str, ...]:
    words = {w for table in TABLES for phrase in table for w in re.findall(r"[a-z]+", phrase)}
    return tuple(sorted(words))


def distance(a: str, b: str) -> int:
    """Edits from a to b: insert, delete, substitute, or swap two neighbours."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


@cache
def nearest(word: str) -> str | None:
    if len(word) == 3 and word not in known_words():  # "blu": only a colour, one edit away
        close = [c for c in V.CSS_COLOURS if len(c) <= 4 and distance(word, c) == 1]
        return close[0] if len(close) == 1 else None
    if len(word) < 4 or word in known_words() or word in PLAIN_WORDS:
        return None
    if word.endswith("s") and word[:-1] in known_words():  # a plural is not a typo
        return None
    most = 1 if len(word) < 8 else 2
    found = [
        (d, k)
        for k in known_words()
        if abs(len(k) - len(word)) <= most and (d := distance(word, k)) <= most
    ]
    if not found:
        return None
    best = min(d for d, _ in found)
    closest = [k for d, k in found if d == best]
    return closest[0] if len(closest) == 1 else None


def correct(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with its command words corrected, and the (typed, read as) pairs."""
    stop = STOP.search(text)
    head, tail = (text[: stop.start()], text[stop.start() :]) if stop else (text, "")
    fixes = []

    def fix(match: re.Match) -> str:
        word = match.group(0)
        right = nearest(word.lower())
        if right is None:
            return word
        fixes.append((word, right))
        return right

    return re.sub(r"[A-Za-z]+", fix, head) + tail, fixes
