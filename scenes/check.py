"""Scene code from outside (a model's answer) is checked here before it is saved.

The preview already plays every scene in a sandboxed iframe under a strict
Content-Security-Policy (scenes/views.py), so a scene cannot reach the network
or the app there. This check is the first line: it refuses code that would
try, or that the player cannot drive, with a sentence that says why, so the
message ends in error and the user can retry instead of getting a scene that
is silently broken.

What the player runs: one complete HTML document, animated with CSS or with
the Web Animations API from an inline script. It pauses every animation
(document.getAnimations()) and seeks it to the frame's time, so animations
must be finite and nothing may run on its own clock (timers,
requestAnimationFrame), and a script may not load anything.
"""

import re
from html.parser import HTMLParser

from .values import shorten

MAX_CODE_CHARS = 200_000

PREFIX = "The scene code was not saved: "


class ToolError(Exception):
    """A tool could not do what was asked; the message is shown to the user.

    Defined here so the check can raise it without importing the tools;
    scenes.tools re-exports it, and that is where callers import it from.
    """


class SceneCodeError(ToolError):
    """Scene code that may not be saved (a ToolError, so callers need not care)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{PREFIX}{reason}.")
        self.reason = reason


# Elements a scene may not contain, and why.
FORBIDDEN_TAGS = {
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

# In script text: ways to load something (reported before "it runs a script",
# so the reason is as precise as it can be).
SCRIPT_LOADERS = [
    (re.compile(r"\bfetch\s*\("), "fetch()"),
    (re.compile(r"\bXMLHttpRequest\b"), "XMLHttpRequest"),
    (re.compile(r"\bWebSocket\b"), "WebSocket"),
    (re.compile(r"\bEventSource\b"), "EventSource"),
    (re.compile(r"\bimportScripts\b"), "importScripts()"),
    (re.compile(r"\bimport\s*\("), "import()"),
    (re.compile(r"\bsendBeacon\b"), "navigator.sendBeacon()"),
    (re.compile(r"\bnew\s+Worker\b|\bSharedWorker\b"), "a worker"),
]

# In script text: clocks of its own, which the player's seeking cannot drive.
SCRIPT_CLOCKS = [
    (re.compile(r"\bsetTimeout\b"), "setTimeout"),
    (re.compile(r"\bsetInterval\b"), "setInterval"),
    (re.compile(r"\brequestAnimationFrame\b"), "requestAnimationFrame"),
    (re.compile(r"\biterations\s*:\s*Infinity\b"), "an animation that never ends (Infinity)"),
]

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
CSS_INFINITE = re.compile(r"\banimation(?:-iteration-count)?\s*:[^;}]*\binfinite\b", re.I)
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*):", re.I)


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
    checker = _Checker()
    checker.feed(code)
    checker.close()
    return code


class _Checker(HTMLParser):
    """Walks the document; raises SceneCodeError at the first thing it refuses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw_text_tag: str | None = None  # "style" or "script" while inside one

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._check_element(tag, attrs)
        if tag in ("style", "script"):
            self.raw_text_tag = tag

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._check_element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == self.raw_text_tag:
            self.raw_text_tag = None

    def handle_data(self, data: str) -> None:
        if self.raw_text_tag == "style":
            check_css(data)
        elif self.raw_text_tag == "script":
            check_script(data)

    def _check_element(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if name in URL_ATTRIBUTES:
                check_url(value, name)
            elif name == "style":
                check_css(value)
            elif name.startswith("on"):
                raise SceneCodeError(
                    f"it has an inline event handler ({name}=...); "
                    "animate with CSS or an inline script instead"
                )
        if tag == "script" and any(name.lower() == "src" for name, _ in attrs):
            raise SceneCodeError("it loads a script (<script src>); write it inline")
        if tag in FORBIDDEN_TAGS:
            raise SceneCodeError(FORBIDDEN_TAGS[tag])
        if tag == "meta":
            check_meta({k.lower(): v or "" for k, v in attrs})


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
        raise SceneCodeError(f"it has a {scheme.group(1).lower()}: URL; scenes run no script")
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
    if CSS_INFINITE.search(css):
        raise SceneCodeError(
            "it has an animation that never ends (infinite); "
            "every animation must finish within the scene"
        )


def check_script(script: str) -> None:
    for pattern, what in SCRIPT_LOADERS:
        if pattern.search(script):
            raise SceneCodeError(f"its script loads something with {what}")
    for pattern, what in SCRIPT_CLOCKS:
        if pattern.search(script):
            raise SceneCodeError(
                f"its script uses {what}; the player sets the time of every frame, "
                "so animations must be finite and run on no clock of their own"
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
