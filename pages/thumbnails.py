"""Scene thumbnails for the owner's pages: the images, and which scenes have one now.

The worker renders them (exports/thumbnails.py); these views only read what
it stored. Anyone but the project's owner gets a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exports.files import stored_file_response
from exports.models import Thumbnail
from exports.thumbnails import fresh_thumbnail_urls
from projects.access import owned_project

# The URL names what the image was made from, so it never changes: a browser
# keeps it, and a page load asks for nothing it has already seen.
IMMUTABLE = "private, max-age=31536000, immutable"


@login_required
@require_GET
def thumbnail(request: HttpRequest, project_id: int, scene_id: int, key: str) -> HttpResponse:
    """One scene's stored thumbnail, as the JPEG made under `key`."""
    project = owned_project(request, project_id)
    stored = (
        Thumbnail.objects.filter(scene__project=project, scene_id=scene_id, key=key)
        .exclude(file="")
        .first()
    )
    if stored is None:
        raise Http404("No such thumbnail")
    response = stored_file_response(
        request,
        stored.file.name,
        filename=f"scene-{scene_id}.jpg",
        content_type="image/jpeg",
        as_attachment=False,
    )
    response["Cache-Control"] = IMMUTABLE
    return response


@login_required
@require_GET
@never_cache
def thumbnail_urls(request: HttpRequest, project_id: int) -> JsonResponse:
    """{scene id: image URL} for the project's scenes whose thumbnail is ready."""
    project = owned_project(request, project_id)
    urls = fresh_thumbnail_urls(project, project.scenes.all())
    ready = {str(scene_id): url for scene_id, url in urls.items() if url}
    return JsonResponse({"thumbnails": ready})
