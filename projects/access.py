"""Who may reach a project: its owner, and nobody else (who gets a 404)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Project


def owned_project(request: HttpRequest, project_id: int) -> Project:
    """The project if the logged-in user owns it; 404 for everyone else."""
    return get_object_or_404(Project.objects.owned_by(request.user), id=project_id)
