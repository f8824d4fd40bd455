from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.views import owned_project


@login_required
@require_GET
def scene_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(
        request, "scenes/_scene_list.html", {"project": project, "scenes": project.scenes.all()}
    )
