"""A scene as a frame serves it: the document, its Content-Security-Policy, the seek script.

The preview's frame view (pages/scenes.py) and the export's headless browser
(exports/chromium.py) serve a scene the same way, from here.
"""

import base64
import hashlib
import re

from django.conf import settings

# The one script a scene frame runs (see the file for its message protocol).
# It is read once and inlined, and the frame's policy allows exactly this text
# by its hash, so scene code can run no script of its own: not <script>, not
# event handlers, not javascript: URLs. That also shuts what a policy cannot
# name, such as WebRTC, which Chromium lets through default-src 'none'.
SEEK_SCRIPT = (settings.BASE_DIR / "static" / "chatvideo" / "seek.js").read_text(encoding="utf-8")
SEEK_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SEEK_SCRIPT.encode()).digest()).decode()

# How long whoever drives a frame waits for an answer to a seek before it
# calls the scene broken: the preview player (SEEK_TIMEOUT_MS in
# static/chatvideo/player.js, the same number) and the export.
SEEK_TIMEOUT_MS = 5000

# The frame's whole policy, sent as a header: its own sandboxed, opaque origin
# that may load nothing at all and run only the seek script. Inline styles are
# allowed: scenes are CSS.
FRAME_CSP = (
    "sandbox allow-scripts; default-src 'none'; "
    f"script-src 'sha256-{SEEK_SCRIPT_HASH}'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

# A scene's own <meta> policy is switched off when it is served: it was
# written for the scene alone and could block the seek script. The header
# above is stricter than any scene needs. Only the keyword is renamed, to one
# of letters and single hyphens as it is: cutting the tag out could splice the
# text around it into markup the checker never saw (`<me<meta ...>ta
# http-equiv="refresh" ...>` would become a meta refresh), a rename cannot.
META_CSP = re.compile(
    r"""(?P<before><meta\b[^>]*?\bhttp-equiv\s*=\s*["']?\s*)content-security-policy\b""",
    re.IGNORECASE,
)
SWITCHED_OFF_CSP = "x-scene-policy-not-applied"
DOCTYPE = re.compile(r"\A[\ufeff \t\r\n]*<!doctype\b[^>]*>", re.IGNORECASE)


def frame_document(code: str) -> str:
    """The scene's code as a frame serves it: the seek script first, its CSP meta switched off.

    The script goes right after the doctype, before any of the scene's markup,
    so nothing the scene writes (an unclosed comment or <textarea>) can swallow
    it; the browser puts it in the head. The charset goes first so that it is
    still within the first 1024 bytes (where a browser looks for it) when the
    document is read from a file.
    """
    code = META_CSP.sub(rf"\g<before>{SWITCHED_OFF_CSP}", code)
    doctype = DOCTYPE.match(code)
    at = doctype.end() if doctype else 0
    return f'{code[:at]}<meta charset="utf-8"><script>{SEEK_SCRIPT}</script>{code[at:]}'
