"""Small value helpers shared by the scene check and both brains.

Each is written once here so the offline brain, the model brains and the
check read colours, template names and long texts the same way.
"""

import re
from collections.abc import Mapping

from .catalog import TEMPLATES

SHORT_HEX = re.compile(r"#[0-9a-f]{3}")
ARTICLE = re.compile(r"^(?:a|an|the)\s+")
TEMPLATE_NOUN = re.compile(r"\s+(?:scene|slide|card)$")

# Every way to name a template without a vocabulary: its key ("lower_third",
# "lower third") and its label ("lower third", "big number").
TEMPLATE_NAMES = {
    **{template.key.replace("_", " "): template.key for template in TEMPLATES},
    **{template.label: template.key for template in TEMPLATES},
}


def shorten(text: object, limit: int = 80) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def hex_colour(text: str) -> str:
    """A colour code, lower case, with #abc written out as #aabbcc.

    Anything else comes back stripped and lower-cased, for the caller (or the
    tools' check_props) to accept or refuse.
    """
    text = text.strip().lower()
    if SHORT_HEX.fullmatch(text):
        text = "#" + "".join(c * 2 for c in text[1:])
    return text


def squeezed(text: str) -> str:
    return re.sub(r"[\s_-]+", "", text.lower())


def template_key(text: str, words: Mapping[str, str] | None = None) -> str | None:
    """The template a name means, or None.

    A name is a template's key or label, or one of `words` (a word -> key
    table, such as the offline brain's vocabulary), in any case or spacing,
    after "a"/"an"/"the" and with or without "scene", "slide" or "card" after it.
    """
    names = {**TEMPLATE_NAMES, **(words or {})}
    by_squeezed = {squeezed(name): key for name, key in names.items()}
    text = ARTICLE.sub("", " ".join(text.lower().split()))
    for candidate in (text, TEMPLATE_NOUN.sub("", text)):
        if candidate in names:
            return names[candidate]
        if (key := by_squeezed.get(squeezed(candidate))) is not None:
            return key
    return None
