"""Retry turns an errored reply back into a pending one, in the same row."""

import pytest
from django.test import override_settings

from messages_app.models import PENDING_TEXT, Message
from tests.helpers import run_task, send, stored_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failed(owner_client, project) -> Message:
    send(owner_client, project, "add a title scene that says Hi")
    reply = Message.objects.get(role="assistant")
    with override_settings(CHATVIDEO_BRAIN="tests.brains.BrokenBrain"):
        run_task(owner_client, reply)
    reply.refresh_from_db()
    assert reply.status == "error"
    return reply


def retry(client, message):
    url = f"/{message.project_id}/messages/{message.id}/retry/"
    return client.post(url, headers={"HX-Request": "true"})


def test_an_error_shows_a_retry_button(owner_client, project, failed):
    html = owner_client.get(f"/{project.id}/messages/").content.decode()

    assert ">Retry</button>" in html
    assert f'hx-post="/{project.id}/messages/{failed.id}/retry/"' in html


def test_retry_reopens_the_same_row_and_the_next_run_succeeds(owner_client, project, failed):
    response = retry(owner_client, failed)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="pending"' in html and 'role="status"' in html
    failed.refresh_from_db()
    assert (failed.status, failed.content, failed.error) == ("pending", PENDING_TEXT, "")

    run_task(owner_client, failed)

    failed.refresh_from_db()
    assert failed.status == "success"
    assert Message.objects.count() == 2
    assert project.scenes.count() == 1


def test_only_errors_can_be_retried(owner_client, project, failed):
    retry(owner_client, failed)
    run_task(owner_client, failed)

    response = retry(owner_client, failed)

    assert response.status_code == 409
    failed.refresh_from_db()
    assert failed.status == "success"


def test_retry_validates_ownership(outsider_client, failed):
    assert retry(outsider_client, failed).status_code == 404
    failed.refresh_from_db()
    assert failed.status == "error"


def test_the_pending_body_follows_its_progress_events(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")

    html = owner_client.get(f"/{project.id}/messages/{pending.id}/").content.decode()

    assert f'hx-trigger="sse:progress-{pending.id}"' in html
    assert PENDING_TEXT in html


def test_retry_tells_open_pages_the_reply_is_pending_again(owner_client, project, failed):
    retry(owner_client, failed)

    assert stored_events(project)[-1] == ("chat", {"message_id": failed.id, "status": "pending"})


def test_retry_forgets_the_failed_run(owner_client, project, failed):
    assert failed.brain == "tests.brains.BrokenBrain"

    retry(owner_client, failed)

    failed.refresh_from_db()
    assert (failed.brain, failed.duration_ms, failed.tool, failed.scene_id) == ("", None, "", None)


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=1)
def test_retries_count_against_the_rate_limit(owner_client, project, failed):
    response = retry(owner_client, failed)

    assert response.status_code == 429
    assert "at most 1 a minute" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "error"
