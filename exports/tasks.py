"""The export's background task, run by `manage.py db_worker` (django-tasks' database backend)."""

import logging

from django.utils import timezone
from django_tasks import task

from .events import publish_export
from .models import Export, Status
from .run import run_export

logger = logging.getLogger("chatvideo.exports")


@task(queue_name="exports")
def render_export(export_id: int) -> str | None:
    """Render one export; a no-op when it is no longer queued (cancelled, or claimed elsewhere)."""
    export = run_export(export_id)
    return export.status if export is not None else None


def enqueue_export(export: Export) -> None:
    """Queue the render (called on commit); if the queue cannot take it, say so on the export."""
    try:
        render_export.enqueue(export.id)
    except Exception as exc:
        logger.exception("could not queue export %s", export.id)
        now = timezone.now()
        Export.objects.filter(id=export.id, status=Status.QUEUED).update(
            status=Status.ERROR,
            error=f"The export could not be queued for a render worker: {exc}. Try again.",
            finished_at=now,
            updated_at=now,
        )
        publish_export(export.project_id, export.id)
