"""Where a pending reply is claimed, so exactly one runner works on it."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Message


def claimable(now=None) -> Q:
    """Pending assistant messages nobody holds, or whose holder's lease ran out."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=settings.CHATVIDEO_CLAIM_LEASE_SECONDS)
    return Q(role=Message.Role.ASSISTANT, status=Message.Status.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired)
    )


def is_claimable(message_id: int) -> bool:
    """Whether a claim would succeed now: a cheap check before queueing a reply."""
    return Message.objects.filter(claimable(), id=message_id).exists()


def claim_message(message_id: int) -> uuid.UUID | None:
    """Claim a pending reply with one conditional UPDATE.

    Returns the claim token, or None when someone else holds it or it is no
    longer pending: "updated 0 rows" means another runner got there first.
    Every later write by the runner is conditional on this token.
    """
    token = uuid.uuid4()
    now = timezone.now()
    updated = Message.objects.filter(claimable(now), id=message_id).update(
        claimed_at=now, claim_token=token, updated_at=now
    )
    return token if updated else None
