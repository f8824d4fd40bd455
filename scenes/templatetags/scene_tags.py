from django import template

from scenes.render import short_duration

register = template.Library()


@register.filter
def seconds(frames: int, fps: int) -> str:
    """Frames as seconds for people: "5 s", "1.5 s", "0.03 s"."""
    return short_duration(frames, fps)


@register.filter
def clip_label(name: str) -> str:
    """A scene's name as a timeline clip shows it: "Title card: Launch" -> "Launch".

    Clips are narrow, and every scene of a template starts with the same
    words; what tells them apart is after the colon. The full name stays the
    clip's tooltip and accessible description.
    """
    _, colon, rest = name.partition(": ")
    return rest.strip() if colon and rest.strip() else name
