"""Who may reach a message: the owner of its project, and nobody else (404)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from projects.access import owned_project

from .models import Message


def owned_message(request: HttpRequest, project_id: int, message_id: int) -> Message:
    """A message of a project the logged-in user owns; 404 for everyone else."""
    return get_object_or_404(Message, id=message_id, project=owned_project(request, project_id))
