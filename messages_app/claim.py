"""Where a pending reply is claimed, so exactly one runner works on it."""

import uuid

from django.utils import timezone

from .models import Message


def is_claimable(message_id: int) -> bool:
    """Whether a claim would succeed now: a cheap check before queueing a reply."""
    return Message.objects.claimable(timezone.now()).filter(id=message_id).exists()


def claim_message(message_id: int) -> uuid.UUID | None:
    """Claim a pending reply with one conditional UPDATE.

    Returns the claim token, or None when someone else holds it or it is no
    longer pending: "updated 0 rows" means another runner got there first.
    Every later write by the runner is conditional on this token.
    """
    token = uuid.uuid4()
    updated = Message.objects.filter(id=message_id).claim(timezone.now(), token)
    return token if updated else None
