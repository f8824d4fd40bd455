"""Scene code runs no script of its own (issue 10, finding 3).

Each way out that was found is refused by the check with a reason that tells
the model what to do instead, and the frame's policy would not run it anyway.
"""

import re

import pytest

from scenes.check import check_scene_code
from scenes.errors import ToolError
from scenes.frame import FRAME_CSP, SEEK_SCRIPT_HASH

from .scene_attacks import (
    BUSY_LOOP_SCENE,
    EMPTY_COMMENT_SCENE,
    ENDLESS_ANIMATION_SCENE,
    scene_document,
    webrtc_scene,
)

USE_CSS = "it has a <script>; scenes run no script: animate with CSS @keyframes instead"

BYPASSES = {
    "WebRTC to a TURN server": webrtc_scene(3478),
    "a script after an empty comment (<!-->)": EMPTY_COMMENT_SCENE,
    "a busy loop": BUSY_LOOP_SCENE,
    "an animation with iterations: 1/0": ENDLESS_ANIMATION_SCENE,
}


@pytest.mark.parametrize("code", BYPASSES.values(), ids=BYPASSES.keys())
def test_each_reported_bypass_is_refused_as_script(code):
    with pytest.raises(ToolError) as refused:
        check_scene_code(code)

    assert str(refused.value) == f"The scene code was not saved: {USE_CSS} (the player seeks them)."


def test_markup_is_read_as_browsers_read_it():
    # "<!-->" ends the comment it opens; what follows is markup again.
    with pytest.raises(ToolError, match="<script>"):
        check_scene_code(scene_document("<!--><script>go()</script>"))
    # While a real comment hides what a browser would hide.
    assert check_scene_code(scene_document("<!-- <script>go()</script> -->"))
    # An SVG <title> is no HTML <title>: a script in it is a real SVG script.
    with pytest.raises(ToolError, match="<script>"):
        check_scene_code(scene_document("<svg><title><script>go()</script></title></svg>"))


HARMLESS_TEXT = {
    "a textarea": "<textarea><script>fetch('/x')</script> onload= setTimeout</textarea>",
    "an xmp": "<xmp><script>not a script</script></xmp>",
    "a title": "<title>a <script> tag</title>",
    "text that mentions a script": "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
}


@pytest.mark.parametrize("body", HARMLESS_TEXT.values(), ids=HARMLESS_TEXT.keys())
def test_text_that_only_looks_like_script_is_accepted(body):
    code = scene_document(body)

    assert check_scene_code(code) == code


def test_the_frame_policy_allows_only_the_seek_script():
    directives = dict(d.strip().split(" ", 1) for d in FRAME_CSP.split(";"))

    assert directives["script-src"] == f"'sha256-{SEEK_SCRIPT_HASH}'"
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", SEEK_SCRIPT_HASH)
    assert directives["sandbox"] == "allow-scripts"
    assert directives["default-src"] == "'none'"
    assert "connect-src" not in directives  # so default-src 'none' governs it
