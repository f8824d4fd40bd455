"""The project's event stream (Server-Sent Events), to its owner only."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from django_eventstream.views import events

from messages_app.events import project_channel
from messages_app.stream import (
    TOO_MANY_STREAMS,
    close_when_not_allowed,
    is_proxied,
    proxy_reader,
    stream_is_still_allowed,
    stream_request_error,
    stream_slots,
)
from projects.access import owned_project
from projects.models import Project


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
