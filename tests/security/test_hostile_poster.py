"""A model-written scene whose poster meta is hostile: negative, huge, not a
number, or an unfinished tag. The poster stays inside the scene (its middle
when the value is unusable), for the paused player and the thumbnail alike.
"""

import pytest

from scenes.check import check_scene_code
from scenes.poster import poster_frame
from tests.test_thumbnails import CUSTOM

FRAMES, FPS = 90, 30
MIDDLE = 45


@pytest.mark.parametrize(
    ("content", "frame"),
    [
        ("-1200", MIDDLE),
        ("-inf", MIDDLE),
        ("1e309", MIDDLE),  # inf once read
        ("1" * 400, MIDDLE),
        ("NaN", MIDDLE),
        ("nan ms", MIDDLE),
        ("0x10", MIDDLE),
        ("", MIDDLE),
        ("1e308", FRAMES - 1),  # past the end: the last frame
        ("99999999999999999999", FRAMES - 1),
        ("-0", 0),
        ("1e-400", 0),
        ("1200 MS", 36),
    ],
)
def test_a_hostile_poster_meta_keeps_the_poster_inside_the_scene(content, frame):
    code = check_scene_code(
        CUSTOM.format(meta=f'<meta name="chatvideo-poster" content="{content}">')
    )

    assert poster_frame(code, {"template": "title"}, True, FRAMES, FPS) == frame
    # A one-frame scene has one frame to show.
    assert poster_frame(code, {"template": "title"}, True, 1, FPS) == 0


def test_an_unfinished_poster_tag_is_no_poster():
    unfinished = CUSTOM.format(meta="") + '<meta name="chatvideo-poster" content="12'

    assert poster_frame(unfinished, {}, True, FRAMES, FPS) == MIDDLE
