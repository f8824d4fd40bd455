"""Taking exports back from workers that died, and removing what they left behind."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus

from chatvideo.task_rows import fail_dead_rows, first_arg, rows_for

from .events import publish_export
from .models import RUNNING, Export, Status
from .run import sweep_temp_files
from .tasks import enqueue_export, render_export

logger = logging.getLogger("chatvideo.exports")


@dataclass
class Recovered:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    removed_files: list[Path] = field(default_factory=list)
    # django-tasks-db rows left RUNNING by a dead worker, now marked FAILED.
    dead_task_rows: list[str] = field(default_factory=list)


def recover_exports(now=None) -> Recovered:
    """Take back exports whose worker died, remove its temp files, close its task rows.

    Run by `manage.py recover_exports`. Each step is its own function below.
    """
    now = now or timezone.now()
    result = Recovered()
    requeue_expired_leases(now, result)
    requeue_unstarted(now, result)
    result.removed_files = sweep_temp_files()
    result.dead_task_rows = fail_dead_render_tasks(now)
    if result.requeued or result.failed or result.removed_files or result.dead_task_rows:
        logger.warning(
            "recovered exports: re-queued %s, failed %s, removed %d temp files, "
            "marked %d dead task rows failed",
            result.requeued,
            result.failed,
            len(result.removed_files),
            len(result.dead_task_rows),
        )
    return result


def requeue_expired_leases(now: datetime, result: Recovered) -> None:
    """Re-queue (or, after too many tries, fail) exports whose worker stopped renewing its lease.

    A worker killed mid-render (kill -9, out of memory, the machine gone)
    cannot say so; its lease just stops being renewed. Each such export is
    taken back with its own conditional UPDATE, so a worker that renews at
    that very moment keeps it.
    """
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


def unstarted(now: datetime) -> QuerySet:
    """Queued exports no task row will ever run: their worker died before claiming them.

    The rule: an export has been queued since its updated_at (set when it
    was requested or re-queued; nothing else writes a queued row). Once that
    is longer ago than the lease and no render_export row for it can still
    run (none READY, none RUNNING that started within the lease), nothing
    will claim it: the worker that took its task was killed before the
    claim, or the task ended (failed, or its row was pruned) without one.
    """
    cutoff = now - timedelta(seconds=settings.CHATVIDEO_EXPORT_LEASE_SECONDS)
    can_run = rows_for(render_export).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    return Export.objects.filter(status=Status.QUEUED, updated_at__lt=cutoff).filter(
        ~Exists(can_run)
    )


def requeue_unstarted(now: datetime, result: Recovered) -> None:
    """Queue a new task for each unstarted export, or fail it after too many tries.

    The lost try counts as an attempt, as a claim that died would, so an
    export whose worker always dies before claiming ends in error too. Each
    export changes with its own conditional UPDATE that repeats the whole
    rule: a worker claiming it at that moment wins, and the row is skipped.
    """
    limit = settings.CHATVIDEO_EXPORT_MAX_ATTEMPTS
    stranded = unstarted(now)
    for export in stranded.only("id", "project_id", "attempts"):
        tries = export.attempts + 1
        with transaction.atomic():
            this = stranded.filter(id=export.id)
            if tries < limit:
                if not this.update(attempts=F("attempts") + 1, updated_at=now):
                    continue
                transaction.on_commit(lambda e=export: enqueue_export(e))
                result.requeued.append(export.id)
            else:
                reason = (
                    f"The render worker stopped {tries} times before this export was done "
                    "(it may have been stopped or run out of memory), so this export was "
                    "given up. Press Export MP4 to try again."
                )
                if not this.update(
                    status=Status.ERROR,
                    error=reason,
                    attempts=F("attempts") + 1,
                    claim_token=None,
                    finished_at=now,
                    updated_at=now,
                ):
                    continue
                result.failed.append(export.id)
            transaction.on_commit(lambda e=export: publish_export(e.project_id, e.id))


def fail_dead_render_tasks(now: datetime) -> list[str]:
    """Mark render_export rows left RUNNING by a dead worker FAILED; returns their ids.

    A row is dead once it started more than a lease ago and its export is
    not rendering under a lease renewed within it (the export was taken
    back, finished elsewhere, or deleted).
    """
    cutoff = now - timedelta(seconds=settings.CHATVIDEO_EXPORT_LEASE_SECONDS)
    held = Export.objects.filter(
        id=first_arg(outer=True), status__in=RUNNING, heartbeat_at__gte=cutoff
    )
    return fail_dead_rows(
        render_export,
        started_before=cutoff,
        held=held,
        reason=(
            "The worker running this render stopped (killed or out of memory) before it "
            "finished. recover_exports re-queued the export, or ended it in error with a reason."
        ),
        now=now,
    )
