"""The project pages: the list, one project (chat, scenes, exports), settings, copy, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_eventstream import get_current_event_id

from messages_app.chat import chat_context
from messages_app.events import project_channel
from messages_app.forms import MessageForm
from projects.access import owned_project
from projects.forms import ProjectForm, copy_title
from projects.models import Project
from scenes.projects import do_change_project, do_duplicate_project


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save_for(request.user)
        return redirect("projects:detail", project_id=project.id)
    projects = request.user.projects.annotate(
        scene_count=Count("scenes"), total_frames=Sum("scenes__duration_frames")
    )
    status = 422 if form.errors else 200
    return render(
        request, "projects/project_list.html", {"projects": projects, "form": form}, status=status
    )


@login_required
@never_cache  # Back must not bring back a form whose idempotency key was spent.
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return render_project_page(request, owned_project(request, project_id), MessageForm.blank())


def render_project_page(
    request: HttpRequest, project: Project, form: MessageForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "projects/project_detail.html",
        {
            **chat_context(project),
            "scenes": project.scenes.all(),
            "form": form,
            # The stream resumes from here, so nothing sent between this
            # render and the connection is missed.
            "last_event_id": get_current_event_id([project_channel(project.id)]),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, project_id: int) -> HttpResponse:
    """Rename the project, or change its aspect ratio and frame rate."""
    project = owned_project(request, project_id)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        width, height, fps = form.format()
        do_change_project(
            project, title=form.cleaned_data["title"], width=width, height=height, fps=fps
        )
        messages.success(request, "Project saved.")
        return redirect("projects:detail", project_id=project.id)
    if form.errors:
        # The form bound to the instance has written the bad title onto it; the
        # page heading shows the saved one.
        project.refresh_from_db()
    status = 422 if form.errors else 200
    return render(
        request, "projects/project_settings.html", {"project": project, "form": form}, status=status
    )


@login_required
@require_POST
def project_duplicate(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    copy = do_duplicate_project(project, copy_title(project.title))
    messages.success(request, f"Duplicated as “{copy.title}”, with its scenes.")
    return redirect("projects:list")


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET asks to confirm; only the confirming POST deletes."""
    project = owned_project(request, project_id)
    if request.method == "POST":
        title = project.title
        with transaction.atomic():
            # The project's lock first, as a reply, a control and the thumbnail
            # worker take it: what they add is then deleted with the project,
            # rather than the delete and their commit deadlocking (PostgreSQL).
            Project.objects.select_for_update().filter(pk=project.pk).first()
            project.delete()
        messages.success(request, f"Deleted “{title}”.")
        return redirect("projects:list")
    return render(
        request,
        "projects/project_delete.html",
        {"project": project, "scene_count": project.scenes.count()},
    )
