"""Where a message is created: the user's text and its pending reply."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from projects.models import Project

from .events import publish_message
from .models import Message
from .ratelimit import check_rate_limit, lock_user
from .tasks import enqueue_orphan_reply


@dataclass(frozen=True)
class Submitted:
    user_message: Message
    pending_reply: Message | None  # None only if an admin deleted a repeated submit's reply
    created: bool  # False when the client key had been seen: nothing new was written


def submit_message(
    project: Project, text: str, client_key: uuid.UUID | None = None, *, per_minute: int = 0
) -> Submitted:
    """Create the user's message and the assistant's pending reply together.

    Both rows are written in one transaction under a lock on the owner's row
    (a project has one owner, so this also serialises the project),
    which makes the per-project order gap-free, lets a repeated client key
    find the first submit's rows, and makes the rate limit (`per_minute`, 0
    for none) exact. The pending reply's event is stored in the same
    transaction and published only after commit, so no page hears of a row
    that was rolled back. Raises RateLimited.
    """
    with transaction.atomic():
        lock_user(project.owner_id)
        if client_key is not None:
            client_key, earlier = _unspent_key(project, client_key, text)
            if earlier is not None:
                reply = Message.objects.filter(in_reply_to=earlier).first()
                return Submitted(earlier, reply, created=False)
        check_rate_limit(project.owner_id, per_minute)
        now = timezone.now()
        last_seq = Message.objects.filter(project=project).last_seq()
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
            in_reply_to=user_message,
            **Message.pending_fields(now),
        )
        Project.objects.filter(pk=project.pk).update(updated_at=now)
        # Stored in this transaction, sent after it commits (messages_app/events.py).
        publish_message(pending_reply)
        transaction.on_commit(lambda: enqueue_orphan_reply(pending_reply.id))
    return Submitted(user_message, pending_reply, created=True)


def _unspent_key(
    project: Project, client_key: uuid.UUID, text: str
) -> tuple[uuid.UUID, Message | None]:
    """The key to store the message under, and the earlier message it repeats, if any.

    A key names the message first sent with it. The same key with the same
    text, before the user sent anything else, is a double submit (a double
    click, a retried request): it finds that message. Otherwise the form was
    used before (a page restored by Back, say) and this is a new message: it
    gets a key derived from the earlier message and the text, looked up the
    same way, so that stale form sent twice still saves once, and sent again
    after another message saves again.
    """
    while True:
        earlier = Message.objects.filter(project=project, client_key=client_key).first()
        if earlier is None:
            return client_key, None
        if earlier.content == text and not _followed_by_user_message(earlier):
            return client_key, earlier
        client_key = uuid.uuid5(client_key, f"{earlier.seq}:{text}")


def _followed_by_user_message(message: Message) -> bool:
    return Message.objects.filter(
        project_id=message.project_id, role=Message.Role.USER, seq__gt=message.seq
    ).exists()
