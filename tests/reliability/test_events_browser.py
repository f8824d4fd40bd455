"""Events applied to a page in a real browser tell the same story as the database.

The page re-renders from the database on every event, so hearing an event
twice changes nothing, and a page that missed events (stale state) matches a
fresh load once the stream tells it to start over.
"""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page

from projects.models import Project
from tests.browser import BrowserTestCase
from tests.helpers import PASSWORD

SNAPSHOT = """() => ({
  messages: [...document.querySelectorAll('#chat-log [data-message-id]')].map((e) => [
    e.dataset.messageId, e.dataset.role, e.dataset.status,
    e.querySelector('.content').textContent,
  ]),
  scenes: [...document.querySelectorAll('#scene-list li[data-scene-id]')].map((e) => [
    e.dataset.sceneId, e.dataset.durationFrames, e.textContent.replace(/\\s+/g, ' ').trim(),
  ]),
})"""
# Which lists re-render on which event (see templates/projects/project_detail.html).
LISTENERS = {
    "sse:chat": ["chat-log"],
    "sse:scenes": ["scene-list"],
    "sse:stream-reset": ["chat-log", "scene-list"],
}
# Mark what is on the page now, deliver an event as the SSE extension does,
# and wait until the lists that listen to it were replaced by a fresh render.
DELIVER = """([event, ids]) => {
  for (const id of ids) {
    const list = document.getElementById(id);
    for (const child of list.children) child.staleMark = true;
    htmx.trigger(list, event);
  }
}"""
RE_RENDERED = """(ids) => ids.every((id) =>
  [...document.getElementById(id).children].every((child) => !child.staleMark))"""


class EventsInTheBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        self.url = f"{self.live_server_url}/{self.project.id}/"
        self.chat("add a title scene that says One")
        self.chat("add a bullet list with speed, privacy and price")
        self.page = self.new_page()
        self.log_in(self.page, self.url)

    def chat(self, text: str) -> None:
        call_command("chat", str(self.project.id), text, stdout=StringIO())

    def snapshot(self, page: Page) -> dict:
        return page.evaluate(SNAPSHOT)

    def deliver(self, event: str) -> None:
        ids = LISTENERS[event]
        self.page.evaluate(DELIVER, [event, ids])
        self.page.wait_for_function(RE_RENDERED, arg=ids)

    def test_hearing_the_same_events_twice_changes_nothing(self) -> None:
        before = self.snapshot(self.page)
        self.assertEqual(len(before["messages"]), 4)
        self.assertEqual(len(before["scenes"]), 2)

        for event in ["sse:chat", "sse:chat", "sse:scenes", "sse:scenes"]:
            self.deliver(event)

        self.assertEqual(self.snapshot(self.page), before)
        self.assertEqual(self.page_errors, [])

    def test_a_stale_page_matches_a_fresh_load_after_a_stream_reset(self) -> None:
        before = self.snapshot(self.page)
        # Changes this page may not have heard of (made by another process).
        self.chat("delete scene 1")
        self.chat("make scene 1 3 seconds long")

        self.deliver("sse:stream-reset")

        fresh = self.new_page()
        fresh.goto(self.url)
        after = self.snapshot(self.page)
        self.assertEqual(after, self.snapshot(fresh))
        self.assertNotEqual(after, before)
        self.assertEqual([s[1] for s in after["scenes"]], ["90"])
        self.assertEqual(self.page_errors, [])
