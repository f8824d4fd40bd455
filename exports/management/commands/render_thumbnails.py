import time

from django.core.management.base import BaseCommand

from exports.thumbnails import render_project_thumbnails
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Draw the scene thumbnails that are missing or out of date (scenes made before "
        "thumbnails existed, or while no worker ran), here rather than in the worker. "
        "Thumbnails that are current are not drawn again."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_ids", nargs="*", type=int, help="only these projects")

    def handle(self, *args, project_ids=None, **options):
        projects = Project.objects.order_by("id")
        if project_ids:
            projects = projects.filter(id__in=project_ids)
        drawn, started = 0, time.monotonic()
        for project_id in projects.values_list("id", flat=True).iterator():
            drawn += len(render_project_thumbnails(project_id))
        self.stdout.write(f"Drew {drawn} thumbnails in {time.monotonic() - started:.1f} s")
