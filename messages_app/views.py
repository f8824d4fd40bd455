import asyncio
import os
import threading

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import close_old_connections
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import aget_object_or_404, get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from django_eventstream.views import events

from chatvideo.dbpool import release_connection
from projects.access import owned_project
from projects.models import Project
from projects.views import render_project_page

from .access import owned_message
from .chat import chat_context, message_context, newer_context
from .claim import is_claimable
from .events import project_channel
from .forms import MessageForm
from .models import Message
from .ratelimit import RateLimited
from .reply import run_reply
from .retry import reopen_reply
from .runners import FairRunners
from .stream import (
    TOO_MANY_STREAMS,
    close_when_not_allowed,
    is_proxied,
    proxy_reader,
    stream_is_still_allowed,
    stream_request_error,
    stream_slots,
)
from .submit import submit_message

_reply_runners: tuple[tuple, FairRunners] | None = None
_reply_runners_lock = threading.Lock()


def reply_runners() -> FairRunners:
    """The threads replies are answered in, shared fairly between users.

    Off the event loop and off the one thread Django gives sync views, so a
    slow brain holds up neither pages nor streams; a pool of its own, so slow
    replies cannot starve anything else that uses threads. Its threads are not
    tied to a connection: a closed tab still gets its reply. One pool per
    process: a process forked after the pool ran (daphne in the live-server
    tests) would inherit a pool whose threads do not exist in it.
    """
    global _reply_runners
    config = (
        os.getpid(),
        settings.CHATVIDEO_REPLY_RUNNERS,
        settings.CHATVIDEO_REPLIES_PER_USER,
    )
    # Requests may arrive on several threads at once (the test client's).
    with _reply_runners_lock:
        if _reply_runners is None or _reply_runners[0] != config:
            _reply_runners = (config, FairRunners(*config[1:]))
        return _reply_runners[1]


@login_required
@require_GET
def message_list(request: HttpRequest, project_id: int) -> HttpResponse:
    """The chat's window: the newest messages, or those ?before or ?after a position.

    ?after=N is what a page asks for when an event names a message it does not
    have yet: the messages after its last one, to append. A page that missed
    more than a window gets a fresh window instead (HX-Reswap).
    """
    project = owned_project(request, project_id)
    positions = {}
    for name in ("after", "before"):
        value = request.GET.get(name)
        if value is not None:
            if not (value.isascii() and value.isdigit()) or len(value) > 10:
                return HttpResponseBadRequest(
                    f"{name} must be a message position (a whole number).",
                    content_type="text/plain; charset=utf-8",
                )
            positions[name] = int(value)
    if "after" in positions:
        newer = newer_context(project, positions["after"])
        if newer is not None:
            return render(request, "messages_app/_new_messages.html", newer)
        response = render(request, "messages_app/_message_list.html", chat_context(project))
        response["HX-Reswap"] = "innerHTML"
        return response
    context = chat_context(project, before=positions.get("before"))
    return render(request, "messages_app/_message_list.html", context)


@login_required
@require_GET
def message_item(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """One whole message, swapped in alone when an event says it changed."""
    message = owned_message(request, project_id, message_id)
    return render(request, "messages_app/_message.html", message_context(message))


@login_required
@require_GET
def message_body(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """One message's body, re-fetched while a streamed reply grows."""
    message = owned_message(request, project_id, message_id)
    return render(request, "messages_app/_message_body.html", message_context(message))


@login_required
@require_POST
def submit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    form = MessageForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            submit_message(
                project,
                form.cleaned_data["content"],
                form.cleaned_data["client_key"],
                per_minute=settings.CHATVIDEO_MESSAGES_PER_MINUTE,
            )
        except RateLimited as exc:
            form.add_error("content", str(exc))
            status = 429
        else:
            if not request.htmx:
                return redirect("projects:detail", project_id=project.id)
            context = {"project": project, "form": MessageForm.blank()}
            return render(request, "messages_app/_composer.html", context)
    if request.htmx:
        context = {"project": project, "form": form}
        response = render(request, "messages_app/_composer.html", context, status=status)
    else:
        response = render_project_page(request, project, form, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


@login_required
@require_POST
def retry(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """Run an errored reply again, in the same row."""
    message = owned_message(request, project_id, message_id)
    try:
        reopened = reopen_reply(message, per_minute=settings.CHATVIDEO_MESSAGES_PER_MINUTE)
    except RateLimited as exc:
        return HttpResponse(str(exc), status=429, headers={"Retry-After": "60"})
    if not reopened:
        return HttpResponse("Only a reply that ended in error can be retried.", status=409)
    if not request.htmx:
        return redirect("projects:detail", project_id=project_id)
    return render(request, "messages_app/_message.html", message_context(message))


@require_POST
async def task(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """Answer a pending assistant message; a repeat call is a harmless no-op.

    The reply waits its user's turn in reply_runners() and is claimed only
    when a runner starts it, so its lease cannot run out while it waits here
    (another trigger would take it over and answer it twice in a row). While
    it waits, repeat calls for it answer 204 at once: the runners know its id.
    The pending message's partial calls again every half lease, so a reply
    whose runner died is taken over in an open tab, and a reply given up on,
    or finished where this tab missed the event, is shown (a 409 that
    carries the message; static/chatvideo/app.js swaps it in).
    """
    user = await request.auser()
    if not user.is_authenticated:
        raise Http404
    message = await aget_object_or_404(
        Message.objects.owned_by(user), id=message_id, project_id=project_id
    )
    if message.role != Message.Role.ASSISTANT:
        return HttpResponse("Only assistant messages are answered.", status=400)
    if not message.is_pending:
        if request.htmx:
            html = await sync_to_async(render_message)(request, message)
            return HttpResponse(html, status=409)
        return HttpResponse("This message is already answered.", status=409)
    if not await sync_to_async(is_claimable)(message.id):
        # A runner holds it; its result reaches this page as an event.
        return HttpResponse(status=204)
    # Hand this request's database connection back while the reply runs: the
    # runner needs one from the same small pool, and requests holding theirs
    # while they wait would leave it none.
    await sync_to_async(release_connection)()
    future = reply_runners().submit(user.pk, message.id, answer_and_render, request, message.id)
    if future is None:
        return HttpResponse(status=204)  # already waiting or running here
    html = await asyncio.wrap_future(future)
    if html is None:
        return HttpResponse(status=204)
    return HttpResponse(html)


def answer_and_render(request: HttpRequest, message_id: int) -> str | None:
    """Claim and answer a reply; its partial, or None if another runner has it."""
    try:
        message = run_reply(message_id)
        if message is None:
            return None
        return render_message(request, message)
    finally:
        # This thread is not the request's, so Django's end-of-request cleanup
        # does not reach its connection.
        close_old_connections()


def render_message(request: HttpRequest, message: Message) -> str:
    return render_to_string("messages_app/_message.html", message_context(message), request)


@require_GET
def project_events(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's Server-Sent Events stream; 404 for anyone but the owner.

    The channel and the reader come from here, never from the request
    (messages_app/stream.py), and the stream ends when the reader may no
    longer read it. Behind Pushpin, the proxy's own follow-up requests come
    without the page's cookies; see proxied_events.
    """
    if is_proxied(request) and "es-meta" in request.GET:
        return proxied_events(request, project_id)
    return owner_events(request, project_id)


def proxied_events(request: HttpRequest, project_id: int) -> HttpResponse:
    """Pushpin recovering a stream it holds: answered for the owner its es-meta names."""
    channel = project_channel(project_id)
    reader, error = proxy_reader(request, channel)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    get_object_or_404(Project.objects.owned_by(reader), id=project_id)
    return events(request, channels=[channel])


@login_required
def owner_events(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    channel = project_channel(project.id)
    session_key, user_id = request.session.session_key, request.user.pk
    error = stream_request_error(request, channel)
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    free_slot = lambda: None  # noqa: E731
    if not is_proxied(request):  # behind Pushpin the proxy holds the stream, not us
        limit = settings.CHATVIDEO_STREAMS_PER_USER
        free_slot = stream_slots.take(user_id, limit)
        if free_slot is None:
            return HttpResponse(
                TOO_MANY_STREAMS.format(limit=limit),
                status=429,
                content_type="text/plain; charset=utf-8",
            )
    return close_when_not_allowed(
        events(request, channels=[channel]),
        lambda: stream_is_still_allowed(session_key, user_id, project.id),
        every=settings.CHATVIDEO_STREAM_RECHECK_SECONDS,
        on_close=free_slot,
    )
