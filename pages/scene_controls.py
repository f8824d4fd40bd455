"""The scene list's controls: move, duplicate and delete a scene (POST only, owner only).

Each runs messages_app.notes.control_scene, so a control is a chat note, a
recorded change and an event to every open page. A page with scripts
(static/chatvideo/scene_controls.js) gets the note's text to announce; a
plain form post goes back to the project page.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from messages_app.notes import control_scene
from projects.access import owned_project
from scenes.errors import ToolError

# The position field: a whole number, short enough that int() is cheap.
POSITION_DIGITS = 6


def _text(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _run(request: HttpRequest, project_id: int, tool: str, **args) -> HttpResponse:
    project = owned_project(request, project_id)
    try:
        note = control_scene(project, tool, **args)
    except ToolError as exc:
        return _text(str(exc), status=400)
    if not request.htmx:
        return redirect("projects:detail", project_id=project.id)
    response = _text(note.content)
    # The page offers Undo beside the note's text while the chat's Undo is this note's.
    response["X-Note-Id"] = str(note.id)
    return response


@login_required
@require_POST
def move_scene(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """Move a scene to `position` (1 is first): the up and down buttons, and a drop."""
    owned_project(request, project_id)  # 404 before any word about the input
    position = request.POST.get("position", "")
    if not (position.isascii() and position.isdigit()) or len(position) > POSITION_DIGITS:
        return _text("The position must be a scene number (a whole number from 1).", status=400)
    return _run(request, project_id, "move_scene", scene_id=scene_id, position=int(position))


@login_required
@require_POST
def duplicate_scene(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    return _run(request, project_id, "duplicate_scene", scene_id=scene_id)


@login_required
@require_POST
def delete_scene(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    return _run(request, project_id, "delete_scene", scene_id=scene_id)
