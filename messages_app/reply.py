"""Where a pending reply is answered: claim, decide, update, apply.

This is the one runner for a pending assistant message, shared by the task
view and the ``chat`` command. It never creates a message: it fills in the
row that submit_message created.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from redis.exceptions import RedisError

from assistant.decision import BrainError, Decision, Usage
from assistant.orchestrator import decide
from chatvideo.dbpool import release_connection
from projects.models import Project
from scenes.errors import ToolError
from scenes.history import recording_changes
from scenes.tools import apply_calls

from .claim import claim_message
from .context import build_context
from .events import publish_message, publish_progress, publish_scenes
from .models import Message

logger = logging.getLogger("chatvideo.reply")

# A streamed reply is written to the row at most this often.
PROGRESS_INTERVAL_SECONDS = 0.3


class ClaimLost(Exception):
    """Another runner took the message over (our lease ran out)."""


def run_reply(message_id: int) -> Message | None:
    """Claim and answer one pending reply. Returns it finished, or None if not claimed."""
    token = claim_message(message_id)
    if token is None:
        return None
    return answer_claimed(message_id, token)


def answer_claimed(message_id: int, token: uuid.UUID) -> Message | None:
    """Answer a reply we hold the claim for; None if the claim was taken over meanwhile."""
    message = Message.objects.select_related("project", "in_reply_to").get(id=message_id)
    started = time.monotonic()
    decision = None
    try:
        progress = ProgressWriter(message, token)
        context = build_context(message, on_text=progress, keep_alive=progress.keep_alive)
        # A model can take a minute; its progress writes take a connection
        # from the pool only for as long as each write lasts.
        release_connection()
        decision = decide(context)
        # The reply replaces "Generating code..." in the same row straight away;
        # the status stays pending until the tool has run.
        _update_claimed(message, token, content=decision.reply, tool=message_tool(decision))
        return apply_decision(message, token, decision, started)
    except ClaimLost:
        logger.warning("message %s was taken over by another runner", message_id)
        return None
    except BrainError as exc:
        return fail(message, token, str(exc), started, exc.usage)
    except ToolError as exc:
        return fail(message, token, str(exc), started, decision.usage if decision else None)
    except Exception as exc:
        logger.exception("answering message %s failed", message_id)
        if decision is None:
            return fail(message, token, f"The assistant could not answer: {describe(exc)}", started)
        reason = f"The change could not be made: {describe(exc)}"
        return fail(message, token, reason, started, decision.usage)


class ProgressWriter:
    """Writes a streamed reply into the pending row, a few times a second.

    Each write also renews the claim's lease: a model that is still writing
    is alive, however long it takes.
    """

    def __init__(self, message: Message, token: uuid.UUID) -> None:
        self.message = message
        self.token = token
        self.last_write = 0.0

    def __call__(self, text: str) -> None:
        now = time.monotonic()
        if now - self.last_write < PROGRESS_INTERVAL_SECONDS or not text.strip():
            return
        self.last_write = now
        _update_claimed(self.message, self.token, content=text, claimed_at=timezone.now())
        publish_progress(self.message)

    def keep_alive(self) -> None:
        """Renew the claim's lease without new text."""
        _update_claimed(self.message, self.token, claimed_at=timezone.now())


def apply_decision(
    message: Message, token: uuid.UUID, decision: Decision, started: float | None = None
) -> Message:
    """Apply the tool calls and mark the message success, together or not at all.

    All the calls are recorded against this one message, so undo reverts
    them together.
    """
    calls = decision.tool_calls
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=message.project_id)
        scene = None
        if calls:
            with recording_changes(project, message):
                scene = apply_calls(project, calls)
        _update_claimed(
            message,
            token,
            status=Message.Status.SUCCESS,
            scene=scene,
            claim_token=None,
            **usage_fields(started, decision.usage),
        )
        # Stored in this transaction and sent when it commits (events.py): no
        # commit of their own, and no page hears of a change that rolled back.
        if calls:
            publish_scenes(project.pk)
        publish_message(message)
    message.refresh_from_db()
    return message


def message_tool(decision: Decision) -> str:
    """What the message's tool field keeps: the first tool called ("" for none).

    Scene history only asks whether it was "undo", and undo is never one of
    several calls (apply_calls refuses that), so the first name is enough.
    """
    calls = decision.tool_calls
    return calls[0].tool if calls else ""


def fail(
    message: Message,
    token: uuid.UUID,
    reason: str,
    started: float | None = None,
    usage: Usage | None = None,
) -> Message | None:
    """End the message in error with a reason the user can read."""
    try:
        _fail(message, token, reason, started, usage)
    except ClaimLost:
        logger.warning("message %s was taken over before it could fail", message.id)
        return None
    message.refresh_from_db()
    return message


def _fail(message, token, reason, started, usage) -> None:
    with transaction.atomic():
        _update_claimed(
            message, token, **Message.error_fields(reason), **usage_fields(started, usage)
        )
        publish_message(message)


def usage_fields(started: float | None, usage: Usage | None) -> dict:
    """Which brain answered, with what model, tokens and time: kept on the message."""
    fields = {"brain": settings.CHATVIDEO_BRAIN[:100]}
    if started is not None:
        fields["duration_ms"] = round((time.monotonic() - started) * 1000)
    if usage is not None:
        fields.update(
            model=usage.model[:100],
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
        )
    return fields


def _update_claimed(message: Message, token: uuid.UUID, **fields) -> None:
    """Write to the message only while our claim still holds it."""
    updated = Message.objects.held(message.id, token).update(updated_at=timezone.now(), **fields)
    if not updated:
        raise ClaimLost(message.id)
    for name, value in fields.items():
        setattr(message, name, value)


# What a user may not read in an error: URLs (they can carry passwords),
# addresses and host:port pairs, and "port N" / 'at "host"' as database
# drivers write them.
_SERVER_DETAILS = re.compile(
    "|".join(
        [
            r"\w+://\S+",  # a URL
            r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b",  # an IPv4 address, maybe with a port
            r"\[[0-9a-f:.]+\](?::\d+)?",  # a bracketed IPv6 address
            r"\b[\w.-]+:\d{2,5}\b",  # host:port
            r"\bport \d+",
            r'\bat "[^"]*"',  # psycopg: connection to server at "db.internal"
        ]
    ),
    re.IGNORECASE,
)


def describe(exc: Exception) -> str:
    """An unexpected failure, in words fit for the chat: never a host, port or password.

    A failure to reach a server (the database, Redis, the network) says only
    that; other errors keep their text with any server details removed. The
    full error is in the server log (logger.exception above).
    """
    if isinstance(exc, (OSError, OperationalError, InterfaceError, RedisError)):
        return "a server it depends on is not answering; try again in a moment"
    text = _SERVER_DETAILS.sub("[server]", str(exc)).strip()
    return text if text else type(exc).__name__
