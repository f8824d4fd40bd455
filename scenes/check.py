"""Scene code from outside (a model's answer) is checked here before it is saved.

The preview plays every scene in a sandboxed iframe under a strict
Content-Security-Policy (scenes/frame.py): no network, and no script but the
app's own seek script, pinned by its hash. So a scene cannot reach the
network or the app there, whatever this check lets through. This check is the
first line: it refuses code that would try, or that the player cannot drive,
with a sentence that says why, so the message ends in error and the user (or
the model) can retry instead of getting a scene that is silently broken.

What the player runs: one complete HTML document, animated with CSS
@keyframes. It pauses every animation (document.getAnimations()) and seeks it
to the frame's time, so animations must be finite. A scene runs no script of
its own: not <script>, not event handlers, not javascript: URLs.

The code is parsed with html5lib, which follows the HTML5 parsing algorithm as
browsers do (Python's html.parser does not: it reads `<!--><script>` as the
start of a comment, where a browser sees an empty comment and a real script,
and it reads the text of <textarea> and <xmp> as tags). Every start tag the
tokenizer produces is checked, even one the tree builder then drops, so a
browser whose parser keeps more (a newer <select>, say) cannot hide a tag.
"""

import re
from collections.abc import Iterator

import html5lib
from html5lib import _tokenizer  # html5lib==1.1 is pinned; see _WatchedParser
from html5lib.constants import tokenTypes

from .errors import ToolError
from .values import shorten

MAX_CODE_CHARS = 200_000

PREFIX = "The scene code was not saved: "

NO_SCRIPT = "scenes run no script: animate with CSS @keyframes instead (the player seeks them)"


class SceneCodeError(ToolError):
    """Scene code that may not be saved (a ToolError, so callers need not care)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{PREFIX}{reason}.")
        self.reason = reason


# Elements a scene may not contain, and why.
FORBIDDEN_TAGS = {
    "script": f"it has a <script>; {NO_SCRIPT}",
    "iframe": "it embeds another page (<iframe>)",
    "frame": "it embeds another page (<frame>)",
    "frameset": "it embeds other pages (<frameset>)",
    "object": "it embeds an object (<object>)",
    "embed": "it embeds an object (<embed>)",
    "applet": "it embeds an applet (<applet>)",
    "portal": "it embeds another page (<portal>)",
    "base": "it changes the base URL (<base>)",
    "link": "it links an external resource (<link>)",
    "video": "it plays a video (<video>), which runs on its own clock",
    "audio": "it plays audio (<audio>), which runs on its own clock",
    "source": "it has a media source (<source>)",
    "track": "it has a media track (<track>)",
    # SMIL animations run on their own clock; the player can only seek CSS ones.
    "animate": "it uses an SVG <animate>, which the player cannot seek; use CSS animations",
    "animatemotion": (
        "it uses an SVG <animateMotion>, which the player cannot seek; use CSS animations"
    ),
    "animatetransform": (
        "it uses an SVG <animateTransform>, which the player cannot seek; use CSS animations"
    ),
    "set": "it uses an SVG <set>, which the player cannot seek; use CSS animations",
}

# Attributes whose value is a URL the browser may fetch or navigate to.
URL_ATTRIBUTES = {
    "src",
    "href",
    "xlink:href",
    "srcset",
    "imagesrcset",
    "action",
    "formaction",
    "poster",
    "background",
    "data",
    "codebase",
    "archive",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "manifest",
    "ping",
    "icon",
    "profile",
}

URL_IN_TEXT = re.compile(
    r"(?:https?|wss?|ftp):\s*//[^\s\"'<>)]*|(?<![:\w/])//[\w-]+(?:\.[\w-]+)+[^\s\"'<>)]*",
    re.I,
)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"\burl\(\s*(['\"]?)\s*(?P<value>[^)'\"]*)", re.I)
CSS_DATA_URL = re.compile(r"\burl\(\s*(?:(['\"])\s*data:.*?\1\s*\)|data:[^)]*\))", re.I | re.S)
CSS_IMAGE_SET = re.compile(r"image-set\((?P<args>[^)]*)", re.I)
CSS_STRING = re.compile(r"(['\"])(?P<value>.*?)\1", re.S)
# The keyword anywhere outside a string (a custom property can carry it into
# animation-iteration-count), but not in a class or id such as .infinite-scroll.
CSS_INFINITE = re.compile(r"(?<![\w.#-])infinite(?![\w-])", re.I)
# calc(infinity) is a number too, so calc(infinity) iterations never end either.
CSS_INFINITY = re.compile(
    r"\b(?:calc|min|max|clamp|round|mod|rem)\([^;{}]*?(?<![\w-])infinity(?![\w-])", re.I
)
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.I)
START_TAG = tokenTypes["StartTag"]


def check_scene_code(code: str) -> str:
    """Return the code unchanged if it may be saved; raise ToolError saying why not."""
    if not isinstance(code, str):
        raise SceneCodeError("it is not text")
    if not code.strip():
        raise SceneCodeError("it is empty")
    if len(code) > MAX_CODE_CHARS:
        raise SceneCodeError(
            f"it is {len(code):,} characters long; the limit is {MAX_CODE_CHARS:,}"
        )
    head = code.lstrip("\ufeff \t\r\n")
    lowered = code.lower()
    if (
        not re.match(r"<!doctype\s+html\s*>", head, re.I)
        or "<html" not in lowered
        or "</html>" not in lowered
    ):
        raise SceneCodeError(
            "it is not a complete HTML document "
            "(it must start with <!doctype html> and be wrapped in <html> ... </html>)"
        )
    # Tags and attributes are checked by the tokenizer as it reads them.
    document = _WatchedParser(namespaceHTMLElements=False).parse(code, scripting=True)
    # Stylesheets are checked in the tree, where an SVG <style> has its text too.
    for element in document.iter():
        if isinstance(element.tag, str) and local_name(element.tag) == "style":
            check_css("".join(element.itertext()))
    return code


class _WatchedTokenizer(_tokenizer.HTMLTokenizer):
    """html5lib's tokenizer, checking every start tag before the tree builder sees it."""

    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token["type"] == START_TAG:
                check_element(token["name"], token["data"])
            yield token


class _WatchedParser(html5lib.HTMLParser):
    """html5lib's parser with the watched tokenizer.

    html5lib has no hook for its tokenizer, so this repeats HTMLParser._parse
    of html5lib 1.1 (pinned) with one change: the tokenizer class. A string
    is never re-parsed for its encoding, so the re-parse branch is left out.
    """

    def _parse(self, stream, innerHTML=False, container="div", scripting=False, **kwargs):
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _WatchedTokenizer(stream, parser=self, **kwargs)
        self.reset()
        self.mainLoop()


def local_name(tag: str) -> str:
    """'style' for an element of any namespace ({http://www.w3.org/2000/svg}style)."""
    return tag.rsplit("}", 1)[-1].lower()


def check_element(tag: str, attributes: dict) -> None:
    """One start tag as the browser reads it: its name and its (decoded) attributes."""
    tag = tag.lower()
    if tag == "script":
        raise SceneCodeError(FORBIDDEN_TAGS[tag])
    for name in attributes:
        if name.lower().startswith("on"):
            raise SceneCodeError(
                f"it has an inline event handler ({name.lower()}=...); {NO_SCRIPT}"
            )
    for name, value in attributes.items():
        name, value = name.lower(), value or ""
        if name in URL_ATTRIBUTES:
            check_url(value, name)
        elif name == "style" or "url(" in value.lower():
            # A style attribute, or an SVG paint such as fill="url(#gradient)".
            check_css(value)
    # After the URLs, which say more precisely what an embed would load.
    if tag in FORBIDDEN_TAGS:
        raise SceneCodeError(FORBIDDEN_TAGS[tag])
    if tag == "meta":
        check_meta({k.lower(): v or "" for k, v in attributes.items()})


def check_url(value: str, attribute: str) -> None:
    """A URL attribute may hold a data: URL or a #fragment, nothing that loads."""
    value = value.strip()
    if not value or value.startswith("#"):
        return
    if attribute in ("srcset", "imagesrcset"):
        for url in srcset_urls(value):
            check_url(url, "src")
        return
    scheme = SCHEME.match(value)
    if scheme and scheme.group(1).lower() == "data":
        return
    if scheme and scheme.group(1).lower() in ("javascript", "vbscript"):
        raise SceneCodeError(f"it has a {scheme.group(1).lower()}: URL; {NO_SCRIPT}")
    if scheme or value.startswith("//"):
        raise SceneCodeError(f"it loads an external URL ({shorten(value)})")
    raise SceneCodeError(
        f"it loads a file ({shorten(value)}); only data: URLs can be embedded in a scene"
    )


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, split as browsers do (a data: URL may hold commas)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        if url:
            urls.append(url)
        depth = 0  # skip the descriptors ("2x", "100w") up to the next comma
        while i < n and not (value[i] == "," and depth <= 0):
            depth += {"(": 1, ")": -1}.get(value[i], 0)
            i += 1
    return urls


def check_css(css: str) -> None:
    """Stylesheet text: no @import, url() only for data:, finite animations."""
    css = CSS_COMMENT.sub(" ", decode_css_escapes(css))
    if re.search(r"@import\b", css, re.I):
        raise SceneCodeError("its CSS imports a stylesheet (@import)")
    for match in CSS_URL.finditer(css):
        check_url(match["value"] or "#", "src")
    for match in CSS_IMAGE_SET.finditer(css):
        for string in CSS_STRING.finditer(match["args"]):
            check_url(string["value"], "src")
    # What is left outside data: URLs (whose SVG may name its xmlns) loads nothing
    # by design; a URL there is refused anyway, in case some syntax would load it.
    found = URL_IN_TEXT.search(CSS_DATA_URL.sub("url()", css))
    if found:
        raise SceneCodeError(f"it loads an external URL ({shorten(found.group(0))})")
    outside_strings = CSS_STRING.sub('""', css)
    if CSS_INFINITE.search(outside_strings) or CSS_INFINITY.search(outside_strings):
        raise SceneCodeError(
            "it has an animation that never ends (infinite); "
            "every animation must finish within the scene"
        )


def check_meta(attrs: dict) -> None:
    http_equiv = attrs.get("http-equiv", "").strip().lower()
    if http_equiv == "refresh":
        raise SceneCodeError("it has a meta refresh, which would leave the scene")
    if http_equiv and http_equiv not in ("content-security-policy", "content-type"):
        raise SceneCodeError(f'it has a <meta http-equiv="{http_equiv}">')


def decode_css_escapes(css: str) -> str:
    """Undo CSS backslash escapes, so u\\72l( reads as url( for the checks."""

    def replace(match: re.Match) -> str:
        if match.group(1):
            point = int(match.group(1), 16)
            return chr(point) if 0 < point <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return CSS_ESCAPE.sub(replace, css)
