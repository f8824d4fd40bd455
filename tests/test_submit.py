"""Submitting a message: two rows in one transaction, the reply's id after commit."""

import uuid

import pytest
from django.test import override_settings

from messages_app.events import project_channel
from messages_app.models import PENDING_TEXT, Message
from tests.helpers import send, stored_events


def test_it_creates_the_user_message_and_a_pending_reply(owner_client, project):
    response = send(owner_client, project, "add a title scene that says Launch Day")

    assert response.status_code == 200
    user_message, reply = Message.objects.filter(project=project).order_by("seq")
    assert (user_message.role, user_message.content) == (
        "user",
        "add a title scene that says Launch Day",
    )
    assert (reply.role, reply.status, reply.content) == ("assistant", "pending", PENDING_TEXT)
    assert reply.in_reply_to == user_message
    assert (user_message.seq, reply.seq) == (1, 2)


def test_it_returns_an_empty_composer_with_a_fresh_key(owner_client, project):
    key = str(uuid.uuid4())

    response = send(owner_client, project, "hello", key=key)

    html = response.content.decode()
    assert 'id="composer"' in html
    assert key not in html
    assert "hello" not in html


def test_it_stores_the_reply_id_with_the_rows_and_sends_it_only_after_commit(
    owner_client, project, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "django_eventstream.utils.publish_event", lambda channel, *args, **kw: sent.append(channel)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(owner_client, project, "add a title scene that says Hi")
    # Stored in the submit's own transaction (one commit), but not yet sent.
    reply = Message.objects.get(role="assistant")
    assert stored_events(project) == [("chat", {"message_id": reply.id, "status": "pending"})]
    assert sent == []

    for callback in callbacks:
        callback()
    assert sent == [project_channel(project.id)]


def test_it_writes_both_rows_or_neither(owner_client, project, monkeypatch):
    create = Message.objects.create
    calls = []

    def create_then_fail(**fields):
        calls.append(fields["role"])
        if fields["role"] == Message.Role.ASSISTANT:
            raise RuntimeError("database went away")
        return create(**fields)

    monkeypatch.setattr(Message.objects, "create", create_then_fail)

    with pytest.raises(RuntimeError):
        send(owner_client, project, "add a title scene that says Hi")

    assert calls == ["user", "assistant"]
    assert not Message.objects.exists()
    assert stored_events(project) == []


def test_a_double_submit_with_the_same_key_creates_nothing_more(
    owner_client, project, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = send(owner_client, project, "add a title scene that says Hi", key=key)
        second = send(owner_client, project, "add a title scene that says Hi", key=key)

    assert (first.status_code, second.status_code) == (200, 200)
    assert Message.objects.count() == 2
    assert len(stored_events(project)) == 1


def test_different_keys_make_separate_pairs_in_order(owner_client, project):
    send(owner_client, project, "first")
    send(owner_client, project, "second")

    rows = list(Message.objects.order_by("seq").values_list("seq", "role", "content"))
    assert rows == [
        (1, "user", "first"),
        (2, "assistant", PENDING_TEXT),
        (3, "user", "second"),
        (4, "assistant", PENDING_TEXT),
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Type a message first."),
        ("   \n\t ", "Type a message first."),
        ("x" * 4001, "Messages can be at most 4000 characters (this one has 4001)."),
    ],
)
def test_invalid_text_gets_a_clear_message_and_saves_nothing(owner_client, project, text, error):
    response = send(owner_client, project, text)

    assert response.status_code == 422
    assert error in response.content.decode()
    assert not Message.objects.exists()
    assert stored_events(project) == []


def test_the_longest_allowed_message_is_accepted(owner_client, project):
    response = send(owner_client, project, "x" * 4000)

    assert response.status_code == 200
    assert Message.objects.filter(role="user").get().content == "x" * 4000


def test_line_breaks_sent_without_javascript_count_once_as_the_composer_counts_them(
    owner_client, project
):
    # A form posted without JavaScript sends each line break as CRLF.
    lines = "\r\n".join(["x" * 9] * 400)  # 3,999 characters in the composer, 4,398 sent

    response = send(owner_client, project, lines, htmx=False)

    assert response.status_code == 302
    assert Message.objects.filter(role="user").get().content == lines.replace("\r\n", "\n")


def test_it_keeps_what_was_typed_when_rejecting_it(owner_client, project):
    response = send(owner_client, project, "x" * 4001)

    assert "x" * 4001 in response.content.decode()


def test_a_malformed_key_is_rejected(owner_client, project):
    response = send(owner_client, project, "hello", key="not-a-uuid")

    assert response.status_code == 422
    assert "This form is out of date. Reload the page and send again." in response.content.decode()
    assert not Message.objects.exists()


def test_it_validates_ownership(outsider_client, project):
    response = send(outsider_client, project, "add a title scene that says Hi")

    assert response.status_code == 404
    assert not Message.objects.exists()


def test_it_only_allows_post(owner_client, project):
    response = owner_client.get(f"/{project.id}/messages/send/")

    assert response.status_code == 405


def test_without_htmx_it_redirects_back_to_the_project(owner_client, project):
    response = send(owner_client, project, "hello", htmx=False)

    assert response.status_code == 302
    assert response["Location"] == f"/{project.id}/"
    assert Message.objects.count() == 2


def test_without_htmx_errors_show_on_the_project_page(owner_client, project):
    response = send(owner_client, project, "", htmx=False)

    assert response.status_code == 422
    html = response.content.decode()
    assert "Type a message first." in html
    assert 'id="chat-log"' in html


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=1)
def test_a_double_submit_at_the_rate_limit_is_still_a_quiet_no_op(owner_client, project):
    key = str(uuid.uuid4())
    send(owner_client, project, "hello", key=key)

    response = send(owner_client, project, "hello", key=key)

    assert response.status_code == 200
    assert Message.objects.count() == 2
