"""The chat's pieces: the message window, one message, sending, retrying (owner only, 404)."""

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from messages_app.access import owned_message
from messages_app.chat import chat_context, message_context, newer_context
from messages_app.forms import MessageForm
from messages_app.ratelimit import RateLimited
from messages_app.retry import reopen_reply
from messages_app.submit import submit_message
from projects.access import owned_project

from .projects import render_project_page

# How long one render of a finished message serves its reader's tabs.
ITEM_CACHE_SECONDS = 30


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
    """One whole message, swapped in alone when an event says it changed.

    Every open tab of the project fetches it on that event (at 1,000 tabs,
    1,000 times), so a finished message is rendered once per version and
    reader and kept briefly; the access check still runs on every request.
    """
    message = owned_message(request, project_id, message_id)
    context = message_context(message)
    key = _item_cache_key(request, message, context)
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string("messages_app/_message.html", context, request)
        if key:
            cache.set(key, html, ITEM_CACHE_SECONDS)
    return HttpResponse(html)


def _item_cache_key(request: HttpRequest, message, context: dict) -> str | None:
    """Everything the finished message's HTML depends on, or None to render it afresh.

    A pending message changes without a new version (its text streams in),
    and a request without a CSRF cookie gets one set by the render. The
    reader's CSRF secret is in the key, so a cached Retry form carries the
    reader's own token. Its Undo and suggestion keys are shared by the
    reader's tabs for ITEM_CACHE_SECONDS: the same button pressed in two of
    them is one press, as a double click is.
    """
    secret = request.META.get("CSRF_COOKIE")
    if message.is_pending or not secret:
        return None
    parts = (
        message.id,
        message.status,
        message.updated_at.isoformat(),
        message.content,
        message.error,
        context["undo_message_id"],
        context["undo_redoes"],
        secret,
    )
    return "message-item:" + hashlib.sha256(repr(parts).encode()).hexdigest()


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
