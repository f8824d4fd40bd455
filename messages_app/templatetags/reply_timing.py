"""Timing the pending message's partial needs from the settings."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def task_retrigger_seconds() -> int:
    """How often a pending message calls its task view again: every half lease.

    A claim held by a live runner makes that a cheap 204; once a dead
    runner's lease has run out, the next call takes the reply over, so an
    open tab gets its answer within half a lease of the expiry.
    """
    return max(1, settings.CHATVIDEO_CLAIM_LEASE_SECONDS // 2)
