"""A form whose idempotency key was already used must never swallow a new message.

Found by a user: Back served the project page from the HTTP cache, its form
still carried the key of a message sent earlier, and the next message
returned 200, cleared the composer and was never saved.
"""

import uuid

from django.contrib.auth.models import User
from django.test import override_settings
from playwright.sync_api import expect

from messages_app.models import Message
from projects.models import Project

from ..browser import BrowserTestCase
from ..helpers import PASSWORD, send


def user_texts(project) -> list[str]:
    return list(
        Message.objects.filter(project=project, role=Message.Role.USER).values_list(
            "content", flat=True
        )
    )


def test_a_spent_key_with_new_text_saves_the_new_message(owner_client, project) -> None:
    key = str(uuid.uuid4())
    assert send(owner_client, project, "add a title that says One", key).status_code == 200

    response = send(owner_client, project, "add a quote: Two", key)

    assert response.status_code == 200
    assert user_texts(project) == ["add a title that says One", "add a quote: Two"]
    assert Message.objects.filter(project=project, role=Message.Role.ASSISTANT).count() == 2


def test_a_stale_form_sent_twice_still_saves_its_message_once(owner_client, project) -> None:
    key = str(uuid.uuid4())
    send(owner_client, project, "add a title that says One", key)

    send(owner_client, project, "add a quote: Two", key)
    send(owner_client, project, "add a quote: Two", key)

    assert user_texts(project) == ["add a title that says One", "add a quote: Two"]


def test_the_same_key_and_text_is_still_one_message(owner_client, project) -> None:
    key = str(uuid.uuid4())
    send(owner_client, project, "add a title that says One", key)
    send(owner_client, project, "add a title that says One", key)

    assert user_texts(project) == ["add a title that says One"]
    assert Message.objects.filter(project=project).count() == 2


def test_the_same_text_from_a_form_used_before_other_messages_is_saved_again(
    owner_client, project
) -> None:
    # "undo" sent, then something else, then Back to the first page and "undo" again:
    # the user means a second undo, not a repeat of the first request.
    key = str(uuid.uuid4())
    send(owner_client, project, "add a title that says One", key)
    send(owner_client, project, "add a quote: Two")

    send(owner_client, project, "add a title that says One", key)
    send(owner_client, project, "add a title that says One", key)  # that stale form, twice

    assert user_texts(project) == [
        "add a title that says One",
        "add a quote: Two",
        "add a title that says One",
    ]
    assert Message.objects.filter(project=project, role=Message.Role.ASSISTANT).count() == 3

    send(owner_client, project, "add a quote: Three")
    send(owner_client, project, "add a title that says One", key)  # and again, later

    assert user_texts(project)[-2:] == ["add a quote: Three", "add a title that says One"]
    assert len(user_texts(project)) == 5


def test_the_project_page_is_never_stored_by_the_browser(owner_client, project) -> None:
    response = owner_client.get(f"/{project.id}/")

    assert "no-store" in response["Cache-Control"]


@override_settings(CHATVIDEO_BRAIN="offline")
class BackThenSendTests(BrowserTestCase):
    def test_send_navigate_away_back_and_send_again_saves_and_shows_both(self) -> None:
        owner = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=owner, title="Launch video")
        url = f"{self.live_server_url}/{project.id}/"
        page = self.new_page()
        self.log_in(page, url)

        page.get_by_label("Message").fill("add a title scene that says One")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#chat-log")).to_contain_text("add a title scene that says One")

        page.goto(f"{self.live_server_url}/")
        page.go_back()
        page.wait_for_load_state("load")
        page.get_by_label("Message").fill("add a quote scene: Two")
        page.get_by_role("button", name="Send").click()

        chat = page.locator("#chat-log")
        expect(chat).to_contain_text("add a quote scene: Two")
        expect(chat.locator("[data-message-id]")).to_have_count(4)
        page.reload()
        expect(page.locator("#chat-log")).to_contain_text("add a quote scene: Two")
        self.assertEqual(
            user_texts(project), ["add a title scene that says One", "add a quote scene: Two"]
        )
        self.assertEqual(self.page_errors, [])
