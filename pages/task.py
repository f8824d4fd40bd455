"""The task view: the page asks for a pending reply to be answered, and gets it."""

import asyncio

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from chatvideo.dbpool import release_connection
from messages_app.chat import message_context
from messages_app.claim import is_claimable
from messages_app.models import Message
from messages_app.reply import run_reply
from messages_app.runners import reply_runners


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
