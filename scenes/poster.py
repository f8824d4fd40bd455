"""A scene's poster frame: the moment a paused player and its thumbnail show.

Frame 0 of every template is its background alone (everything enters after
it), so the poster is taken where the scene has something to show:

- scene code may declare it: `<meta name="chatvideo-poster" content="1200">`
  (ms into the scene), which is how a model-written scene names its own;
- a template scene's poster is its catalog entry's `poster`, a share of its
  entrance (1.0: the moment the last `in-*` animation has ended), read from
  the timings its code was rendered with, so speed and squeezing count;
- any other code is shown in its middle.

The poster always falls inside the scene, before its last frame.
"""

import math
import re
from html.parser import HTMLParser

from .catalog import BY_KEY

META_NAME = "chatvideo-poster"

# One entrance in a template's code: "in-<name> DURms <easing> DELAYms ... both"
# (scenes/render.py writes every animation as that one shorthand).
ENTRANCE = re.compile(r"\bin-[\w-]+\s+(\d+(?:\.\d+)?)ms\b[^;\"{}]*?\s(\d+(?:\.\d+)?)ms\b")


class _PosterMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.content: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag != "meta" or self.content is not None:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if values.get("name", "").strip().lower() == META_NAME:
            self.content = values.get("content", "")


def declared_poster_ms(code: str) -> float | None:
    """The ms the code's chatvideo-poster meta names; None without one (or a bad one)."""
    if META_NAME not in code.lower():
        return None  # the common case, without parsing the document
    parser = _PosterMeta()
    parser.feed(code)
    parser.close()
    text = (parser.content or "").strip().lower().removesuffix("ms").strip()
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def entrance_end_ms(code: str) -> float | None:
    """When the last entrance of a template's code has ended; None if it has none."""
    ends = [float(dur) + float(delay) for dur, delay in ENTRANCE.findall(code)]
    return max(ends) if ends else None


def poster_ms(code: str, props: dict, custom_code: bool, duration_frames: int, fps: int) -> float:
    """Where in the scene (ms) its poster frame is."""
    duration_ms = duration_frames * 1000 / fps
    at = declared_poster_ms(code)
    if at is None and not custom_code:
        template = BY_KEY.get(props.get("template", ""))
        end = entrance_end_ms(code)
        if template is not None and end is not None:
            at = end * template.poster
    if at is None:
        at = duration_ms / 2
    last_frame_ms = (duration_frames - 1) * 1000 / fps
    return min(at, last_frame_ms)


def poster_frame(code: str, props: dict, custom_code: bool, duration_frames: int, fps: int) -> int:
    """The poster as a frame of the scene: the first frame at or after poster_ms."""
    ms = poster_ms(code, props, custom_code, duration_frames, fps)
    return min(duration_frames - 1, math.ceil(round(ms * fps / 1000, 6)))
