"""Scene templates: complete, safe, self-contained documents whose finite CSS
animations all end inside the scene, for every template key."""

import re

import pytest
from django.utils.html import escape

from scenes.render import (
    FONTS,
    TEMPLATE_LABELS,
    fit_size,
    render_scene_code,
    roll_digits,
    scene_props,
)

TEMPLATES = list(TEMPLATE_LABELS)
FPS = 30
CSP_META = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
)
NASTY = '<b>Big</b> & "quotes"'
SAMPLE = {
    "title": "Launch Day",
    "subtitle": "Made by chatting",
    "items": ["Speed", "Privacy", "Price", "Support"],
    "accent": "#f97316",
    "background": "#0f172a",
}
# (duration_frames, speed): one frame, short, typical, long; slow and fast.
TIMINGS = [(1, 1.0), (12, 0.25), (45, 1.0), (150, 0.25), (150, 1.0), (150, 4.0), (1800, 1.0)]
MS = re.compile(r"^(\d+(?:\.\d+)?)ms$")


def render(template: str, frames: int = 150, **props) -> str:
    return render_scene_code(scene_props(template=template, **props), frames, FPS)


def css_sources(html: str) -> list[str]:
    """Every place CSS can live: <style> blocks and style="" attributes."""
    blocks = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    attributes = re.findall(r'\sstyle="([^"]*)"', html)
    return blocks + attributes


def strip_parens(value: str) -> str:
    """Drop (...) groups, innermost first: cubic-bezier(...), var(...), calc(...)."""
    while True:
        stripped = re.sub(r"\([^()]*\)", "", value)
        if stripped == value:
            return value
        value = stripped


def animations(html: str) -> list[dict]:
    """Each animation of each `animation:` shorthand: name, dur, delay, count, text."""
    found = []
    for css in css_sources(html):
        for declaration in re.findall(r"(?<![-\w])animation\s*:\s*([^;}]+)", css):
            for part in strip_parens(declaration).split(","):
                tokens = part.split()
                times = [float(m[1]) for m in map(MS.match, tokens) if m]
                counts = [float(tok) for tok in tokens if re.fullmatch(r"\d+(\.\d+)?", tok)]
                assert len(times) == 2, f"want duration and delay in ms: {declaration!r}"
                assert len(counts) <= 1, f"ambiguous iteration count: {declaration!r}"
                found.append(
                    {
                        "name": tokens[0],
                        "dur": times[0],
                        "delay": times[1],
                        "count": counts[0] if counts else 1,
                        "text": part,
                    }
                )
    return found


def end_ms(animation: dict) -> float:
    return animation["delay"] + animation["dur"] * animation["count"]


def entrance_end(html: str) -> float:
    return max(end_ms(a) for a in animations(html) if a["name"].startswith("in-"))


def outside_csp_meta(html: str) -> str:
    assert html.count(CSP_META) == 1
    return html.replace(CSP_META, "")


def visible_text(html: str) -> str:
    """The body's text nodes joined, tags dropped (entities left as they are)."""
    body = html.split("<body>", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", body)).strip()


# --- every template ---------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_renders_a_complete_document(template):
    html = render(template, **SAMPLE)

    assert html.startswith("<!doctype html>")
    assert html.rstrip().endswith("</html>")
    assert html.count("<body>") == 1
    assert html.count("</body>") == 1
    assert "Launch Day" in html
    assert FONTS["sans"] in html
    assert "container-type: size" in html


@pytest.mark.parametrize("template", TEMPLATES)
def test_user_text_is_escaped_and_kept_out_of_style(template):
    html = render(template, title=NASTY, subtitle=NASTY, items=[NASTY, NASTY])

    assert escape(NASTY) in html
    assert "<b>" not in html
    assert '"quotes"' not in html
    for css in css_sources(html):
        assert "Big" not in css
        assert "quotes" not in css


@pytest.mark.parametrize("template", TEMPLATES)
def test_loads_nothing_and_runs_nothing(template):
    html = render(template, **SAMPLE)
    lowered = html.lower()

    assert "<script" not in lowered
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", lowered), "no event handler attributes"
    assert "@import" not in lowered
    assert "@font-face" not in lowered
    assert "url(" not in lowered
    assert "src=" not in lowered
    assert "href=" not in lowered
    rest = outside_csp_meta(html).lower()
    assert "http:" not in rest
    assert "https:" not in rest
    assert "//" not in rest


@pytest.mark.parametrize("template", TEMPLATES)
def test_csp_meta_is_kept(template):
    html = render(template, **SAMPLE)

    head = html.split("</head>", 1)[0]
    assert CSP_META in head


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(("frames", "speed"), TIMINGS)
def test_animations_are_finite_fill_both_and_end_in_the_scene(template, frames, speed):
    html = render(template, frames, speed=speed, **SAMPLE)
    duration_ms = round(frames * 1000 / FPS)
    found = animations(html)

    assert "infinite" not in html.lower()
    assert "animation-" not in html, "only `animation:` shorthands, so all of them are parsed"
    assert len(found) == sum(
        len(strip_parens(d).split(","))
        for css in css_sources(html)
        for d in re.findall(r"(?<![-\w])animation\s*:\s*([^;}]+)", css)
    )
    assert any(a["name"].startswith("in-") for a in found)
    for animation in found:
        assert "both" in animation["text"].split(), animation["text"]
        assert re.fullmatch(r"(in|out|amb)-[a-z0-9-]+", animation["name"]), animation["name"]
        assert animation["count"] == int(animation["count"]) >= 1, animation["text"]
        assert end_ms(animation) <= duration_ms, (animation["text"], duration_ms)

    exits = [a for a in found if a["name"].startswith("out-")]
    assert len(exits) == 1
    assert end_ms(exits[0]) == duration_ms
    # The entrance and any ambient beats are over before the exit starts.
    for animation in found:
        if animation["name"].startswith("in-"):
            assert end_ms(animation) <= exits[0]["delay"], animation["text"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_higher_speed_makes_the_entrance_shorter(template):
    slow = entrance_end(render(template, speed=1.0, **SAMPLE))
    fast = entrance_end(render(template, speed=2.0, **SAMPLE))

    assert fast < slow
    assert fast == pytest.approx(slow / 2, abs=10)


@pytest.mark.parametrize("template", TEMPLATES)
def test_empty_props_still_render_a_scene(template):
    html = render(template)

    assert html.startswith("<!doctype html>")
    assert html.rstrip().endswith("</html>")
    assert animations(html)
    assert "None" not in visible_text(html)


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_has_its_own_file_and_reads_the_title(template):
    one = render(template, title="Alpha")
    other = render(template, title="Omega")

    assert "Alpha" in one
    assert "Omega" in other
    assert one.replace("Alpha", "Omega") == other


@pytest.mark.parametrize("template", TEMPLATES)
def test_colours_and_font_come_from_the_props(template):
    html = render(template, background="#123456", color="#abcdef", accent="#00ff88", font="mono")

    assert "background: #123456" in html
    assert "color: #abcdef" in html
    assert "--accent: #00ff88" in html
    assert f"font-family: {FONTS['mono']}" in html
    assert FONTS["sans"] not in html


# --- template-specific --------------------------------------------------------


def test_bullets_render_every_item_in_order_with_a_stagger():
    html = render("bullets", **SAMPLE)

    items = re.findall(r'<li style="animation: ([^"]*)">([^<]*)</li>', html)
    assert [text for _, text in items] == SAMPLE["items"]
    delays = [a["delay"] for a in animations(html) if a["name"] == "in-item"]
    assert len(delays) == 4
    assert delays == sorted(delays)
    assert len(set(delays)) == 4


def test_bullets_without_items_show_just_the_heading():
    html = render("bullets", title="Agenda")

    assert "<ul" not in html
    assert "<li" not in html
    assert "Agenda" in visible_text(html)


def test_split_alternates_items_left_and_right():
    html = render("split", title="Before", subtitle="After", items=["a1", "b1", "a2", "b2", "a3"])

    left = re.findall(r'<p class="cell left"[^>]*>([^<]*)</p>', html)
    right = re.findall(r'<p class="cell right[^"]*"[^>]*>([^<]*)</p>', html)
    assert left == ["a1", "a2", "a3"]
    assert right == ["b1", "b2", ""]
    assert '<h2 class="head left">Before</h2>' in html
    assert '<h2 class="head right">After</h2>' in html


def test_split_rows_sit_on_their_own_grid_rows():
    html = render("split", items=["a1", "b1", "a2", "b2"])

    rows = re.findall(r'class="cell (?:left|right)[^"]*" style="grid-row: (\d+);', html)
    assert rows == ["2", "2", "3", "3"]


def digit_columns(html: str) -> list[list[str]]:
    strips = re.findall(
        r'<span class="strip" style="--shift: (\d+)">((?:<span>\d</span>)+)</span>', html
    )
    columns = []
    for shift, cells in strips:
        cells = re.findall(r"<span>(\d)</span>", cells)
        assert int(shift) == len(cells) - 1, "the strip slides to its last cell"
        columns.append(cells)
    return columns


def test_counter_rolls_each_digit_up_to_the_number():
    html = render("counter", title="1,000,000", subtitle="videos made")

    columns = digit_columns(html)
    assert "".join(cells[-1] for cells in columns) == "1000000"
    assert all(cells[0] == "0" for cells in columns), "every column starts on 0"
    assert len(columns[-1]) > len(columns[1]) > len(columns[0]), "lower digits spin more"
    assert html.count('<span class="sep" aria-hidden="true">,</span>') == 2
    assert 'aria-label="1,000,000"' in html
    roll = [a for a in animations(html) if a["name"] == "in-roll"]
    assert len(roll) == 1
    assert "translateY(calc(var(--shift) * -1.3em))" in html


def test_counter_keeps_prefix_and_suffix_still():
    html = render("counter", title="$4.5M")

    assert "".join(cells[-1] for cells in digit_columns(html)) == "45"
    assert '<span class="affix pre" aria-hidden="true">$</span>' in html
    assert '<span class="affix post" aria-hidden="true">M</span>' in html
    assert '<span class="sep" aria-hidden="true">.</span>' in html


def test_counter_with_a_percentage():
    html = render("counter", title="42%")

    assert [cells[-1] for cells in digit_columns(html)] == ["4", "2"]
    assert '<span class="affix post" aria-hidden="true">%</span>' in html


def test_counter_that_is_not_a_number_scales_in():
    html = render("counter", title="Record year")

    assert digit_columns(html) == []
    assert "in-roll" not in {a["name"] for a in animations(html)}
    assert "in-pop" in {a["name"] for a in animations(html)}
    assert '<p class="number text">Record year</p>' in html


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("1,000,000", "1000000"),
        ("42%", "42"),
        ("+250 users", "250"),
        ("$12,345.67", "1234567"),
        ("2024", "2024"),
        ("0", "0"),
    ],
)
def test_roll_digits_reads_numbers(text, digits):
    roll = roll_digits(text)

    assert roll is not None
    assert "".join(part["cells"][-1] for part in roll["parts"] if "cells" in part) == digits


@pytest.mark.parametrize("text", ["", "Record year", "3 out of 4", "1" * 16, "v2.0 beta 3"])
def test_roll_digits_refuses_what_is_not_one_number(text):
    assert roll_digits(text) is None


def test_cta_pill_pulses_a_finite_number_of_times():
    html = render("cta", title="Start now", subtitle="example.com/start")

    pulses = [a for a in animations(html) if a["name"] == "amb-pulse"]
    assert len(pulses) == 1
    assert 1 <= pulses[0]["count"] <= 6
    assert pulses[0]["delay"] >= entrance_end(html)
    assert ">example.com/start<" in html


def test_cta_in_a_short_scene_does_not_pulse():
    html = render("cta", frames=30, title="Start now", subtitle="example.com")

    assert "amb-pulse" not in {a["name"] for a in animations(html)}


def test_reveal_draws_the_mark_with_css_shapes():
    html = render("reveal", title="Acme", subtitle="Since 1999")

    assert '<span class="disc"></span>' in html
    assert "border-radius: 50%" in html
    assert "<img" not in html
    assert "<svg" not in html
    names = [a["name"] for a in animations(html)]
    assert names.index("in-disc") < names.index("in-name")


def test_words_enter_one_after_another_for_the_title_card():
    html = render("title", title="One two three")

    words = re.findall(r'<span style="animation: in-word [^"]*">([^<]*)</span>', html)
    assert words == ["One", "two", "three"]
    delays = [a["delay"] for a in animations(html) if a["name"] == "in-word"]
    assert delays == sorted(delays)
    assert delays[0] < delays[-1]


def test_long_text_gets_a_smaller_font():
    short = fit_size(["Hi"], largest=15, smallest=5, width=150, height=52)
    long = fit_size(["word " * 40], largest=15, smallest=5, width=150, height=52)

    assert short == 15
    assert 5 <= long < short


def test_a_one_frame_scene_still_ends_in_time():
    html = render("bullets", frames=1, **SAMPLE)

    assert max(end_ms(a) for a in animations(html)) <= round(1000 / FPS)
