"""Helpers tests share: the test password, and sending and answering chat
messages the way the page does. Fixtures live in conftest.py.
"""

import json
import threading
import uuid

from django.db import close_old_connections, connection
from django.test import Client
from django_eventstream.storage import DjangoModelStorage

from messages_app.events import project_channel
from messages_app.models import Message
from messages_app.reply import run_reply
from projects.models import Project

PASSWORD = "correct horse battery staple"


def send(client: Client, project: Project, text: str, key: str | None = None, htmx: bool = True):
    """Submit a chat message the way the page's form does."""
    data = {"content": text, "client_key": key or str(uuid.uuid4())}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/{project.id}/messages/send/", data, headers=headers)


def run_task(client: Client, message):
    """Call the task view for a pending reply, as its partial does on load."""
    return client.post(
        f"/{message.project_id}/messages/{message.id}/task/", headers={"HX-Request": "true"}
    )


def answer(client: Client, project: Project, text: str) -> Message:
    """Send a message and run its reply through the task view, as the page does.

    Returns the reply row, refreshed. The task view answers in a worker thread
    with its own connection, so tests using this need transaction=True.
    """
    send(client, project, text)
    reply = Message.objects.filter(project=project, role="assistant").latest("seq")
    response = run_task(client, reply)
    assert response.status_code == 200, response.content
    reply.refresh_from_db()
    return reply


def stored_events(project: Project) -> list[tuple[str, dict]]:
    """The events the project's stream would replay, oldest first."""
    storage = DjangoModelStorage()
    return [
        (event.type, json.loads(event.data))
        for event in storage.get_events(project_channel(project.id), 0)
    ]


def answer_in_background(message: Message) -> threading.Thread:
    """Start the reply's runner in another thread, as the task view does; returns it.

    The thread closes its own database connection when done, so tests using
    this need transaction=True.
    """

    def run() -> None:
        try:
            run_reply(message.id)
        finally:
            close_old_connections()

    worker = threading.Thread(target=run)
    worker.start()
    return worker


def count_commits(monkeypatch) -> list[str]:
    """Count commits on the test's own connection: the list grows by one per commit."""
    commits: list[str] = []
    real_commit = connection.commit

    def counted_commit() -> None:
        real_commit()
        commits.append("commit")

    monkeypatch.setattr(connection, "commit", counted_commit)
    return commits
