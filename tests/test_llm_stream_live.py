"""A streamed model reply, seen growing on the real event stream of a real daphne.

The model is the scripted OpenAI-compatible server of tests/llm_servers.py,
started in this test process (a thread) before daphne is forked, so daphne's
settings can name its URL. Daphne's reply runner calls it over loopback with
the real openai client; the test reads the project's Server-Sent Events
stream over HTTP, as the page's htmx SSE connection does, and on each
"progress-<id>" event re-fetches the message body, as the page's partial does.
"""

import json
import threading
import time
from html.parser import HTMLParser

import requests
from django.contrib.auth.models import User
from django.test import override_settings

from messages_app.models import Message
from messages_app.reply import PROGRESS_INTERVAL_SECONDS
from projects.models import Project

from .helpers import PASSWORD
from .live import (
    TIMEOUT,
    EventStream,
    LiveServerTestCase,
    login,
    post_message,
)
from .llm_servers import OPENAI_PATH, Pause, ScriptedServer, openai_stream

PARTS = ["Sure", " - adding", " a title", " card", " now."]
REPLY = "".join(PARTS)
# The model pauses before each piece of text for longer than the reply
# runner's write interval, so every piece is written and announced.
PAUSE_SECONDS = max(0.5, 2 * PROGRESS_INTERVAL_SECONDS)


def slow_stream():
    """A streamed answer that writes its text piece by piece, then adds a scene."""
    answer = openai_stream(PARTS, ("add_scene", {"props": {"title": "Hi"}}))
    answer.chunks = [
        item
        for chunk in answer.chunks
        for item in ([Pause(PAUSE_SECONDS)] if any(json.dumps(p) in chunk for p in PARTS) else [])
        + [chunk]
    ]
    return answer


class MessageBody(HTMLParser):
    """The text of a message body partial, and whether it still shows the dots."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.pending = False
        self._in_content = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and "content" in (attrs.get("class") or "").split():
            self._in_content = True
        if attrs.get("role") == "status":
            self.pending = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_content = False

    def handle_data(self, data):
        if self._in_content:
            self.text += data


@override_settings(
    CHATVIDEO_BRAIN="openai",
    OPENAI_API_KEY="test-key",
    CHATVIDEO_MODEL="gpt-test",
    CHATVIDEO_LLM_TIMEOUT_SECONDS=TIMEOUT,
    CHATVIDEO_LLM_MAX_RETRIES=0,
)
class StreamedReplyOnTheEventStreamTests(LiveServerTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        # The model server first, so its URL is known; then daphne is forked
        # (in super().setUpClass(), after the class's override_settings), and
        # its process sees both. Class cleanups run after tearDownClass has
        # stopped daphne, so the server outlives every request to it.
        cls.model_server = cls.enterClassContext(ScriptedServer(OPENAI_PATH))
        cls.enterClassContext(override_settings(OPENAI_BASE_URL=f"{cls.model_server.url}/v1"))
        super().setUpClass()

    def setUp(self) -> None:
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=self.owner, title="Launch video")
        self.base = f"{self.live_server_url}/{self.project.id}"

    def tearDown(self) -> None:
        self.assertEqual(self.model_server.unscripted, 0, "more model requests than scripted")

    def run_task(self, session: requests.Session, message_id: int, result: dict) -> None:
        """POST the task view as the pending partial does (it answers when the reply is done)."""
        try:
            result["response"] = session.post(
                f"{self.base}/messages/{message_id}/task/",
                headers={"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"]},
                timeout=3 * TIMEOUT,
            )
        except Exception as exc:  # reported by the test, not lost in the thread
            result["error"] = exc

    def test_a_streamed_reply_grows_on_the_event_stream(self) -> None:
        session = login(self.live_server_url, "alice")
        self.addCleanup(session.close)
        response = session.get(f"{self.base}/events/", stream=True, timeout=(TIMEOUT, TIMEOUT))
        self.addCleanup(response.close)
        self.assertEqual(response.status_code, 200)
        stream = EventStream(response)
        stream.wait_for("stream-open")
        self.wait_until_daphne_hears_redis()
        self.model_server.script(slow_stream())

        sent = post_message(session, self.base, "add a title that says Hi")
        self.assertEqual(sent.status_code, 200, sent.text[:500])
        reply = Message.objects.get(project=self.project, role=Message.Role.ASSISTANT)
        pending = stream.wait_for("chat")
        self.assertEqual(json.loads(pending["data"]), {"message_id": reply.id, "status": "pending"})

        # The task view answers only when the reply is finished, so it runs
        # in a thread (with a session of its own) while this one reads the stream.
        task_session = requests.Session()
        self.addCleanup(task_session.close)
        task_session.cookies.update(session.cookies)
        result: dict = {}
        task = threading.Thread(target=self.run_task, args=(task_session, reply.id, result))
        task.start()
        self.addCleanup(task.join, 3 * TIMEOUT)

        progress = f"progress-{reply.id}"
        seen: list[str] = []  # the body's text, fetched on each progress event
        dots: list[bool] = []  # whether that body still showed the dots
        deadline = time.monotonic() + 3 * TIMEOUT
        while True:
            event = stream.next_event(deadline)
            if event["event"] == progress:
                self.assertEqual(json.loads(event["data"]), {"message_id": reply.id})
                body = session.get(f"{self.base}/messages/{reply.id}/", timeout=TIMEOUT)
                self.assertEqual(body.status_code, 200)
                shown = MessageBody(body.text)
                seen.append(shown.text)
                dots.append(shown.pending)
            elif event["event"] == "chat":
                self.assertEqual(
                    json.loads(event["data"]), {"message_id": reply.id, "status": "success"}
                )
                break

        task.join(timeout=3 * TIMEOUT)
        self.assertFalse(task.is_alive(), "the task view did not answer")
        self.assertNotIn("error", result)
        self.assertEqual(result["response"].status_code, 200, result["response"].text[:500])
        self.assertIn(f'data-message-id="{reply.id}"', result["response"].text)

        names = [event["event"] for event in stream.seen]
        self.assertGreaterEqual(names.count(progress), 2, names)
        self.assertEqual(names[-1], "chat")
        # What the page showed grew, piece by piece, towards the final reply.
        partial = [text for text in seen if text != REPLY]
        for text in seen:
            self.assertTrue(REPLY.startswith(text), (text, seen))
        self.assertEqual(seen, sorted(seen, key=len), seen)
        self.assertGreaterEqual(len(set(partial)), 2, seen)
        self.assertTrue(all(0 < len(text) < len(REPLY) for text in partial), seen)
        # The dots stay while the text grows.
        self.assertTrue(
            all(shown for text, shown in zip(seen, dots, strict=True) if text != REPLY), dots
        )

        final = session.get(f"{self.base}/messages/{reply.id}/", timeout=TIMEOUT)
        self.assertEqual(
            (MessageBody(final.text).text, MessageBody(final.text).pending), (REPLY, False)
        )
        reply.refresh_from_db()
        self.assertEqual((reply.status, reply.content, reply.tool), ("success", REPLY, "add_scene"))
        self.assertEqual(Message.objects.filter(role=Message.Role.ASSISTANT).count(), 1)
        self.assertEqual(Message.objects.count(), 2)
        self.assertEqual(self.project.scenes.get().props["title"], "Hi")
        self.assertEqual(len(self.model_server.requests), 1)
