"""A runner that died does not leave the dots spinning, and cannot finish late."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from assistant.decision import Decision
from messages_app.claim import claim_message
from messages_app.models import Message
from messages_app.reply import ClaimLost, ProgressWriter, apply_decision
from tests.helpers import run_task, send, stored_events

pytestmark = pytest.mark.django_db(transaction=True)


def age(message: Message, **delta) -> None:
    """Move when a message became pending, and its claim, into the past."""
    then = timezone.now() - timedelta(**delta)
    Message.objects.filter(id=message.id).update(
        created_at=then, pending_since=then, claimed_at=then
    )


@pytest.fixture
def pending(owner_client, project) -> Message:
    send(owner_client, project, "add a title scene that says Hi")
    return Message.objects.get(role="assistant")


@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=60)
def test_a_claim_within_its_lease_is_left_alone(owner_client, pending):
    claim_message(pending.id)
    age(pending, seconds=30)

    assert run_task(owner_client, pending).status_code == 204
    pending.refresh_from_db()
    assert pending.status == "pending"


@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=60)
def test_an_expired_claim_is_taken_over_by_the_next_trigger(owner_client, project, pending):
    claim_message(pending.id)
    age(pending, seconds=61)

    response = run_task(owner_client, pending)

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "success"
    assert project.scenes.count() == 1


@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=60)
def test_the_runner_that_lost_its_claim_cannot_apply_its_change(project, pending):
    stale_token = claim_message(pending.id)
    age(pending, seconds=61)
    assert claim_message(pending.id) is not None

    decision = Decision(
        reply="Added.", tool="add_scene", args={"props": {"title": "Late"}, "duration_frames": 30}
    )
    with pytest.raises(ClaimLost):
        apply_decision(pending, stale_token, decision)

    assert not project.scenes.exists()
    pending.refresh_from_db()
    assert pending.status == "pending"


@override_settings(CHATVIDEO_HARD_LIMIT_SECONDS=600)
def test_recover_messages_gives_up_on_stale_replies(owner_client, project, pending):
    send(owner_client, project, "add a title scene that says Fresh")
    fresh = Message.objects.filter(role="assistant").latest("seq")
    token = claim_message(pending.id)
    age(pending, seconds=601)

    out = StringIO()
    call_command("recover_messages", stdout=out)

    pending.refresh_from_db()
    assert pending.status == "error"
    assert pending.error == (
        "No answer after 10 minutes, so this request was stopped. Nothing was changed; "
        "press Retry to try again."
    )
    assert f"Gave up on 1 stale replies: [{pending.id}]" in out.getvalue()
    assert ("chat", {"message_id": pending.id, "status": "error"}) in stored_events(project)
    fresh.refresh_from_db()
    assert fresh.status == "pending"
    # The runner that held it cannot land its change afterwards.
    decision = Decision(reply="Added.", tool="add_scene", args={"props": {"title": "Late"}})
    with pytest.raises(ClaimLost):
        apply_decision(pending, token, decision)
    assert not project.scenes.exists()


@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=60)
def test_a_runner_that_is_still_writing_keeps_its_claim(pending):
    token = claim_message(pending.id)
    age(pending, seconds=59)

    ProgressWriter(pending, token)("The first words of a long answer")
    age_seconds = (timezone.now() - Message.objects.get(id=pending.id).claimed_at).total_seconds()

    assert age_seconds < 5
    assert claim_message(pending.id) is None
    pending.refresh_from_db()
    assert pending.content == "The first words of a long answer"


@override_settings(CHATVIDEO_HARD_LIMIT_SECONDS=600, CHATVIDEO_CLAIM_LEASE_SECONDS=60)
def test_recover_leaves_a_runner_with_a_live_lease_alone(pending):
    token = claim_message(pending.id)
    age(pending, seconds=900)
    ProgressWriter(pending, token).keep_alive()  # a model still writing

    call_command("recover_messages", stdout=StringIO())

    pending.refresh_from_db()
    assert pending.status == "pending"


@override_settings(CHATVIDEO_HARD_LIMIT_SECONDS=600, CHATVIDEO_BRAIN="tests.brains.BrokenBrain")
def test_recover_counts_a_retried_reply_from_its_retry(owner_client, project, pending):
    run_task(owner_client, pending)
    pending.refresh_from_db()
    assert pending.status == "error"
    Message.objects.filter(id=pending.id).update(created_at=timezone.now() - timedelta(hours=1))

    response = owner_client.post(f"/{project.id}/messages/{pending.id}/retry/")
    call_command("recover_messages", stdout=StringIO())

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "pending"


@override_settings(CHATVIDEO_HARD_LIMIT_SECONDS=600)
def test_recover_messages_every_keeps_recovering_at_its_interval(
    owner_client, project, pending, monkeypatch
):
    from messages_app.management.commands import recover_messages

    naps = []

    def nap(seconds):
        # The command runs until it is stopped: stop it at its third nap,
        # after a stale reply appeared between its first and second pass.
        naps.append(seconds)
        if len(naps) == 1:
            age(pending, seconds=601)
        if len(naps) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(recover_messages.time, "sleep", nap)
    out = StringIO()

    with pytest.raises(KeyboardInterrupt):
        call_command("recover_messages", every=30, stdout=out)

    assert naps == [30, 30, 30]
    pending.refresh_from_db()
    assert pending.status == "error"
    assert out.getvalue().count("Gave up on 1 stale replies") == 1
