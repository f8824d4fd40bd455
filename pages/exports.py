"""The export pages: request, watch, cancel, delete, download. Every one is owner-only (404).

The web request never renders: it writes the export row and the worker does
the rest (exports/tasks.py).
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap

from exports.access import owned_export
from exports.events import publish_export
from exports.files import stored_file_response
from exports.models import Export, Status
from exports.panel import export_list_context
from exports.request import ExportRefused, request_export
from projects.access import owned_project


def page_export(request: HttpRequest, project_id: int, export_id: int) -> Export | None:
    """The owner's export; None when the page asks about one that is gone.

    Every open page of the project fetches a card when its export changes,
    deletion included (exports.js), and an active card polls itself; a tab
    may also show a card that another tab has since deleted. To the page, an
    export this project does not have (deleted, or never made) is a card to
    remove (card_gone), not an error: under DEBUG, django-htmx shows an
    error response as the whole page, and without DEBUG htmx would leave the
    stale card. The owner learns nothing by it: any id not in their own
    project answers the same. Anyone else gets 404 (owned_project), and so
    does a request that is not htmx's.
    """
    if not request.htmx:
        return owned_export(request, project_id, export_id)
    project = owned_project(request, project_id)
    return project.exports.filter(id=export_id).first()


def card_gone() -> HttpResponse:
    """Tells htmx to remove the card it sent the request for, whatever swap it asked for."""
    return reswap(HttpResponse(""), "delete")


@login_required
@require_GET
@never_cache
def export_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(request, "exports/_export_list.html", export_list_context(project))


@login_required
@require_POST
def create_export(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    try:
        client_key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        context = export_list_context(project, "This form has expired. Press Export MP4 again.")
        return render(request, "exports/_export_list.html", context, status=422)
    try:
        request_export(project, client_key)
    except ExportRefused as exc:
        context = export_list_context(project, str(exc))
        return render(request, "exports/_export_list.html", context, status=422)
    if not request.htmx:
        return redirect("projects:detail", project_id=project.id)
    return render(request, "exports/_export_list.html", export_list_context(project))


@login_required
@require_GET
@never_cache
def export_card(request: HttpRequest, project_id: int, export_id: int) -> HttpResponse:
    export = page_export(request, project_id, export_id)
    if export is None:
        return card_gone()
    return render(request, "exports/_export_card.html", {"export": export})


@login_required
@require_POST
def cancel_export(request: HttpRequest, project_id: int, export_id: int) -> HttpResponse:
    export = page_export(request, project_id, export_id)
    if export is None:
        return card_gone()
    if not export.cancel():
        return HttpResponse(f"This export has already ended ({export.status}).", status=409)
    transaction.on_commit(lambda: publish_export(export.project_id, export.id))
    export.refresh_from_db()
    if not request.htmx:
        return redirect("projects:detail", project_id=export.project_id)
    return render(request, "exports/_export_card.html", {"export": export})


@login_required
@require_POST
def delete_export(request: HttpRequest, project_id: int, export_id: int) -> HttpResponse:
    export = page_export(request, project_id, export_id)
    if export is None:
        return card_gone()  # deleted already, in another tab: so be it
    # A running worker finds its claim gone at its next heartbeat and stops;
    # the file goes with the row (exports.models.delete_export_file).
    export.cancel()
    export_id = export.id
    export.delete()
    transaction.on_commit(lambda: publish_export(project_id, export_id))
    if not request.htmx:
        return redirect("projects:detail", project_id=project_id)
    # An empty 200 removes the card (a 204 would leave it).
    return card_gone()


@login_required
@require_GET
def export_file(
    request: HttpRequest, project_id: int, export_id: int, download: bool = False
) -> HttpResponse:
    """The MP4, to the project's owner only: as an attachment, or inline for the <video>."""
    export = owned_export(request, project_id, export_id)
    if export.status != Status.DONE or not export.file:
        raise Http404("This export has no video yet.")
    if not default_storage.exists(export.file.name):
        raise Http404("This export's file is missing from storage.")
    return stored_file_response(
        request,
        export.file.name,
        filename=export.download_name,
        content_type="video/mp4",
        as_attachment=download,
    )
