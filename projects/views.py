from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_eventstream import get_current_event_id

from messages_app.chat import chat_context
from messages_app.events import project_channel
from messages_app.forms import MessageForm

from .access import owned_project
from .forms import ProjectForm
from .models import Project


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = form.save_for(request.user)
        return redirect("projects:detail", project_id=project.id)
    projects = request.user.projects.all()
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
