import json

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project


def export_project(project: Project) -> dict:
    return {
        "project": project.as_dict(),
        "scenes": [scene.as_dict() for scene in project.scenes.order_by("order")],
        "messages": [
            {key: m[key] for key in ("id", "role", "status", "content", "tool")}
            for m in (message.as_dict() for message in project.messages.order_by("seq"))
        ],
    }


class Command(BaseCommand):
    help = "Print a project, its scenes (in order) and its messages (oldest first) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)

    def handle(self, *args, project_id, **options):
        try:
            project = Project.objects.get(id=project_id)
        except Project.DoesNotExist:
            raise CommandError(f"No project with id {project_id}.") from None
        self.stdout.write(json.dumps(export_project(project), indent=2))
