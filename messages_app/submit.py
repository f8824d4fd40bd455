"""Where a message is created: the user's text and its pending reply."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import Project

from .events import publish_message
from .models import PENDING_TEXT, Message


@dataclass(frozen=True)
class Submitted:
    user_message: Message
    pending_reply: Message
    created: bool  # False when the client key had been seen: nothing new was written


def submit_message(project: Project, text: str, client_key: uuid.UUID | None = None) -> Submitted:
    """Create the user's message and the assistant's pending reply together.

    Both rows are written in one transaction under a lock on the project row,
    which makes the per-project order gap-free and lets a repeated client key
    find the first submit's rows. The pending reply's id is published only
    after commit, so no page hears of a row that was rolled back.
    """
    with transaction.atomic():
        Project.objects.select_for_update().only("id").get(pk=project.pk)
        if client_key is not None:
            earlier = (
                Message.objects.filter(project=project, client_key=client_key)
                .select_related("reply")
                .first()
            )
            if earlier is not None:
                return Submitted(earlier, earlier.reply, created=False)
        last_seq = Message.objects.filter(project=project).aggregate(m=Max("seq"))["m"] or 0
        user_message = Message.objects.create(
            project=project,
            seq=last_seq + 1,
            role=Message.Role.USER,
            content=text,
            status=Message.Status.SUCCESS,
            client_key=client_key,
        )
        pending_reply = Message.objects.create(
            project=project,
            seq=last_seq + 2,
            role=Message.Role.ASSISTANT,
            content=PENDING_TEXT,
            status=Message.Status.PENDING,
            in_reply_to=user_message,
        )
        Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
        transaction.on_commit(lambda: publish_message(pending_reply))
    return Submitted(user_message, pending_reply, created=True)


def sent_recently(user, seconds: int = 60) -> int:
    """How many messages the user sent over all their projects in the last `seconds`."""
    since = timezone.now() - timedelta(seconds=seconds)
    return Message.objects.filter(
        project__owner=user, role=Message.Role.USER, created_at__gte=since
    ).count()
