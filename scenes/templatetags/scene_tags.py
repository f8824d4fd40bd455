from django import template

from scenes.render import short_duration

register = template.Library()


@register.filter
def seconds(frames: int, fps: int) -> str:
    """Frames as seconds for people: "5 s", "1.5 s", "0.03 s"."""
    return short_duration(frames, fps)
