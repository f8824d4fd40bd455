"""An open tab never keeps the dots after its reply's runner died or was given up on.

The pending message calls its task view again every half lease: a live claim
answers 204, an expired one is taken over and answered, and a reply that has
ended meanwhile comes back as a 409 carrying the finished message, which the
page shows (static/chatvideo/app.js). Reasons name the limit in words.
"""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from chatvideo.durations import describe_duration
from messages_app.models import Message
from messages_app.recover import give_up_stale_replies
from messages_app.submit import submit_message
from projects.models import Project
from tests.browser import BrowserTestCase
from tests.helpers import PASSWORD, run_task, send


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (90, "1 minute 30 seconds"),
        (600, "10 minutes"),
        (3600, "1 hour"),
        (5400, "90 minutes"),
        (7200, "2 hours"),
    ],
)
def test_durations_read_well_for_any_limit(seconds, words):
    assert describe_duration(seconds) == words


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("limit", "reason"),
    [(45, "No answer after 45 seconds"), (60, "No answer after 1 minute")],
)
def test_a_reply_given_up_on_names_the_limit_in_words(owner_client, project, limit, reason):
    send(owner_client, project, "add a title scene that says Hi")
    reply = Message.objects.get(role="assistant")
    Message.objects.filter(id=reply.id).update(pending_since=timezone.now() - timedelta(hours=1))

    with override_settings(CHATVIDEO_HARD_LIMIT_SECONDS=limit):
        assert give_up_stale_replies() == [reply.id]

    reply.refresh_from_db()
    assert reply.error.startswith(f"{reason}, so this request was stopped.")


@pytest.mark.django_db(transaction=True)
def test_a_task_call_for_an_ended_reply_brings_the_finished_message(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    reply = Message.objects.get(role="assistant")
    Message.objects.filter(id=reply.id).update(pending_since=timezone.now() - timedelta(hours=1))
    give_up_stale_replies()

    from_page = run_task(owner_client, reply)
    plain = owner_client.post(f"/{project.id}/messages/{reply.id}/task/")

    assert from_page.status_code == 409
    html = from_page.content.decode()
    assert f'id="message-{reply.id}"' in html and 'data-status="error"' in html
    assert "No answer after 10 minutes" in html and ">Retry</button>" in html
    assert plain.status_code == 409
    assert plain.content.decode() == "This message is already answered."


@pytest.mark.django_db
@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=120)
def test_a_pending_message_calls_its_task_again_every_half_lease(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")

    html = owner_client.get(f"/{project.id}/").content.decode()

    assert 'hx-trigger="load, every 60s"' in html


LEASE_SECONDS = 4


@override_settings(CHATVIDEO_CLAIM_LEASE_SECONDS=LEASE_SECONDS, CHATVIDEO_HARD_LIMIT_SECONDS=45)
class RecoveryInTheOpenTabTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.url = f"{self.live_server_url}/{self.project.id}/"
        submit_message(self.project, "add a title scene that says Back", uuid.uuid4())
        self.reply = Message.objects.get(project=self.project, role="assistant")

    def hold_claim(self, claimed_at) -> None:
        """A runner claimed the reply at claimed_at, then died without a word."""
        Message.objects.filter(id=self.reply.id).update(
            claimed_at=claimed_at, claim_token=uuid.uuid4()
        )

    def open_page(self):
        page = self.new_page()
        self.log_in(page, self.url)
        article = page.locator(f"#message-{self.reply.id}")
        expect(article).to_have_attribute("data-status", "pending")
        expect(article.get_by_role("status", name="Working on it")).to_be_visible()
        # Marks this document: a reload would lose it.
        page.evaluate("() => { window.notReloaded = true; }")
        return page, article

    def test_a_reply_whose_runner_died_is_answered_in_the_open_tab(self) -> None:
        self.hold_claim(timezone.now())
        page, _ = self.open_page()

        # The lease runs out; the next call from the page takes the reply over.
        article = page.locator(f"#message-{self.reply.id}")
        expect(article).to_have_attribute("data-status", "success")
        expect(page.locator("#scene-list")).to_contain_text("Back")
        self.assertIs(page.evaluate("() => window.notReloaded"), True)
        self.reply.refresh_from_db()
        self.assertEqual(self.reply.status, "success")
        self.assertEqual(self.page_errors, [])

    def test_a_reply_given_up_on_shows_its_error_and_retry_in_the_open_tab(self) -> None:
        # A live claim (it ends in an hour) keeps the page from taking it over.
        self.hold_claim(timezone.now() + timedelta(hours=1))
        Message.objects.filter(id=self.reply.id).update(
            pending_since=timezone.now() - timedelta(hours=1)
        )
        page, _ = self.open_page()

        later = timezone.now() + timedelta(hours=1, seconds=LEASE_SECONDS + 1)
        self.assertEqual(give_up_stale_replies(now=later), [self.reply.id])

        article = page.locator(f"#message-{self.reply.id}")
        expect(article).to_have_attribute("data-status", "error")
        expect(article.get_by_role("alert")).to_have_text(
            re.compile(r"^No answer after 45 seconds, so this request was stopped\.")
        )
        expect(article.get_by_role("status")).to_have_count(0)
        self.assertIs(page.evaluate("() => window.notReloaded"), True)

        # Retry runs it again in the same row, and this time it is answered.
        article.get_by_role("button", name="Retry").click()
        expect(article).to_have_attribute("data-status", "success")
        expect(page.locator("#scene-list")).to_contain_text("Back")
        self.assertIs(page.evaluate("() => window.notReloaded"), True)
        self.assertEqual(self.page_errors, [])
