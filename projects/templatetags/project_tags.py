"""How the project list words times and lengths."""

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def updated_ago(when: datetime) -> str:
    """ "just now" under a minute (never "0 minutes ago"), else "5 minutes ago"."""
    if timezone.now() - when < timedelta(minutes=1):
        return "just now"
    return f"{timesince(when, depth=1)} ago"


@register.simple_tag
def video_length(frames: int | None, fps: int) -> str:
    """A total length in frames as "0:07" (minutes:seconds, rounded up to the second)."""
    seconds = -(-(frames or 0) // fps) if fps else 0
    return f"{seconds // 60}:{seconds % 60:02d}"
