"""A submit writes its messages and its stored event in one transaction, and sends it after.

Commits are counted on the connection itself. The fallback task a submit
queues after commit (messages_app/tasks.py) is its own, and left out here.
A submit that rolls back leaves no event row and sends nothing.
"""

import json

import pytest
from django.db import transaction
from django_eventstream.models import Event as EventRow

from messages_app.events import project_channel
from messages_app.models import Message
from messages_app.submit import submit_message
from tests.helpers import count_commits


@pytest.mark.django_db(transaction=True)
def test_a_submit_commits_once_with_its_event_and_sends_it_after(project, monkeypatch):
    monkeypatch.setattr("messages_app.submit.enqueue_orphan_reply", lambda message_id: None)
    commits, sent = count_commits(monkeypatch), []
    monkeypatch.setattr(
        "django_eventstream.utils.publish_event", lambda *args, **kw: sent.append(len(commits))
    )
    submitted = submit_message(project, "add a title scene that says Hello")

    # One commit, so the event row below was in it (the library's own
    # storage commits on its own, outside a transaction); the send came after.
    assert len(commits) == 1, commits
    assert sent == [1]
    event = EventRow.objects.get(channel=project_channel(project.id), eid__gt=0)
    # Stored as the library stores it (its JSON, encoded once more).
    assert json.loads(json.loads(event.data)) == {
        "message_id": submitted.pending_reply.id,
        "status": "pending",
    }


@pytest.mark.django_db(transaction=True)
def test_a_submit_that_rolls_back_stores_and_sends_nothing(project, monkeypatch):
    sent = []
    monkeypatch.setattr("django_eventstream.utils.publish_event", lambda *a, **k: sent.append(a))

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        submit_message(project, "add a title scene that says Hello")
        raise Undone

    assert not Message.objects.filter(project=project).exists()
    assert not EventRow.objects.filter(channel=project_channel(project.id), eid__gt=0).exists()
    assert sent == []
