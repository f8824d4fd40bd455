"""What a project's event stream accepts, and how long it may stay open.

django-eventstream (5.3.4) also serves a GRIP proxy (Pushpin, with GRIP_URL
set), and two of its parameters are only meant for one: `es-meta`, a token
signed with SECRET_KEY that names the user and the channels to read, and
`recover`, which reads the proxy's state and fails with a 500 without one.
The library puts both in the "next link" it gives Pushpin, which Pushpin
fetches (without the page's cookies) when it must recover a stream. The
browser never sends either: the htmx SSE extension reconnects to the
`sse-connect` URL, and the EventSource adds the last id it saw as a
`Last-Event-ID` header. So both are refused, except in a request Pushpin
signed whose es-meta is validly signed, names the project's own channel and,
when the request has a session, that session's user; and even then who may
read comes from the database (the named user is active and owns the
project), never from the token.

The library also checks access once, when the stream opens. A stream is
therefore re-checked every CHATVIDEO_STREAM_RECHECK_SECONDS and ends once its
session is gone, its user is deactivated, or the project changed owner.
Behind Pushpin daphne does not hold the stream, so RecheckProxiedStreams has
Pushpin fetch the stream's next link every CHATVIDEO_PUSHPIN_RECHECK_SECONDS:
that request is answered only for an active owner (views.proxied_events), and
a refusal ends the stream at once with the same stream-error.

An open stream holds no database connection while it waits: its reads (the
library's, in the request's thread, and the re-checks) hand theirs back at
once (messages_app/event_storage.py). And one user may hold at most
CHATVIDEO_STREAMS_PER_USER open streams in a process, so no one user can tie
up a process's threads; behind Pushpin (GRIP) the proxy holds the streams and
daphne only answers their first request, so there is nothing to count.
"""

import asyncio
import logging
import re
import threading
import time
import weakref
from collections import Counter
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from importlib import import_module
from typing import Any
from urllib.parse import unquote

import jwt
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.crypto import constant_time_compare
from django_eventstream.utils import sse_encode_error

from projects.models import Project

from .event_storage import stream_reads
from .events import UNSTORED_GRIP_SUFFIX

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


def is_proxied(request: HttpRequest) -> bool:
    """Whether Pushpin signed this request (django_grip checks it with GRIP_URL's key)."""
    grip = getattr(request, "grip", None)
    return bool(grip is not None and grip.proxied and grip.signed)


def proxy_reader(request: HttpRequest, channel: str) -> tuple[Any, str | None]:
    """The active user a Pushpin follow-up's es-meta names, or (None, why not).

    Only for requests is_proxied() accepts. The caller still checks that
    this user owns the project.
    """
    try:
        meta = jwt.decode(
            request.GET.get("es-meta", ""),
            settings.SECRET_KEY.encode("utf-8"),
            algorithms=["HS256"],
            options={"require": ["exp"]},
        )
    except jwt.PyJWTError:
        return None, "The es-meta parameter is not validly signed."
    # A margin, so it cannot expire between this check and the library's (a 500).
    if meta["exp"] < time.time() + 10:
        return None, "The es-meta parameter has expired."
    user_id = str(meta.get("user", ""))
    if meta.get("channels") != [channel] or not user_id.isdigit():
        return None, "The es-meta parameter is for another reader or channel."
    if request.user.is_authenticated and str(request.user.pk) != user_id:
        return None, "The es-meta parameter is for another reader or channel."
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    if user is None:
        return None, "The es-meta parameter is for another reader or channel."
    return user, None


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


def hear_unstored_events(instruct: Any) -> None:
    """Subscribe a held stream to its channels' unstored events as well (events.py)."""
    for channel in list(instruct.channels):
        if channel.name.startswith("events-"):  # the library's GRIP channels
            instruct.add_channel(channel.name + UNSTORED_GRIP_SUFFIX)


class RecheckProxiedStreams:
    """Middleware (after django_grip's): Pushpin re-asks daphne about each held stream.

    django-eventstream gives Pushpin a next link with no timeout, which
    Pushpin fetches after 120 s; this sets CHATVIDEO_PUSHPIN_RECHECK_SECONDS.
    When that fetch is refused (the reader was deactivated or no longer owns
    the project), Pushpin would retry it five times over about 30 s before
    ending the stream; answering its refusal with the stream-error and no
    GRIP hold ends the stream at once, and the page starts over from its URL.
    It also has held streams hear unstored (progress) events.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_proxied(request):
            return response
        instruct = request.grip.instruct
        if instruct is not None and instruct.next_link:
            instruct.next_link_timeout = settings.CHATVIDEO_PUSHPIN_RECHECK_SECONDS
            if instruct.hold == "stream":
                hear_unstored_events(instruct)
        elif request.grip.last and response.status_code in (400, 404):
            # Grip-Last: Pushpin fetching a held stream's next link (no page
            # is waiting for a status; the stream is).
            return HttpResponse(NO_LONGER_ALLOWED, content_type="text/event-stream")
        return response


TOO_MANY_STREAMS = (
    "Too many open tabs of chatvideo: {limit} is the most one account may keep open. "
    "Close some and reload."
)


class StreamSlots:
    """How many streams each user has open in this process, at most a limit each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: Counter = Counter()

    def take(self, user_id: int, limit: int) -> Callable[[], None] | None:
        """A slot for one more stream (call the result, once or more, to free it), or None."""
        with self._lock:
            if self._open[user_id] >= limit:
                return None
            self._open[user_id] += 1
        freed = threading.Event()

        def free() -> None:
            with self._lock:
                if freed.is_set():
                    return
                freed.set()
                self._open[user_id] -= 1
                if not self._open[user_id]:
                    del self._open[user_id]

        return free

    def open(self, user_id: int) -> int:
        with self._lock:
            return self._open[user_id]


stream_slots = StreamSlots()


def close_when_not_allowed(
    response: StreamingHttpResponse,
    still_allowed: Callable[[], bool],
    every: float,
    on_close: Callable[[], None] = lambda: None,
) -> StreamingHttpResponse:
    """End the streaming response once still_allowed() (run every `every` seconds) is False.

    still_allowed runs in a thread, off the event loop; the database connection
    it used is closed afterwards. Responses that are not async streams (the
    library's immediate error answers, and its GRIP answers) are returned as
    they are. on_close runs once the stream has ended, or at once for those.
    """
    if not (response.streaming and response.is_async):
        on_close()
        return response
    response.streaming_content = _rechecked(
        response.streaming_content, still_allowed, every, on_close
    )
    # A client gone before the body started never runs the generator's
    # `finally`; the slot is then freed when the response is collected.
    weakref.finalize(response, on_close)
    return response


async def _next(chunks: AsyncGenerator[bytes, None]) -> bytes:
    return await anext(chunks)


async def _rechecked(
    chunks: AsyncGenerator[bytes, None],
    still_allowed: Callable[[], bool],
    every: float,
    on_close: Callable[[], None],
) -> AsyncGenerator[bytes, None]:
    """Pass chunks (events and keep-alives) through as they come; check between and while waiting.

    The next chunk is awaited in a task of its own, so the check runs on time
    even while the library waits (up to 20 s) for an event.
    """
    # Copied into the tasks below and from them into the library's reads.
    stream_reads.set(True)
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
        try:
            await chunks.aclose()
        finally:
            on_close()
