"""Scene code: one self-contained HTML document generated from a scene's props.

The code is always regenerated from the props, so an edit changes the props
and the picture together. Animations are finite CSS animations with fill
"both", so the picture at any frame depends only on the time.

Every template extends templates/scenes/code/_base.html and writes each
animation as one `animation:` shorthand with its duration and delay in ms
(`name DURms easing DELAYms [count] both`). Keyframe names say what an
animation is: `in-*` entrances, `out-*` the exit, `amb-*` ambient motion
(a slow background drift over the whole scene, the call-to-action pulse).
All timings are computed here, so nothing moves after duration_ms.

Sizes use `--u` (defined in _base.html as min(1cqh, 0.5625cqw)): one
hundredth of the height of the largest 16:9 box that fits the frame, so a
scene keeps its proportions at any iframe size and aspect ratio.
"""

import math
import re
from itertools import zip_longest

from django.template.loader import render_to_string

from .catalog import BY_KEY, TEMPLATES

# Template key -> its one label (names and replies); the catalog has the rest.
TEMPLATE_LABELS = {template.key: template.label for template in TEMPLATES}

# Font key (what props["font"] holds) -> CSS font stack. Only system fonts:
# scene code may not load anything from the network.
FONTS = {
    "sans": "Inter, Helvetica Neue, Arial, sans-serif",
    "serif": "Georgia, Times New Roman, serif",
    "mono": "JetBrains Mono, Menlo, Consolas, monospace",
    "rounded": "Nunito, Varela Round, Arial Rounded MT Bold, sans-serif",
    "condensed": "Oswald, Roboto Condensed, Arial Narrow, sans-serif",
}

MIN_SPEED = 0.25
MAX_SPEED = 4.0

DEFAULT_PROPS = {
    "template": "title",
    "title": "",
    "subtitle": "",
    "items": [],
    "background": "#0f172a",
    "color": "#ffffff",
    "accent": "#f97316",
    "font": "sans",
    "speed": 1.0,
}

# A number the counter can roll: optional prefix ("$", "+", "Top "), digits
# with separators, optional suffix ("%", "k", "+ users"). Anything else scales in.
NUMBER = re.compile(
    r"^(?P<prefix>[^\d]{0,12}?)(?P<number>\d(?:[\d,.' \u00a0\u202f]*\d)?)(?P<suffix>[^\d]{0,24})$"
)
MAX_ROLL_DIGITS = 15


def scene_props(**changes) -> dict:
    return {**DEFAULT_PROPS, **changes}


# --- Durations in words (replies, the storyboard, the scene list) -------------


def seconds_text(frames: int, fps: int) -> str:
    """Frames as a number of seconds, at most two decimals: "5", "1.5", "0.03"."""
    return f"{frames / fps:.2f}".rstrip("0").rstrip(".")


def short_duration(frames: int, fps: int) -> str:
    """The compact form for lists: "5 s", "1.5 s", "0.03 s"."""
    return f"{seconds_text(frames, fps)} s"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def describe_duration(frames: int, fps: int) -> str:
    """How long a scene lasts, for a reply: "1 second", "5 seconds", "2 minutes",
    or, when it is not a whole number of seconds, "2.5 seconds (75 frames)"."""
    if frames % fps:
        return f"{seconds_text(frames, fps)} seconds ({plural(frames, 'frame')})"
    seconds = frames // fps
    if seconds >= 60 and seconds % 60 == 0:
        return plural(seconds // 60, "minute")
    return plural(seconds, "second")


def count_lines(text: str, chars_per_line: float) -> int:
    """Lines a greedy word wrap needs (long words break, as overflow-wrap does)."""
    per_line = max(1, int(chars_per_line))
    lines, used = 0, per_line  # start "full" so the first word opens a line
    for word in text.split():
        if used + 1 + len(word) <= per_line:
            used += 1 + len(word)
            continue
        lines += math.ceil(len(word) / per_line)
        used = len(word) % per_line or per_line
    return lines


def fit_size(
    texts: list,
    *,
    largest: float,
    smallest: float,
    width: float,
    height: float,
    line_height: float = 1.15,
    gap: float = 0,
    char_em: float = 0.56,
) -> float:
    """Largest font size (in --u) at which the texts, stacked, fit width x height.

    A text may be a tuple of texts set side by side in columns of that width
    (a row takes the lines of its longest text). gap is the space between
    texts, in ems. An estimate from character counts (char_em = average glyph
    width in em): good enough to keep long text from overflowing without
    measuring it.
    """
    rows = [row if isinstance(row, tuple) else (row,) for row in texts] or [("",)]
    size = largest
    while size > smallest:
        per_line = width / (size * char_em)
        lines = sum(max(max(1, count_lines(text, per_line)) for text in row) for row in rows)
        if lines * size * line_height + (len(rows) - 1) * gap * size <= height:
            break
        size -= 0.25
    return round(max(size, smallest), 2)


def stagger(count: int, start: float, length: float, step: float, spread: float) -> list:
    """count (start, length) pairs, step apart, the whole stagger at most spread long."""
    if count > 1:
        step = min(step, spread / (count - 1))
    return [(start + i * step, length) for i in range(count)]


def schedule(plan: dict, enter_ms: float, budget_ms: int) -> tuple[dict, float, int]:
    """Turn a plan in entrance units into ms: {name: {"delay", "dur"}} (or lists).

    One unit is enter_ms, shrunk when needed so the whole entrance ends by
    budget_ms (when the exit starts). Floors keep every delay + dur <= budget.
    Returns the timings, the unit used and when the entrance ends (ms).
    """
    spans = [s for v in plan.values() for s in (v if isinstance(v, list) else [v])]
    end = max((start + length for start, length in spans), default=1) or 1
    unit = max(0.0, min(enter_ms, budget_ms / end - 1e-6))

    def ms(span):
        start, length = span
        return {"delay": math.floor(start * unit), "dur": math.floor(length * unit)}

    timings = {k: [ms(s) for s in v] if isinstance(v, list) else ms(v) for k, v in plan.items()}
    return timings, unit, math.floor(end * unit)


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour, 0 (black) to 1 (white)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def readable_on(hex_colour: str) -> str:
    """Near-black or white text for that colour; white unless the colour is light
    (white on saturated mid tones such as orange is the usual look of a button)."""
    return "#0b0b0f" if luminance(hex_colour) > 0.36 else "#ffffff"


def roll_digits(text: str) -> dict | None:
    """The counter's odometer: prefix, suffix and one part per character.

    Each digit becomes a column of stacked digits that slides up to it; lower
    digits spin through more turns, like an odometer. None when the text does
    not read as a number (the template then scales it in).
    """
    match = NUMBER.match(text.strip())
    if not match:
        return None
    number = match["number"]
    digit_count = sum(c.isdigit() for c in number)
    if digit_count > MAX_ROLL_DIGITS:
        return None
    parts, seen = [], 0
    for char in number:
        if not char.isdigit():
            parts.append({"sep": char})
            continue
        from_right = digit_count - 1 - seen
        turns = 0 if seen == 0 else (2 if from_right == 0 else 1)
        cells = [str(n % 10) for n in range(turns * 10 + int(char) + 1)]
        parts.append({"cells": cells, "shift": len(cells) - 1})
        seen += 1
    return {"prefix": match["prefix"], "suffix": match["suffix"], "parts": parts}


def words(text: str, spans: list) -> list[dict]:
    return [{"text": w, **span} for w, span in zip(text.split(), spans, strict=True)]


# Each plan_* returns (plan, extra context). Plans are in entrance units
# (one unit = enter_ms): name -> (start, length), or a list of them.


def plan_title(p: dict) -> tuple[dict, dict]:
    title = p["title"].split()
    plan = {
        "words": stagger(len(title), 0, 1.0, 0.09, 0.5),
        "bar": (0.35, 1.0),
        "sub": (0.6, 1.0),
    }
    size = fit_size([p["title"]], largest=15, smallest=5, width=150, height=52, line_height=1.05)
    sub = fit_size([p["subtitle"]], largest=4.6, smallest=2.6, width=130, height=14)
    return plan, {"size": {"title": size, "sub": sub}}


def plan_lower_third(p: dict) -> tuple[dict, dict]:
    plan = {
        "bar": (0, 0.7),
        "panel": (0.15, 1.0),
        "name": (0.35, 0.95),
        "role": (0.55, 0.95),
    }
    name = fit_size([p["title"]], largest=7, smallest=3.6, width=100, height=16, line_height=1.1)
    role = fit_size([p["subtitle"]], largest=3, smallest=2, width=100, height=8, char_em=0.7)
    return plan, {"size": {"name": name, "role": role}}


def plan_bullets(p: dict) -> tuple[dict, dict]:
    items = p["items"]
    plan = {
        "heading": (0, 1.0),
        "rule": (0.3, 0.9),
        "items": stagger(len(items), 0.55, 0.9, 0.22, 1.6),
    }
    heading = fit_size([p["title"]], largest=8.5, smallest=4, width=140, height=20)
    item = fit_size(items, largest=6, smallest=2, width=110, height=58, line_height=1.25, gap=1.1)
    return plan, {"size": {"heading": heading, "item": item}}


def plan_quote(p: dict) -> tuple[dict, dict]:
    count = len(p["title"].split())
    spread = stagger(count, 0.25, 0.8, 0.05, 0.9)
    after = (spread[-1][0] + 0.5) if spread else 0.5
    plan = {
        "mark": (0, 1.0),
        "words": spread,
        "rule": (after, 0.8),
        "cite": (after + 0.15, 0.9),
    }
    size = fit_size([p["title"]], largest=8, smallest=3, width=138, height=56, line_height=1.22)
    return plan, {"size": {"quote": size}}


def plan_counter(p: dict) -> tuple[dict, dict]:
    roll = roll_digits(p["title"])
    plan = {
        "number": (0, 1.9 if roll else 1.1),
        "appear": (0, 0.3),
        "affix": (0.25, 0.9),
        "bar": (0.6, 1.0),
        "caption": (0.85, 0.9),
    }
    if roll:
        visible = len(roll["prefix"]) + len(roll["parts"]) + len(roll["suffix"])
        size = fit_size(["0" * visible], largest=34, smallest=8, width=150, height=42, char_em=0.6)
    else:
        size = fit_size(
            [p["title"]], largest=18, smallest=5, width=150, height=46, line_height=1.05
        )
    caption = fit_size([p["subtitle"]], largest=4.4, smallest=2.6, width=120, height=12)
    return plan, {"roll": roll, "size": {"number": size, "caption": caption}}


def plan_reveal(p: dict) -> tuple[dict, dict]:
    plan = {
        "mark": (0, 0.85),
        "ring": (0.25, 1.3),
        "inner": (0.35, 0.8),
        "name": (0.7, 1.0),
        "tagline": (1.1, 0.9),
    }
    name = fit_size([p["title"]], largest=11, smallest=4, width=150, height=26, char_em=0.62)
    tagline = fit_size([p["subtitle"]], largest=3, smallest=2, width=130, height=8, char_em=0.75)
    return plan, {"size": {"name": name, "tagline": tagline}}


def plan_split(p: dict) -> tuple[dict, dict]:
    items = p["items"]
    rows = list(zip_longest(items[0::2], items[1::2], fillvalue=""))
    steps = stagger(len(rows), 0.6, 0.85, 0.22, 1.4)
    plan = {
        "panel": (0, 1.0),
        "left_head": (0.1, 0.95),
        "right_head": (0.25, 0.95),
        "left": steps,
        "right": [(start + 0.12, length) for start, length in steps],
    }
    heading = fit_size([(p["title"], p["subtitle"])], largest=6.5, smallest=3, width=64, height=16)
    cell = fit_size(rows, largest=5, smallest=2, width=64, height=62, line_height=1.25, gap=1.2)
    return plan, {"rows": rows, "size": {"heading": heading, "cell": cell}}


def plan_cta(p: dict) -> tuple[dict, dict]:
    count = len(p["title"].split())
    plan = {
        "words": stagger(count, 0, 1.0, 0.08, 0.5),
        "pill": (0.5, 1.0),
        "arrow": (0.85, 0.7),
    }
    size = fit_size([p["title"]], largest=12, smallest=4.5, width=150, height=46, line_height=1.05)
    pill = fit_size([p["subtitle"]], largest=4, smallest=2.2, width=110, height=6, char_em=0.6)
    return plan, {"size": {"title": size, "pill": pill}}


# Each template's plan_<key> above times its entrances; a template without one
# fails here, at import, not when a scene is drawn.
PLANS = {template.key: globals()[f"plan_{template.key}"] for template in TEMPLATES}


def pulse(speed: float, start_ms: int, end_ms: int) -> dict | None:
    """The CTA pill's pulse: a finite count of beats between the entrance and the exit."""
    beat = round(min(2000, max(700, 1400 / speed)))
    count = min(6, max(0, (end_ms - start_ms) // beat))
    return {"dur": beat, "delay": start_ms, "count": count} if count else None


def render_scene_code(props: dict, duration_frames: int, fps: int) -> str:
    props = scene_props(**props)
    duration_ms = round(duration_frames * 1000 / fps)
    speed = float(props["speed"]) or 1.0
    # Entrances take a share of the scene, never more than a second (at speed 1).
    enter_ms = min(1000, duration_ms // 3) / speed
    exit_ms = round(min(500, duration_ms // 6))
    exit_delay_ms = max(0, duration_ms - exit_ms)
    plan, extra = PLANS[props["template"]](props)
    # The entrance is squeezed, when it must be, to end before the exit starts.
    t, unit_ms, entrance_end_ms = schedule(plan, enter_ms, exit_delay_ms)
    context = {
        "props": props,
        "font_stack": FONTS[props["font"]],
        "on_accent": readable_on(props["accent"]),
        # How much of the background stays at the vignette's edge: light
        # backgrounds get a faint one (a strong one looks grey and dirty).
        "vignette_pct": 92 if luminance(props["background"]) > 0.4 else 68,
        "duration_ms": duration_ms,
        # One entrance step (ms): a second at most, over the speed, squeezed to fit.
        "enter_ms": round(unit_ms),
        "exit_ms": exit_ms,
        "exit_delay_ms": exit_delay_ms,
        # Entrance timings by element: t.<name>.delay and t.<name>.dur, in ms.
        "t": t,
        "entrance_end_ms": entrance_end_ms,
        **extra,
    }
    if "words" in t:
        context["words"] = words(props["title"], t["words"])
    if "items" in t:
        context["items"] = [
            {"text": s, **span} for s, span in zip(props["items"], t["items"], strict=True)
        ]
    if "rows" in extra:
        context["rows"] = [
            {"left": left, "right": right, "l": l_span, "r": r_span}
            for (left, right), l_span, r_span in zip(
                extra["rows"], t["left"], t["right"], strict=True
            )
        ]
    template = BY_KEY[props["template"]]
    if template.pulses:
        context["pulse"] = pulse(speed, entrance_end_ms + 150, exit_delay_ms)
    return render_to_string(template.layout, context)
