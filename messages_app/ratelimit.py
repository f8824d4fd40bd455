"""How many replies a user may start per minute (submits and retries alike)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Message


class RateLimited(Exception):
    """The user started too many replies in the last minute; the text says so."""


def lock_user(user_id: int) -> None:
    """Serialise the user's writes for the rest of the transaction.

    Submits and retries take this lock first, so the per-project order stays
    gap-free and the rate limit counts concurrent requests one by one.
    """
    get_user_model().objects.select_for_update().only("id").get(pk=user_id)


def check_rate_limit(user_id: int, per_minute: int) -> None:
    """Refuse when the user started `per_minute` replies in the last minute (0: no limit).

    Call after lock_user in the same transaction. The count is in the
    database, so the limit holds across processes.
    """
    if not per_minute:
        return
    started = Message.objects.filter(
        project__owner_id=user_id,
        role=Message.Role.ASSISTANT,
        pending_since__gte=timezone.now() - timedelta(seconds=60),
    ).count()
    if started >= per_minute:
        raise RateLimited(
            f"You are sending messages too fast (at most {per_minute} a minute). "
            "Wait a moment, then send again."
        )
