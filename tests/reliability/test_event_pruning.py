"""Finding 5 of issue 10: events are pruned by the periodic job, and progress is not stored.

Found as: after a busy day one submit took 11.5 s, because django-eventstream
deletes expired events inside every append, one row at a time; a 20-second
streamed reply wrote about 67 stored progress events.
"""

import json
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_eventstream.models import Event

from messages_app.event_storage import EventStorage, prune_old_events
from messages_app.events import project_channel, publish_progress
from messages_app.models import Message
from tests.helpers import answer_in_background, send, stored_events
from tests.llm_servers import OPENAI_PATH, Pause, ScriptedServer, openai_stream

BACKLOG = 20_000


def make_events(count: int, age: timedelta, channel: str = "project-999999") -> None:
    """`count` stored events on another project's channel, all `age` old."""
    first = (Event.objects.filter(channel=channel).order_by("-eid").first() or Event(eid=0)).eid
    Event.objects.bulk_create(
        [
            Event(channel=channel, type="chat", data="{}", eid=first + n)
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )
    # auto_now_add overrides `created` on insert; age the rows afterwards.
    Event.objects.filter(channel=channel, eid__gt=first).update(created=timezone.now() - age)


def deletes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("DELETE")]


def submit_queries(client, project, django_capture_on_commit_callbacks, text: str) -> list:
    """The SQL one submit runs, its after-commit publishing included."""
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = send(client, project, text)
    assert response.status_code == 200
    return queries.captured_queries


def test_a_submit_with_a_day_old_backlog_deletes_nothing_and_runs_no_more_queries(
    owner_client, project, django_capture_on_commit_callbacks
):
    # The project's first event creates its counter; compare later submits.
    submit_queries(owner_client, project, django_capture_on_commit_callbacks, "first")
    fresh = submit_queries(owner_client, project, django_capture_on_commit_callbacks, "one")
    make_events(BACKLOG, age=timedelta(days=2))

    busy = submit_queries(owner_client, project, django_capture_on_commit_callbacks, "two")

    assert deletes(busy) == []
    # The backlog costs the submit nothing: as many queries as without it.
    assert len(busy) == len(fresh), [q["sql"] for q in busy]
    assert Event.objects.filter(channel="project-999999").count() == BACKLOG
    reply = Message.objects.filter(project=project, role="assistant").latest("seq")
    assert stored_events(project)[-1] == ("chat", {"message_id": reply.id, "status": "pending"})


def test_the_periodic_job_deletes_old_events_in_batches_and_keeps_recent_ones(
    owner_client, project, django_capture_on_commit_callbacks
):
    make_events(BACKLOG, age=timedelta(hours=25))
    submit_queries(owner_client, project, django_capture_on_commit_callbacks, "recent")
    recent = stored_events(project)

    with CaptureQueriesContext(connection) as queries:
        out = StringIO()
        call_command("recover_messages", stdout=out)

    assert f"Deleted {BACKLOG} old events" in out.getvalue()
    assert len(deletes(queries.captured_queries)) == BACKLOG // 1000
    assert not Event.objects.filter(channel="project-999999").exists()
    assert stored_events(project) == recent


def test_pruning_keeps_events_younger_than_the_retention(db, settings):
    make_events(3, age=timedelta(hours=23))
    make_events(2, age=timedelta(hours=25))

    assert prune_old_events() == 2
    assert Event.objects.count() == 3

    settings.CHATVIDEO_EVENT_RETENTION_HOURS = 1
    assert prune_old_events(batch=2) == 3
    assert not Event.objects.exists()


def test_a_progress_event_is_not_stored_and_resuming_from_its_id_misses_nothing(project):
    storage = EventStorage()
    channel = project_channel(project.id)
    pending = storage.append_event(channel, "chat", json.dumps({"message_id": 1}))

    progress = storage.append_event(channel, "progress-1", json.dumps({"message_id": 1}))
    done = storage.append_event(channel, "chat", json.dumps({"message_id": 1, "done": True}))

    # It carries the channel's current id, so a page that resumes from it
    # (the browser sends the last id it saw) replays what came after.
    assert progress.id == pending.id
    assert [e.id for e in storage.get_events(channel, progress.id)] == [done.id]
    assert [name for name, _ in stored_events(project)] == ["chat", "chat"]


def test_publishing_progress_writes_no_row(project):
    message = Message.objects.create(project=project, seq=1, role="assistant", content="...")

    for _ in range(5):
        publish_progress(message)

    assert not Event.objects.exists()


def streamed_answer(pieces: int) -> object:
    """A model answer written in `pieces` pieces, each after a pause long enough to be shown."""
    parts = [f"word{n} " for n in range(pieces)]
    answer = openai_stream(parts, ("add_scene", {"props": {"title": "Hi"}}))
    answer.chunks = [
        item
        for chunk in answer.chunks
        for item in ([Pause(0.35)] if any(json.dumps(p) in chunk for p in parts) else []) + [chunk]
    ]
    return answer


@pytest.mark.django_db(transaction=True)
def test_a_streamed_reply_stores_the_same_few_events_however_long_it_writes(
    owner_client, project, settings
):
    with ScriptedServer(OPENAI_PATH) as server:
        settings.CHATVIDEO_BRAIN = "openai"
        settings.OPENAI_BASE_URL = f"{server.url}/v1"
        settings.OPENAI_API_KEY = "test-key"
        settings.CHATVIDEO_MODEL = "gpt-test"
        stored_per_reply = []
        for pieces in (2, 8):
            server.script(streamed_answer(pieces))
            before = Event.objects.exclude(eid=0).count()
            send(owner_client, project, f"add a title scene ({pieces})")
            pending = Message.objects.filter(project=project, role="assistant").latest("seq")
            seen = set()
            worker = answer_in_background(pending)
            deadline = time.monotonic() + 15
            while worker.is_alive() and time.monotonic() < deadline:
                seen.add(Message.objects.get(id=pending.id).content)
                time.sleep(0.05)
            worker.join(timeout=15)
            reply = Message.objects.get(id=pending.id)
            assert reply.status == "success", reply.error
            # It did stream: the row showed text before the answer was complete.
            assert any(text.startswith("word0") and text != reply.content for text in seen)
            stored_per_reply.append(Event.objects.exclude(eid=0).count() - before)

    # The pending announcement, the scene change and the final status: a
    # reconnecting page re-renders the finished message from the last one.
    assert stored_per_reply == [3, 3]
    names = [name for name, _ in stored_events(project)]
    assert not [name for name in names if name.startswith("progress-")]
    assert names[-1] == "chat"
