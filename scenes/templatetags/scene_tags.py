from django import template

register = template.Library()


@register.filter
def seconds(frames: int, fps: int) -> str:
    """Frames as seconds for people: "5 s", "1.5 s", "0.03 s"."""
    value = frames / fps
    return f"{value:.2f}".rstrip("0").rstrip(".") + " s"
