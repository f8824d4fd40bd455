"""Scene code: one self-contained HTML document generated from a scene's props.

The code is always regenerated from the props, so an edit changes the props
and the picture together. Animations are finite CSS animations with fill
"both", so the picture at any frame depends only on the time.
"""

from django.template.loader import render_to_string

DEFAULT_PROPS = {
    "template": "title",
    "title": "",
    "subtitle": "",
    "items": [],
    "background": "#0f172a",
    "color": "#ffffff",
    "accent": "#f97316",
    "font": "Inter, Helvetica Neue, Arial, sans-serif",
    "speed": 1.0,
}


def scene_props(**changes) -> dict:
    return {**DEFAULT_PROPS, **changes}


def render_scene_code(props: dict, duration_frames: int, fps: int) -> str:
    props = scene_props(**props)
    duration_ms = round(duration_frames * 1000 / fps)
    speed = float(props["speed"]) or 1.0
    # Entrances take a share of the scene, never more than a second (at speed 1).
    enter_ms = min(1000, duration_ms // 3) / speed
    return render_to_string(
        f"scenes/code/{props['template']}.html",
        {
            "props": props,
            "duration_ms": duration_ms,
            "enter_ms": round(enter_ms),
            "exit_ms": round(min(500, duration_ms // 6)),
            "exit_delay_ms": max(0, duration_ms - round(min(500, duration_ms // 6))),
        },
    )
