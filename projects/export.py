"""A project as plain data: what `export_project` prints, and `chat --json` reuses."""

from .models import Project


def export_project(project: Project) -> dict:
    """The project, its scenes in order and its messages oldest first."""
    return {
        "project": project.as_dict(),
        "scenes": [scene.as_dict() for scene in project.scenes.order_by("order")],
        "messages": [message.as_dict() for message in project.messages.order_by("seq")],
    }
