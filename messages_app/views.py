import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import close_old_connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404, get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST
from django_eventstream.views import events

from projects.views import owned_project, render_project_page

from .chat import chat_context, message_context
from .claim import claim_message
from .events import project_channel
from .forms import MessageForm
from .models import Message
from .ratelimit import RateLimited
from .reply import answer_claimed
from .retry import reopen_reply
from .submit import submit_message

_reply_runners: tuple[int, ThreadPoolExecutor] | None = None


def reply_runners() -> ThreadPoolExecutor:
    """The threads replies are answered in.

    Off the event loop and off the one thread Django gives sync views, so a
    slow brain holds up neither pages nor streams; a pool of its own, so slow
    replies cannot starve anything else that uses threads. Its threads are not
    tied to a connection: a closed tab still gets its reply. One pool per
    process: a process forked after the pool ran (daphne in the live-server
    tests) would inherit a pool whose threads do not exist in it.
    """
    global _reply_runners
    if _reply_runners is None or _reply_runners[0] != os.getpid():
        pool = ThreadPoolExecutor(settings.CHATVIDEO_REPLY_RUNNERS, thread_name_prefix="reply")
        _reply_runners = (os.getpid(), pool)
    return _reply_runners[1]


def owned_message(request: HttpRequest, project_id: int, message_id: int) -> Message:
    """A message of a project the logged-in user owns; 404 for everyone else."""
    return get_object_or_404(Message, id=message_id, project=owned_project(request, project_id))


@login_required
@require_GET
def message_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(request, "messages_app/_message_list.html", chat_context(project))


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

    The claim is taken here, quickly, so a repeat call answers 204 at once
    instead of queueing behind slow replies; the answer then runs in
    reply_runners().
    """
    user = await request.auser()
    if not user.is_authenticated:
        raise Http404
    message = await aget_object_or_404(
        Message, id=message_id, project_id=project_id, project__owner=user
    )
    if message.role != Message.Role.ASSISTANT:
        return HttpResponse("Only assistant messages are answered.", status=400)
    if not message.is_pending:
        return HttpResponse("This message is already answered.", status=409)
    token = await sync_to_async(claim_message)(message.id)
    if token is None:
        # Another runner holds it; its result reaches this page as an event.
        return HttpResponse(status=204)
    loop = asyncio.get_running_loop()
    html = await loop.run_in_executor(
        reply_runners(), answer_and_render, request, message.id, token
    )
    if html is None:
        return HttpResponse(status=204)
    return HttpResponse(html)


def answer_and_render(request: HttpRequest, message_id: int, token) -> str | None:
    try:
        message = answer_claimed(message_id, token)
        if message is None:
            return None
        return render_to_string("messages_app/_message.html", message_context(message), request)
    finally:
        # This thread is not the request's, so Django's end-of-request cleanup
        # does not reach its connection.
        close_old_connections()


@login_required
@require_GET
def project_events(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's Server-Sent Events stream; 404 for anyone but the owner."""
    project = owned_project(request, project_id)
    return events(request, channels=[project_channel(project.id)])
