"""The scene list partial, and one scene as the preview player's sandboxed frame."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from projects.access import owned_project
from scenes.frame import FRAME_CSP, frame_document


@login_required
@require_GET
def scene_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(
        request, "scenes/_scene_list.html", {"project": project, "scenes": project.scenes.all()}
    )


@login_required
@require_GET
@never_cache
@xframe_options_sameorigin
def scene_frame(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """One scene as a document for the preview player's sandboxed iframe."""
    project = owned_project(request, project_id)
    scene = get_object_or_404(project.scenes, id=scene_id)
    response = HttpResponse(frame_document(scene.code), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = FRAME_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
