"""Concurrent task calls and submits: one run, one pair, a gap-free order.

Real threads, each with its own database connection, against the real
database (PostgreSQL in CI), so the claim's conditional UPDATE and the
project-row lock are what keeps the story straight.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client, override_settings

from messages_app.models import Message
from tests.brains import CountingBrain
from tests.helpers import run_task, send

pytestmark = pytest.mark.django_db(transaction=True)

CALLERS = 20


def in_parallel(work, count=CALLERS) -> list:
    """Run work(i) in `count` threads at once; each thread closes its connection."""

    def call(i):
        try:
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def clients_for(user, count=CALLERS) -> list[Client]:
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@override_settings(CHATVIDEO_BRAIN="tests.brains.CountingBrain")
def test_twenty_task_calls_run_the_brain_once(owner, owner_client, project):
    send(owner_client, project, "add a title scene that says Launch Day")
    pending = Message.objects.get(role="assistant")
    clients = clients_for(owner)
    CountingBrain.calls = 0

    statuses = in_parallel(lambda i: run_task(clients[i], pending).status_code)

    assert CountingBrain.calls == 1
    assert statuses.count(200) == 1
    assert set(statuses) <= {200, 204, 409}
    assert project.scenes.count() == 1
    assert Message.objects.count() == 2
    pending.refresh_from_db()
    assert pending.status == "success"


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=0)
def test_twenty_submits_with_one_key_make_one_pair(owner, project):
    clients = clients_for(owner)
    key = str(uuid.uuid4())

    statuses = in_parallel(
        lambda i: send(clients[i], project, "add a title scene that says Hi", key=key).status_code
    )

    assert statuses == [200] * CALLERS
    assert list(Message.objects.values_list("seq", "role")) == [(1, "user"), (2, "assistant")]


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=0)
def test_twenty_submits_with_different_keys_make_twenty_pairs_in_order(owner, project):
    clients = clients_for(owner)

    statuses = in_parallel(lambda i: send(clients[i], project, f"message {i}").status_code)

    assert statuses == [200] * CALLERS
    rows = list(Message.objects.order_by("seq"))
    assert [m.seq for m in rows] == list(range(1, 2 * CALLERS + 1))
    for user_message, reply in zip(rows[::2], rows[1::2], strict=True):
        assert (user_message.role, reply.role) == ("user", "assistant")
        assert reply.in_reply_to_id == user_message.id
    assert sorted(m.content for m in rows[::2]) == sorted(f"message {i}" for i in range(CALLERS))


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=5)
def test_concurrent_submits_cannot_get_past_the_rate_limit(owner, project):
    clients = clients_for(owner)

    statuses = in_parallel(lambda i: send(clients[i], project, f"message {i}").status_code)

    assert sorted(statuses) == [200] * 5 + [429] * (CALLERS - 5)
    assert Message.objects.filter(role="assistant").count() == 5
