import json
import threading
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import close_old_connections
from django.test import Client
from django_eventstream.storage import DjangoModelStorage

from messages_app.events import project_channel
from messages_app.models import Message
from messages_app.reply import run_reply
from projects.models import Project

PASSWORD = "correct horse battery staple"


def pytest_configure(config) -> None:
    # A fast hasher: the suite creates hundreds of users, and the security of
    # test passwords is not under test. Set before any live server forks, so
    # daphne checks passwords the same way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db) -> User:
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def outsider(db) -> User:
    return User.objects.create_user("mallory", password=PASSWORD)


@pytest.fixture
def project(owner) -> Project:
    return Project.objects.create(owner=owner, title="Launch video")


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def outsider_client(outsider) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


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
