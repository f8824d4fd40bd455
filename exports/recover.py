"""Taking exports back from workers that died, and removing what they left behind."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .events import publish_export
from .models import Export
from .run import sweep_temp_files
from .tasks import enqueue_export

logger = logging.getLogger("chatvideo.exports")


@dataclass
class Recovered:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    removed_files: list[Path] = field(default_factory=list)


def recover_exports(now=None) -> Recovered:
    """Re-queue (or, after too many tries, fail) exports whose worker stopped renewing its lease.

    A worker killed mid-render (kill -9, out of memory, the machine gone)
    cannot say so; its lease just stops being renewed. Each such export is
    taken back with its own conditional UPDATE, so a worker that renews at
    that very moment keeps it. Then temp files no live claim owns are removed.
    Run by `manage.py recover_messages`.
    """
    now = now or timezone.now()
    result = Recovered()
    limit = settings.CHATVIDEO_EXPORT_MAX_ATTEMPTS
    for export in Export.objects.lease_expired(now).only("id", "project_id", "attempts"):
        with transaction.atomic():
            if export.attempts < limit:
                if export.requeue(now):
                    transaction.on_commit(lambda e=export: enqueue_export(e))
                    result.requeued.append(export.id)
            elif export.give_up(
                f"The render worker stopped responding {export.attempts} times "
                "(it may have been stopped or run out of memory), so this export was given up. "
                "Press Export MP4 to try again.",
                now,
            ):
                result.failed.append(export.id)
            else:
                continue
            transaction.on_commit(lambda e=export: publish_export(e.project_id, e.id))
    result.removed_files = sweep_temp_files()
    if result.requeued or result.failed or result.removed_files:
        logger.warning(
            "recovered exports: re-queued %s, failed %s, removed %d temp files",
            result.requeued,
            result.failed,
            len(result.removed_files),
        )
    return result
