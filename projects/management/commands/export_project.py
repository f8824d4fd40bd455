import json

from django.core.management.base import BaseCommand, CommandError

from projects.export import export_project
from projects.models import Project


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
