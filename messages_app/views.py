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

from .chat import chat_context
from .events import project_channel
from .forms import MessageForm
from .models import Message
from .reply import run_reply
from .retry import reopen_reply
from .submit import sent_recently, submit_message


@login_required
@require_GET
def message_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(request, "messages_app/_message_list.html", chat_context(project))


@login_required
@require_POST
def submit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    form = MessageForm(request.POST)
    status = 422
    limit = settings.CHATVIDEO_MESSAGES_PER_MINUTE
    if form.is_valid() and limit and sent_recently(request.user) >= limit:
        form.add_error(
            "content",
            f"You are sending messages too fast (at most {limit} a minute). "
            "Wait a moment, then send again.",
        )
        status = 429
    if not form.is_valid():
        if not request.htmx:
            response = render_project_page(request, project, form, status=status)
        else:
            response = render(
                request,
                "messages_app/_composer.html",
                {"project": project, "form": form},
                status=status,
            )
        if status == 429:
            response["Retry-After"] = "60"
        return response
    submit_message(project, form.cleaned_data["content"], form.cleaned_data["client_key"])
    if not request.htmx:
        return redirect("projects:detail", project_id=project.id)
    return render(
        request, "messages_app/_composer.html", {"project": project, "form": MessageForm.blank()}
    )


@login_required
@require_GET
def message_body(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """One message's body, re-fetched while a streamed reply grows."""
    message = get_object_or_404(Message, id=message_id, project=owned_project(request, project_id))
    context = {**chat_context(message.project), "message": message}
    return render(request, "messages_app/_message_body.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """Run an errored reply again, in the same row."""
    message = get_object_or_404(Message, id=message_id, project=owned_project(request, project_id))
    if not reopen_reply(message):
        return HttpResponse("Only a reply that ended in error can be retried.", status=409)
    if not request.htmx:
        return redirect("projects:detail", project_id=project_id)
    context = {**chat_context(message.project), "message": message}
    return render(request, "messages_app/_message.html", context)


@require_POST
async def task(request: HttpRequest, project_id: int, message_id: int) -> HttpResponse:
    """Answer a pending assistant message; a repeat call is a harmless no-op.

    The work runs in its own worker thread, not the shared thread that Django
    gives sync views, so a slow brain does not hold up every other page and
    event stream; and it is not tied to this connection: if the tab closes,
    the thread still finishes and saves the reply.
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
    html = await sync_to_async(answer_and_render, thread_sensitive=False)(request, message.id)
    if html is None:
        # Another runner holds it; its result reaches this page as an event.
        return HttpResponse(status=204)
    return HttpResponse(html)


def answer_and_render(request: HttpRequest, message_id: int) -> str | None:
    try:
        message = run_reply(message_id)
        if message is None:
            return None
        context = {**chat_context(message.project), "message": message}
        return render_to_string("messages_app/_message.html", context, request)
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
