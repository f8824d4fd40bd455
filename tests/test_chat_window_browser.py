"""The chat in headless Chromium: what one chat turn costs each open page, and the window.

A turn (a message and its reply) reaches every open page as two chat events:
the pending reply, then the finished one. Each page fetches the new messages
once (?after=), and the finished reply alone (/item/), unless its own task
call answered it, in which case the response swapped it in and nothing is
fetched. The whole list is never fetched again.
"""

import re
from collections import Counter
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from messages_app.chat import CHAT_WINDOW
from messages_app.models import Message
from projects.models import Project

from .browser import TIMEOUT_MS, BrowserTestCase
from .helpers import PASSWORD

REQUEST = "add a title scene that says Launch Day"
REPLY = "Added scene 1, a title card reading \u201cLaunch Day\u201d, 5 seconds."
SECOND_REQUEST = "make scene 1 4 seconds long"
SECOND_REPLY = "Scene 1 now lasts 4 seconds."

# The chat's partials, by what a page asks for.
CHAT_FETCHES = [
    ("after", re.compile(r"/messages/\?after=\d+$")),
    ("earlier", re.compile(r"/messages/\?before=\d+$")),
    ("list", re.compile(r"/messages/$")),
    ("item", re.compile(r"/messages/\d+/item/$")),
    ("body", re.compile(r"/messages/\d+/$")),
]


class FetchCounter:
    """Counts one page's chat fetches, and its task calls that came back with the reply."""

    def __init__(self, page: Page) -> None:
        self.fetches: Counter[str] = Counter()
        self.answered_by_task = 0
        page.on("request", self.on_request)
        page.on("response", self.on_response)

    def on_request(self, request) -> None:
        if request.method != "GET":
            return
        for kind, pattern in CHAT_FETCHES:
            if pattern.search(request.url):
                self.fetches[kind] += 1
                return
        if re.search(r"/scenes/$", request.url):
            self.fetches["scenes"] += 1

    def on_response(self, response) -> None:
        request = response.request
        if request.method == "POST" and "/task/" in response.url and response.status == 200:
            self.answered_by_task += 1

    def reset(self) -> None:
        self.fetches.clear()
        self.answered_by_task = 0


class ChatPageTestCase(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.url = f"{self.live_server_url}/{self.project.id}/"

    def db_message_ids(self) -> list[int]:
        return list(self.project.messages.order_by("seq").values_list("id", flat=True))

    def shown_ids(self, page: Page) -> list[int]:
        return [
            int(i)
            for i in page.locator("#chat-log article[data-message-id]").evaluate_all(
                "els => els.map(e => e.dataset.messageId)"
            )
        ]

    def send(self, page: Page, text: str) -> None:
        box = page.get_by_label("Message", exact=True)
        box.fill(text)
        box.press("Enter")
        expect(box).to_have_value("")

    def wait_for_reply(self, page: Page, text: str) -> None:
        last = page.locator("#chat-log [data-role=assistant]").last
        expect(last).to_have_attribute("data-status", "success", timeout=TIMEOUT_MS)
        expect(last.locator(".content")).to_have_text(text)


@override_settings(CHATVIDEO_BRAIN="tests.brains.SlowOfflineBrain")
class FetchesPerTurnTests(ChatPageTestCase):
    def test_a_chat_turn_costs_each_open_page_at_most_two_small_fetches(self) -> None:
        sender = self.new_page()
        self.log_in(sender, self.url)
        other = self.new_page()
        other.goto(self.url)
        other.wait_for_load_state("load")
        counters = {"sending tab": FetchCounter(sender), "second tab": FetchCounter(other)}

        for request, reply in [(REQUEST, REPLY), (SECOND_REQUEST, SECOND_REPLY)]:
            for counter in counters.values():
                counter.reset()
            self.send(sender, request)
            for page in (sender, other):
                self.wait_for_reply(page, reply)
                expect(page.locator("#scene-list li[data-scene-id]")).to_have_count(1)
            # Anything still on its way (a late event's fetch) lands within this.
            sender.wait_for_timeout(1000)

            answered = 0
            for name, counter in counters.items():
                fetches = dict(counter.fetches)
                # The new messages once; the finished reply once, from the
                # task call or fetched alone; the whole list never.
                self.assertEqual(counter.fetches["after"], 1, (name, fetches))
                self.assertEqual(
                    counter.fetches["item"] + counter.answered_by_task, 1, (name, fetches)
                )
                self.assertEqual(counter.fetches["list"], 0, (name, fetches))
                self.assertEqual(counter.fetches["body"], 0, (name, fetches))
                self.assertLessEqual(counter.fetches["after"] + counter.fetches["item"], 2)
                # The reply changed a scene: the scene list is fetched once.
                self.assertEqual(counter.fetches["scenes"], 1, (name, fetches))
                answered += counter.answered_by_task
            # One task call ran the reply; the other tab's was told it was taken.
            self.assertEqual(answered, 1)

        for page in (sender, other):
            self.assertEqual(self.shown_ids(page), self.db_message_ids())
            # One Undo button, on the latest change.
            undo = page.locator("#chat-log form[data-undo-for]")
            expect(undo).to_have_count(1)
            expect(undo).to_have_attribute("data-undo-for", str(self.db_message_ids()[-1]))
        self.assertEqual(self.page_errors, [])


class WindowedHistoryTests(ChatPageTestCase):
    def setUp(self) -> None:
        super().setUp()
        # 120 answered messages, older than anything the page will hear of.
        Message.objects.bulk_create(
            Message(
                project=self.project,
                seq=seq,
                role="user" if seq % 2 else "assistant",
                content=f"Old message {seq}",
            )
            for seq in range(1, 121)
        )

    def test_earlier_messages_load_above_and_a_live_message_still_lands_at_the_bottom(
        self,
    ) -> None:
        page = self.new_page()
        self.log_in(page, self.url)
        log = page.locator("#chat-log")
        messages = log.locator("article[data-message-id]")
        earlier = log.get_by_role("button", name="Earlier messages")

        # The newest window, opened at the newest message; the loader is out
        # of sight, so nothing more is loaded.
        expect(messages).to_have_count(CHAT_WINDOW)
        expect(messages.first.locator(".content")).to_have_text("Old message 71")
        expect(messages.last).to_be_in_viewport()
        self.assertLessEqual(
            log.evaluate("el => el.scrollHeight - el.scrollTop - el.clientHeight"), 2
        )
        page.wait_for_timeout(300)
        expect(messages).to_have_count(CHAT_WINDOW)

        # Scrolling to the top loads the 50 before, above, and the reader stays put.
        first_shown = page.locator("#message-" + str(self.message_id(71)))
        log.evaluate("el => { el.scrollTop = 0; }")
        top_before = first_shown.evaluate("el => el.getBoundingClientRect().top")
        expect(messages).to_have_count(2 * CHAT_WINDOW)
        expect(messages.first.locator(".content")).to_have_text("Old message 21")
        top_after = first_shown.evaluate("el => el.getBoundingClientRect().top")
        self.assertAlmostEqual(top_after, top_before, delta=2)

        # The button loads the rest; at the start of the chat there is none.
        earlier.click()
        expect(messages).to_have_count(120)
        expect(earlier).to_have_count(0)
        expect(messages.first.locator(".content")).to_have_text("Old message 1")

        # A live turn lands at the bottom, after all of them, each message once.
        self.send(page, REQUEST)
        self.wait_for_reply(page, REPLY)
        expect(messages).to_have_count(122)
        self.assertEqual(self.shown_ids(page), self.db_message_ids())
        expect(messages.last).to_be_in_viewport()
        self.assertEqual(self.page_errors, [])

    def message_id(self, seq: int) -> int:
        return self.project.messages.get(seq=seq).id


class StalePageTests(ChatPageTestCase):
    """A page that missed messages catches up from one event naming the newest."""

    def chat(self, text: str) -> None:
        call_command("chat", str(self.project.id), text, stdout=StringIO())

    def test_a_stale_page_appends_what_it_missed_and_matches_a_fresh_load(self) -> None:
        self.chat("add a title scene that says One")
        page = self.new_page()
        self.log_in(page, self.url)
        # Made by another process; this page heard nothing of it.
        self.chat("add a bullet list with speed, privacy and price")
        self.chat("make scene 1 3 seconds long")
        newest = self.project.messages.order_by("seq").last()

        page.evaluate(
            "([id, status]) => htmx.trigger(document.getElementById('chat-log'), 'sse:chat',"
            " {data: JSON.stringify({message_id: id, status: status})})",
            [newest.id, newest.status],
        )

        expect(page.locator("#chat-log article[data-message-id]")).to_have_count(6)
        fresh = self.new_page()
        fresh.goto(self.url)
        self.assertEqual(self.shown_ids(page), self.db_message_ids())
        snapshot = (
            "() => [...document.querySelectorAll('#chat-log article')].map(e => e.outerHTML"
            '.replace(/name="(client_key|csrfmiddlewaretoken)" value="[^"]*"/g, \'\')'
            ".replace(/>\\s+</g, '><').replace(/\\s+/g, ' '))"
        )
        self.assertEqual(page.evaluate(snapshot), fresh.evaluate(snapshot))
        self.assertEqual(self.page_errors, [])
