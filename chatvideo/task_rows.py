"""django-tasks-db's rows of our tasks: found by the task and its first argument.

django-tasks-db stores a task as ``task_path`` (the function's dotted path)
and ``args_kwargs`` (``{"args": [...], "kwargs": {...}}``). Our tasks take one
id as their only argument, so a row is found by ``args_kwargs -> args -> 0``,
read as text and cast to an integer (the same SQL on SQLite and PostgreSQL).

A worker killed mid-task (kill -9, out of memory) leaves its row RUNNING
forever; each app knows whether the work a row stands for is still held by a
live lease, and fail_dead_rows marks the others FAILED with a short reason,
so the admin stops showing them as running.
"""

from datetime import datetime

from django.db.models import Exists, IntegerField, OuterRef, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


class WorkerLost(Exception):
    """The worker running this task stopped before finishing it (killed, out of memory, gone)."""


WORKER_LOST_PATH = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def rows_of(task: Task) -> QuerySet:
    """Every stored row of this task."""
    return DBTaskResult.objects.filter(task_path=task.module_path)


def first_arg(outer: bool = False):
    """The row's first argument (the id its task works on) as an integer expression.

    With outer=True it reads the row of the enclosing query (for a subquery
    over the app's own table).
    """
    column = OuterRef("args_kwargs") if outer else "args_kwargs"
    return Cast(KeyTextTransform("0", KeyTransform("args", column)), IntegerField())


def rows_for(task: Task, outer_id: str = "id") -> QuerySet:
    """Rows of this task whose first argument is the enclosing query's `outer_id`."""
    return rows_of(task).alias(arg=first_arg()).filter(arg=OuterRef(outer_id))


def fail_dead_rows(
    task: Task, *, started_before: datetime, held: QuerySet, reason: str, now: datetime
) -> list[str]:
    """Mark this task's RUNNING rows started before `started_before` FAILED, unless still held.

    `held` is the app's rows whose work a live lease still holds, filtered by
    ``id=first_arg(outer=True)``. One UPDATE, conditional on RUNNING: a row
    whose worker finishes meanwhile keeps its own ending. Returns the ids.
    """
    dead = rows_of(task).filter(status=TaskResultStatus.RUNNING, started_at__lt=started_before)
    dead = dead.filter(~Exists(held))
    ids = [str(row_id) for row_id in dead.values_list("id", flat=True)]
    if ids:
        DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST_PATH,
            traceback=reason,
            return_value=None,
        )
    return ids
