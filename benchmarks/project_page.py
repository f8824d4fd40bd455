"""Measure what the project page costs the server as a chat and a video grow.

Reports, for chats of 50, 1,000 and 10,000 messages and for 500 scenes: the
project page's server time (median of --runs renders through Django's test
client: middleware, views and templates, no network), its HTML size and its
SQL statements; and the partials a chat event costs an open page (the
messages after its last one, one message alone).

Usage: .venv/bin/python benchmarks/project_page.py [--runs 20]
Uses a throwaway SQLite database unless DATABASE_URL is set (then point it
at a scratch database).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
os.environ.pop("REDIS_URL", None)  # the page, not the bus
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"  # Django's test client

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from messages_app.models import Message  # noqa: E402
from projects.models import Project  # noqa: E402
from scenes.models import Scene  # noqa: E402
from scenes.render import render_scene_code, scene_props  # noqa: E402


def chat_project(owner: User, messages: int) -> Project:
    project = Project.objects.create(owner=owner, title=f"{messages} messages")
    Message.objects.bulk_create(
        (
            Message(
                project=project,
                seq=seq,
                role="user" if seq % 2 else "assistant",
                content=f"Message number {seq % 100:02d} of the chat",
            )
            for seq in range(1, messages + 1)
        ),
        batch_size=2000,
    )
    return project


def scene_project(owner: User, scenes: int) -> Project:
    project = Project.objects.create(owner=owner, title=f"{scenes} scenes")
    props = scene_props(title="Scene")
    code = render_scene_code(props, 30, project.fps)
    Scene.objects.bulk_create(
        Scene(
            project=project, order=n, name=f"Scene {n}", duration_frames=30, code=code, props=props
        )
        for n in range(1, scenes + 1)
    )
    return project


def measure(client: Client, url: str, runs: int) -> tuple[float, int, int]:
    """Median ms, bytes and SQL statements of GET url."""
    client.get(url)  # warm up templates and the session
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(response.content), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    owner = User.objects.create_user(f"bench-{uuid.uuid4().hex[:8]}")
    client = Client()
    client.force_login(owner)

    rows = []
    for count in (50, 1_000, 10_000):
        project = chat_project(owner, count)
        rows.append((f"project page, {count:,} messages", f"/{project.id}/"))
        if count == 10_000:
            last = project.messages.order_by("seq").last()
            rows.append(("  a chat event: the new messages", f"/{project.id}/messages/?after=9998"))
            rows.append(("  a chat event: one message", f"/{project.id}/messages/{last.id}/item/"))
            rows.append(("  earlier messages", f"/{project.id}/messages/?before=9951"))
    project = scene_project(owner, 500)
    rows.append(("project page, 500 scenes", f"/{project.id}/"))

    print(f"{'request':42} {'median ms':>10} {'bytes':>9} {'SQL':>5}")
    for label, url in rows:
        ms, size, queries = measure(client, url, args.runs)
        print(f"{label:42} {ms:10.1f} {size:9,} {queries:5}")


if __name__ == "__main__":
    main()
