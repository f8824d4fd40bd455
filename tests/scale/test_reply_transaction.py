"""A reply's status, its scene change and their stored events commit together, and are sent after.

Commits are counted on the connection itself, as for a submit
(test_submit_transaction.py): the events add no commit of their own, so
every send comes after the reply's last commit.
"""

import pytest
from django_eventstream.models import Event as EventRow

from messages_app.events import project_channel
from messages_app.reply import run_reply
from messages_app.submit import submit_message
from tests.helpers import count_commits


@pytest.mark.django_db(transaction=True)
def test_a_reply_stores_its_events_in_its_own_commit_and_sends_them_after(project, monkeypatch):
    monkeypatch.setattr("messages_app.submit.enqueue_orphan_reply", lambda message_id: None)
    reply = submit_message(project, "add a title scene that says Hello").pending_reply
    before = set(EventRow.objects.values_list("id", flat=True))
    commits, sent = count_commits(monkeypatch), []
    monkeypatch.setattr(
        "django_eventstream.utils.publish_event",
        lambda channel, event_type, *args, **kw: sent.append((event_type, len(commits))),
    )

    answered = run_reply(reply.id)

    assert answered.status == "success" and project.scenes.count() == 1
    # The claim is one UPDATE (autocommit); the answer, its scene and both
    # events are one transaction: one commit, and the sends after it.
    assert len(commits) == 1, commits
    assert sent == [("scenes", 1), ("chat", 1)]
    stored = EventRow.objects.filter(channel=project_channel(project.id)).exclude(id__in=before)
    assert sorted(stored.values_list("type", flat=True)) == ["chat", "scenes"]
