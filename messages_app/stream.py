"""What a project's event stream accepts, and how long it may stay open.

django-eventstream (5.3.4) also serves a GRIP proxy (Pushpin), which this app
does not use, and two of its parameters are only meant for one: `es-meta`, a
token signed with SECRET_KEY that names the user and the channels to read
(whoever holds the key can read any project), and `recover`, which reads the
proxy's state and fails with a 500 without one. The browser never sends
either: the htmx SSE extension reconnects to the `sse-connect` URL, and the
EventSource adds the last id it saw as a `Last-Event-ID` header. So both are
refused, and the channel and the user always come from the view.

The library also checks access once, when the stream opens. A stream is
therefore re-checked every CHATVIDEO_STREAM_RECHECK_SECONDS and ends once its
session is gone, its user is deactivated, or the project changed owner.
"""

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from importlib import import_module
from urllib.parse import unquote

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.crypto import constant_time_compare
from django_eventstream.utils import sse_encode_error

from projects.models import Project

logger = logging.getLogger("chatvideo.stream")
# Proxy-only parameters: see the module docstring.
REFUSED_PARAMETERS = ("es-meta", "recover")
# The stored event ids are bigint; longer digit strings cannot be one.
EVENT_ID = re.compile(r"(?P<channel>[^:,]+):(?P<id>[0-9]{1,18})")


def last_event_id(request: HttpRequest) -> str:
    """The id the stream resumes from, chosen as django-eventstream chooses it.

    The header (an EventSource's own reconnect) wins; otherwise the last
    non-empty `lastEventId` parameter (the page's first connection).
    """
    header = request.headers.get("Last-Event-ID", "")
    if header:
        return header
    for value in reversed(request.GET.getlist("lastEventId")):
        if value:
            return value
    return ""


def stream_request_error(request: HttpRequest, channel: str) -> str | None:
    """Why this stream request is malformed (a short sentence), or None if it is fine.

    Everything the library would choke on is caught here: it would answer
    a 500, or (an id that is not a number) send headers and then hang.
    """
    for name in REFUSED_PARAMETERS:
        if name in request.GET:
            return f"The event stream does not accept the {name} parameter."
    resume_from = last_event_id(request)
    if not resume_from:
        return None
    if resume_from == "error":
        return "The stream ended with an error and cannot resume; reload the page."
    match = EVENT_ID.fullmatch(resume_from)
    if match is None or unquote(match["channel"]) != channel:
        return f"The last event id must look like {channel}:12."
    return None


def stream_is_still_allowed(session_key: str | None, user_id: int, project_id: int) -> bool:
    """Whether the stream's login still holds and its user still owns the project.

    The session must still exist (logging out deletes it) and still be this
    user's, with the password it was made with (Django's own rule: a password
    change ends other sessions); the user must be active.
    """
    if not session_key:
        return False
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or session.get(SESSION_KEY) != user._meta.pk.value_to_string(user):
        return False
    session_hash = session.get(HASH_SESSION_KEY) or ""
    if not any(
        constant_time_compare(session_hash, known)
        for known in [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    ):
        return False
    return Project.objects.owned_by(user).filter(id=project_id).exists()


def _check_and_disconnect(still_allowed: Callable[[], bool]) -> bool:
    try:
        return still_allowed()
    finally:
        # An idle stream holds no database connection between checks.
        connection.close()


# The library's own way of ending a stream the reader may no longer read:
# its id ("error") makes the browser's automatic reconnect a 400, so the page
# starts over from its URL (and gets a 404 or the login page).
NO_LONGER_ALLOWED = sse_encode_error("forbidden", "You may no longer read this project's events.")


def close_when_not_allowed(
    response: StreamingHttpResponse, still_allowed: Callable[[], bool], every: float
) -> StreamingHttpResponse:
    """End the streaming response once still_allowed() (run every `every` seconds) is False.

    still_allowed runs in a thread, off the event loop; the database connection
    it used is closed afterwards. Responses that are not async streams (the
    library's immediate error answers) are returned as they are.
    """
    if response.streaming and response.is_async:
        response.streaming_content = _rechecked(response.streaming_content, still_allowed, every)
    return response


async def _next(chunks: AsyncGenerator[bytes, None]) -> bytes:
    return await anext(chunks)


async def _rechecked(
    chunks: AsyncGenerator[bytes, None], still_allowed: Callable[[], bool], every: float
) -> AsyncGenerator[bytes, None]:
    """Pass chunks (events and keep-alives) through as they come; check between and while waiting.

    The next chunk is awaited in a task of its own, so the check runs on time
    even while the library waits (up to 20 s) for an event.
    """
    loop = asyncio.get_running_loop()
    check = sync_to_async(_check_and_disconnect)
    next_check = loop.time() + every
    pending: asyncio.Task | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(_next(chunks))
            await asyncio.wait({pending}, timeout=max(0.0, next_check - loop.time()))
            if pending.done():
                finished, pending = pending, None
                try:
                    chunk = finished.result()
                except StopAsyncIteration:
                    return
                yield chunk
            if loop.time() >= next_check:
                try:
                    allowed = await check(still_allowed)
                except Exception:
                    # Unknown is not allowed. No stream-error, though: the
                    # browser's reconnect resumes from its last id, and is
                    # checked afresh.
                    logger.warning("Could not re-check an event stream; ending it", exc_info=True)
                    return
                if not allowed:
                    yield NO_LONGER_ALLOWED.encode()
                    return
                next_check = loop.time() + every
    finally:
        if pending is not None:
            # Cancelling the library's generator mid-wait runs its cleanup
            # (it unregisters its listener).
            pending.cancel()
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
        await chunks.aclose()
