"""Who may reach an export: the owner of its project, and nobody else (404)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from projects.access import owned_project

from .models import Export


def owned_export(request: HttpRequest, project_id: int, export_id: int) -> Export:
    """An export of a project the logged-in user owns; 404 for everyone else."""
    project = owned_project(request, project_id)
    return get_object_or_404(
        Export.objects.select_related("project"), id=export_id, project=project
    )
