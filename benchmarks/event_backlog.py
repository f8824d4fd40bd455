"""Measure what stored events cost, with django-eventstream's storage and with ours.

Reports, for each storage class:
- one submit (the real view, publishing included) with a backlog of old
  events: its time and its SQL statements (DELETEs among them);
- the event rows one streamed reply stores, from a fake OpenAI-compatible
  server on loopback writing for --seconds (a piece of text every 0.1 s);
- then the periodic job's prune_old_events over what is left of the backlog.

Usage: .venv/bin/python benchmarks/event_backlog.py [--backlog 20000] [--seconds 20]
Uses a throwaway SQLite database unless DATABASE_URL is set (then that
database's tables are used: point it at a scratch database).
"""

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.pop("REDIS_URL", None)  # the in-process bus: this measures storage, not Redis
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_eventstream.models import Event  # noqa: E402

from messages_app.event_storage import prune_old_events  # noqa: E402
from messages_app.events import project_channel  # noqa: E402
from messages_app.models import Message  # noqa: E402
from messages_app.reply import run_reply  # noqa: E402
from projects.models import Project  # noqa: E402
from tests.llm_servers import OPENAI_PATH, ScriptedServer, openai_stream  # noqa: E402

STORAGES = {
    "django-eventstream DjangoModelStorage": "django_eventstream.storage.DjangoModelStorage",
    "messages_app EventStorage": "messages_app.event_storage.EventStorage",
}


def add_backlog(count: int) -> None:
    Event.objects.bulk_create(
        [Event(channel="project-0", type="chat", data="{}", eid=n) for n in range(1, count + 1)],
        batch_size=2000,
    )
    Event.objects.filter(channel="project-0").update(created=timezone.now() - timedelta(days=2))


def timed_submit(client: Client, project: Project) -> tuple[float, int, int]:
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql.lstrip().upper())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.post(
            f"/{project.id}/messages/send/",
            {"content": "add a title scene that says Hi", "client_key": str(uuid.uuid4())},
            headers={"HX-Request": "true"},
        )
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed, len(statements), sum(s.startswith("DELETE") for s in statements)


def streamed_reply_rows(server: ScriptedServer, project: Project, seconds: float) -> int:
    answer = openai_stream(
        [f"word{n} " for n in range(int(seconds * 10))], ("add_scene", {"props": {"title": "Hi"}})
    )
    answer.delay = 0.1
    server.script(answer)
    channel = project_channel(project.id)
    before = Event.objects.filter(channel=channel).exclude(eid=0).count()
    client = Client()
    client.force_login(project.owner)
    client.post(
        f"/{project.id}/messages/send/",
        {"content": "add a title scene", "client_key": str(uuid.uuid4())},
        headers={"HX-Request": "true"},
    )
    pending = Message.objects.filter(project=project, role="assistant").latest("seq")
    reply = run_reply(pending.id)
    assert reply is not None and reply.status == "success", reply and reply.error
    return Event.objects.filter(channel=channel).exclude(eid=0).count() - before


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backlog", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    settings.CHATVIDEO_MESSAGES_PER_MINUTE = 0
    owner = User.objects.create_user(f"bench-{uuid.uuid4().hex[:8]}")
    project = Project.objects.create(owner=owner, title="Benchmark")
    client = Client()
    client.force_login(owner)

    with ScriptedServer(OPENAI_PATH) as server:
        settings.CHATVIDEO_BRAIN = "openai"
        settings.OPENAI_BASE_URL = f"{server.url}/v1"
        settings.OPENAI_API_KEY = "bench-key"
        settings.CHATVIDEO_MODEL = "gpt-bench"
        results = {}
        for name, storage in STORAGES.items():
            settings.EVENTSTREAM_STORAGE_CLASS = storage
            timed_submit(client, project)  # the channel's counter exists from here on
            Event.objects.filter(channel="project-0").delete()
            add_backlog(args.backlog)
            elapsed, statements, deletes = timed_submit(client, project)
            left = Event.objects.filter(channel="project-0").count()
            rows = streamed_reply_rows(server, project, args.seconds)
            started = time.perf_counter()
            pruned = prune_old_events()
            prune_seconds = time.perf_counter() - started
            results[name] = {
                f"submit with {args.backlog} old events (s)": round(elapsed, 3),
                "SQL statements in that submit": statements,
                "DELETEs in that submit": deletes,
                "old events left after it": left,
                f"rows stored by one {args.seconds:g}-second streamed reply": rows,
                "then prune_old_events (rows, s)": [pruned, round(prune_seconds, 3)],
            }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
