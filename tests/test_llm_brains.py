"""The OpenAI and Anthropic brains, against real HTTP servers on 127.0.0.1.

The servers (tests/llm_servers.py) speak each provider's API and answer from a
script, so these tests run the real client libraries over real sockets, and
the real flow: a message is sent, the task view answers it in a worker thread
(hence transaction=True), the tool runs, the same row ends in success or error.
"""

import json
import socket
import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from assistant.llm import answers, repair, retries, streaming, tools
from assistant.orchestrator import BRAINS, load_brain
from messages_app.claim import claim_message
from messages_app.models import FAILED_TEXT, Message
from scenes.models import Scene
from scenes.render import TEMPLATE_LABELS, render_scene_code
from scenes.tools import DURATION_BOUNDS
from tests.helpers import PASSWORD, answer, answer_in_background, run_task, send, stored_events
from tests.llm_servers import (
    ANTHROPIC_PATH,
    OPENAI_PATH,
    Pause,
    Response,
    ScriptedServer,
    anthropic_error,
    anthropic_stream,
    openai_completion,
    openai_error,
    openai_stream,
)

pytestmark = pytest.mark.django_db(transaction=True)

PROVIDERS = ["openai", "anthropic"]
# A refused tool call is sent back to the model this many times in all (repair.py).
ROUNDS = 1 + repair.MAX_REPAIR_ROUNDS

SCENE_CODE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<style>
  html, body { margin: 0; width: 100%; height: 100%; overflow: hidden; }
  body { background: #111827; color: #fff; container-type: size; font-family: sans-serif; }
  h1 { font-size: 12cqh; margin: 40cqh 0 0; text-align: center;
       animation: rise 800ms ease-out 0ms 1 both; }
  @keyframes rise { from { opacity: 0; transform: translateY(5cqh); } to { opacity: 1; } }
</style>
</head>
<body><h1>Launch Day</h1></body>
</html>
"""


class Provider:
    """One provider under test: its scripted server, settings and answer builders."""

    def __init__(self, name: str, server: ScriptedServer) -> None:
        self.name = name
        self.server = server

    def settings(self, settings) -> None:
        settings.CHATVIDEO_BRAIN = self.name
        settings.CHATVIDEO_LLM_TIMEOUT_SECONDS = 5
        settings.CHATVIDEO_LLM_MAX_RETRIES = 3
        if self.name == "openai":
            settings.OPENAI_BASE_URL = f"{self.server.url}/v1"
            settings.OPENAI_API_KEY = "test-key"
            settings.CHATVIDEO_MODEL = "gpt-test"
        else:
            settings.ANTHROPIC_BASE_URL = self.server.url
            settings.ANTHROPIC_API_KEY = "test-key"
            settings.CHATVIDEO_MODEL = "claude-test"

    @property
    def model(self) -> str:
        return "gpt-test" if self.name == "openai" else "claude-test"

    @property
    def usage(self) -> tuple[int, int]:
        return (321, 45) if self.name == "openai" else (654, 78)

    @property
    def key_setting(self) -> str:
        return "OPENAI_API_KEY" if self.name == "openai" else "ANTHROPIC_API_KEY"

    def answer(self, text="", tool=None, **kwargs):
        build = openai_stream if self.name == "openai" else anthropic_stream
        return build(text, tool, **kwargs)

    def error(self, status: int, message: str = "", headers: dict | None = None):
        build = openai_error if self.name == "openai" else anthropic_error
        return build(status, message, headers)

    def script(self, *responses) -> None:
        self.server.script(*responses)

    @property
    def requests(self):
        return self.server.requests

    def sent_key(self, request) -> str:
        """The key as sent: a bearer token (both libraries) or Anthropic's x-api-key."""
        if "x-api-key" in request.headers:
            return request.headers["x-api-key"]
        return request.headers.get("authorization", "").removeprefix("Bearer ")

    def system_prompt(self, request) -> str:
        body = request.json
        if self.name == "openai":
            assert body["messages"][0]["role"] == "system"
            return body["messages"][0]["content"]
        return body["system"]

    def turns(self, request) -> list[dict]:
        body = request.json
        return body["messages"][1:] if self.name == "openai" else body["messages"]

    def tool_names(self, request) -> list[str]:
        tools = request.json["tools"]
        if self.name == "openai":
            return [t["function"]["name"] for t in tools]
        return [t["name"] for t in tools]


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """Retries without a Retry-After header wait milliseconds, not seconds."""
    monkeypatch.setattr(retries, "RETRY_BASE_SECONDS", 0.001)


@pytest.fixture(params=PROVIDERS)
def provider(request, settings):
    path = OPENAI_PATH if request.param == "openai" else ANTHROPIC_PATH
    with ScriptedServer(path) as server:
        chosen = Provider(request.param, server)
        chosen.settings(settings)
        yield chosen
        assert server.unscripted == 0, "the brain sent more requests than were scripted"


@pytest.fixture
def openai_provider(settings):
    with ScriptedServer(OPENAI_PATH) as server:
        chosen = Provider("openai", server)
        chosen.settings(settings)
        yield chosen


def make_scenes(project, *titles, fps_seconds=5) -> list[Scene]:
    """Template scenes made by the offline tools, as earlier messages would have."""
    from scenes.tools import add_scene

    return [
        add_scene(project, props={"title": title}, duration_frames=fps_seconds * project.fps)
        for title in titles
    ]


# --- Each tool through each provider -------------------------------------------


def test_add_with_code_saves_that_code_and_records_the_costs(provider, owner_client, project):
    provider.script(
        provider.answer(
            ["Adding ", "a launch title."],
            (
                "add_scene",
                {"props": {"title": "Launch Day"}, "duration_seconds": 4, "code": SCENE_CODE},
            ),
        )
    )

    reply = answer(owner_client, project, "add an animated title that says Launch Day")

    assert reply.status == "success", reply.error
    assert reply.content == "Adding a launch title."
    scene = project.scenes.get()
    assert scene.code == SCENE_CODE
    assert (scene.order, scene.duration_frames) == (1, 120)
    assert scene.props["title"] == "Launch Day"
    assert (reply.tool, reply.scene_id) == ("add_scene", scene.id)
    assert (reply.brain, reply.model) == (provider.name, provider.model)
    assert (reply.input_tokens, reply.output_tokens) == provider.usage
    assert reply.duration_ms is not None and reply.duration_ms >= 0
    assert Message.objects.count() == 2


def test_the_request_carries_model_key_tools_storyboard_and_history(
    provider, owner_client, project
):
    make_scenes(project, "Launch Day", "Thanks")
    provider.script(provider.answer("Which colour would you like?"))

    reply = answer(owner_client, project, "make it nicer")

    assert reply.status == "success", reply.error
    assert (reply.content, reply.tool) == ("Which colour would you like?", "")
    (request,) = provider.requests
    body = request.json
    assert body["model"] == provider.model
    assert body["stream"] is True
    assert provider.sent_key(request) == "test-key"
    assert provider.tool_names(request) == [
        "add_scene",
        "edit_scene",
        "edit_scenes",
        "delete_scene",
        "trim_scene",
        "set_video_length",
        "move_scene",
        "duplicate_scene",
        "undo",
    ]
    prompt = provider.system_prompt(request)
    assert '1. "Title card: Launch Day", 5 s (150 frames), template title' in prompt
    assert '2. "Title card: Thanks", 5 s (150 frames)' in prompt
    assert "<!doctype html>" in prompt and "cqw" in prompt
    assert provider.turns(request)[-1] == {"role": "user", "content": "make it nicer"}


def test_earlier_messages_are_sent_as_turns(provider, owner_client, project):
    provider.script(
        provider.answer("Hello! What should the video be about?"),
        provider.answer("Noted."),
    )
    answer(owner_client, project, "hi")

    answer(owner_client, project, "a product launch")

    turns = provider.turns(provider.requests[1])
    assert turns == [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "Hello! What should the video be about?"},
        {"role": "user", "content": "a product launch"},
    ]


def test_add_from_a_template_without_text_gets_a_reply_from_the_tool_call(
    provider, owner_client, project
):
    provider.script(
        provider.answer(
            tool=(
                "add_scene",
                {
                    "props": {"template": "bullets", "title": "Why", "items": ["Fast", "Safe"]},
                    "duration_frames": 90,
                },
            )
        )
    )

    reply = answer(owner_client, project, "add a bullet list")

    assert reply.status == "success", reply.error
    assert reply.content == "Added scene 1, a bullet list reading \u201cWhy\u201d, 3 seconds."
    scene = project.scenes.get()
    assert (scene.props["template"], scene.props["items"], scene.duration_frames) == (
        "bullets",
        ["Fast", "Safe"],
        90,
    )
    assert "Fast" in scene.code


def test_edit_by_scene_number(provider, owner_client, project):
    first, second = make_scenes(project, "One", "Two")
    provider.script(
        provider.answer(
            tool=("edit_scene", {"scene_number": 2, "props": {"title": "Deux", "color": "#FFF"}})
        )
    )

    reply = answer(owner_client, project, "change the text of scene 2 to Deux, in white")

    assert reply.status == "success", reply.error
    assert reply.content == "Updated scene 2."
    second.refresh_from_db()
    assert (second.props["title"], second.props["color"]) == ("Deux", "#ffffff")
    assert "Deux" in second.code
    first.refresh_from_db()
    assert first.props["title"] == "One"
    assert (reply.tool, reply.scene_id) == ("edit_scene", second.id)


def test_edit_with_code_replaces_the_code(provider, owner_client, project):
    (scene,) = make_scenes(project, "One")
    provider.script(
        provider.answer("Reworked.", ("edit_scene", {"scene_number": 1, "code": SCENE_CODE}))
    )

    reply = answer(owner_client, project, "make scene 1 rise in")

    assert reply.status == "success", reply.error
    scene.refresh_from_db()
    assert scene.code == SCENE_CODE
    assert scene.props["title"] == "One"


def test_delete_by_scene_number_renumbers(provider, owner_client, project):
    make_scenes(project, "One", "Two", "Three")
    provider.script(provider.answer(tool=("delete_scene", {"scene_number": 2})))

    reply = answer(owner_client, project, "drop the middle one")

    assert reply.status == "success", reply.error
    assert reply.content == "Deleted scene 2, \u201cTitle card: Two\u201d."
    assert list(project.scenes.values_list("order", "props__title")) == [(1, "One"), (2, "Three")]


def test_trim_turns_seconds_into_frames(provider, owner_client, project):
    (scene,) = make_scenes(project, "One")
    provider.script(
        provider.answer(tool=("trim_scene", {"scene_number": 1, "duration_seconds": 2.5}))
    )

    reply = answer(owner_client, project, "make it 2.5 seconds")

    assert reply.status == "success", reply.error
    assert reply.content == "Scene 1 now lasts 2.5 seconds (75 frames)."
    scene.refresh_from_db()
    assert scene.duration_frames == 75


def test_the_storyboard_tells_own_code_by_the_mark_not_by_drawing_again(
    provider, owner_client, project
):
    (template_scene,) = make_scenes(project, "Drawn")
    # The templates changed since this scene was drawn: it is still a template scene.
    Scene.objects.filter(id=template_scene.id).update(code="<!doctype html><p>older</p>")
    provider.script(provider.answer("Fine."))

    answer(owner_client, project, "how is it?")

    prompt = provider.system_prompt(provider.requests[0])
    assert '1. "Title card: Drawn", 5 s (150 frames), template title' in prompt
    assert "its own code" not in prompt


def test_editing_props_without_code_redraws_the_scene_from_its_template(
    provider, owner_client, project
):
    provider.script(
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}, "code": SCENE_CODE})),
        provider.answer(tool=("edit_scene", {"scene_number": 1, "props": {"title": "Hello"}})),
    )
    answer(owner_client, project, "add my scene")

    reply = answer(owner_client, project, "call it Hello")

    assert reply.status == "success", reply.error
    scene = project.scenes.get()
    assert (scene.props["title"], scene.custom_code) == ("Hello", False)
    assert scene.code == render_scene_code(scene.props, scene.duration_frames, project.fps)


def test_trim_keeps_code_the_model_wrote(provider, owner_client, project):
    provider.script(
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}, "code": SCENE_CODE})),
        provider.answer(tool=("trim_scene", {"scene_number": 1, "duration_frames": 60})),
    )
    answer(owner_client, project, "add my scene")

    reply = answer(owner_client, project, "make it 2 seconds")

    assert reply.status == "success", reply.error
    scene = project.scenes.get()
    assert (scene.duration_frames, scene.code) == (60, SCENE_CODE)
    assert "its own code" in provider.system_prompt(provider.requests[1])
    assert SCENE_CODE.strip() in provider.system_prompt(provider.requests[1])


def test_undo_says_what_it_undid_as_the_undo_button_would(provider, owner_client, project):
    provider.script(
        provider.answer(tool=("add_scene", {"props": {"title": "Oops"}})),
        provider.answer(tool=("undo", {})),
    )
    answer(owner_client, project, "add a scene saying Oops")

    reply = answer(owner_client, project, "undo that")

    assert (reply.status, reply.tool, reply.content) == (
        "success",
        "undo",
        "Undid: \u201cAdded scene 1, a title card reading \u2018Oops\u2019, 5 seconds.\u201d",
    ), reply.error
    assert not project.scenes.exists()


def test_undo_keeps_the_models_own_words(provider, owner_client, project):
    provider.script(
        provider.answer(tool=("add_scene", {"props": {"title": "Oops"}})),
        provider.answer("Gone again.", ("undo", {})),
        provider.answer(tool=("undo", {})),
    )
    answer(owner_client, project, "add a scene saying Oops")

    assert answer(owner_client, project, "undo that").content == "Gone again."
    redo = answer(owner_client, project, "bring it back")

    assert redo.content.startswith("Redid: \u201cAdded scene 1")
    assert project.scenes.get().props["title"] == "Oops"


def test_undo_with_nothing_to_undo_is_refused_whatever_the_model_says(
    provider, owner_client, project
):
    make_scenes(project, "Made without the chat")  # no change in the history
    provider.script(provider.answer("Undoing it now.", ("undo", {})))

    reply = answer(owner_client, project, "undo that")

    assert (reply.status, reply.tool, reply.content) == (
        "success",
        "",
        "There is nothing to undo yet.",
    ), reply.error
    assert project.scenes.count() == 1


# --- Streaming ------------------------------------------------------------------


def test_a_streamed_reply_grows_in_the_same_row(provider, owner_client, project, settings):
    parts = ["Sure", " - adding", " a title", " card", " now."]
    streamed = provider.answer(parts, ("add_scene", {"props": {"title": "Hi"}}))
    # A pause before each piece of text, longer than the progress interval.
    streamed.chunks = [
        item
        for chunk in streamed.chunks
        for item in ([Pause(0.4)] if any(json.dumps(p) in chunk for p in parts) else []) + [chunk]
    ]
    provider.script(streamed)
    send(owner_client, project, "add a title that says Hi")
    pending = Message.objects.get(role="assistant")
    seen: list[str] = []

    worker = answer_in_background(pending)
    deadline = time.monotonic() + 15
    while worker.is_alive() and time.monotonic() < deadline:
        row = Message.objects.get(id=pending.id)
        if row.status == "pending" and row.content not in seen:
            seen.append(row.content)
        time.sleep(0.05)
    worker.join(timeout=15)

    reply = Message.objects.get(id=pending.id)
    assert reply.status == "success", reply.error
    assert reply.content == "Sure - adding a title card now."
    partial = [text for text in seen if text.startswith("Sure") and text != reply.content]
    assert partial, f"no partial text was seen while streaming: {seen}"
    assert Message.objects.filter(role="assistant").count() == 1
    # Progress is published but not stored (tests/reliability/test_event_pruning.py).
    progress = [name for name, _ in stored_events(project) if name == f"progress-{pending.id}"]
    assert progress == []


def test_an_openai_server_that_does_not_stream_is_understood(
    openai_provider, owner_client, project
):
    openai_provider.script(
        openai_completion("Added.", ("add_scene", {"props": {"title": "Whole"}}), usage=(11, 22))
    )

    reply = answer(owner_client, project, "add a title that says Whole")

    assert reply.status == "success", reply.error
    assert reply.content == "Added."
    assert project.scenes.get().props["title"] == "Whole"
    assert (reply.input_tokens, reply.output_tokens) == (11, 22)


# --- Provider failures ------------------------------------------------------------


def test_a_refused_key_says_which_setting_to_check(provider, owner_client, project):
    provider.script(provider.error(401, "Incorrect API key provided"))

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == f"The API key was refused (check {provider.key_setting})."
    assert reply.content == FAILED_TEXT
    assert reply.brain == provider.name
    assert len(provider.requests) == 1
    assert Message.objects.count() == 2


def test_a_rate_limit_then_success_succeeds(provider, owner_client, project):
    provider.script(
        provider.error(429, "slow down", {"Retry-After": "0"}),
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}})),
    )

    reply = answer(owner_client, project, "add a title that says Hi")

    assert reply.status == "success", reply.error
    assert len(provider.requests) == 2
    assert project.scenes.count() == 1


def test_a_run_waiting_to_retry_keeps_its_claim(
    provider, owner_client, project, settings, monkeypatch
):
    """A backoff longer than the lease: the claim is renewed while it waits, so
    no second runner (and no second paid call) takes the reply over."""
    settings.CHATVIDEO_CLAIM_LEASE_SECONDS = 1
    monkeypatch.setattr(retries, "KEEP_ALIVE_SECONDS", 0.2)
    provider.script(
        provider.error(429, "slow down", {"Retry-After": "2.5"}),
        provider.answer(tool=("add_scene", {"props": {"title": "Hi"}})),
    )
    send(owner_client, project, "add a title that says Hi")
    pending = Message.objects.get(role="assistant")
    taken_over = []

    worker = answer_in_background(pending)
    try:
        deadline = time.monotonic() + 10
        while not provider.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(1.6)  # well past the lease, still inside the backoff
        assert len(provider.requests) == 1
        row = Message.objects.get(id=pending.id)
        assert (timezone.now() - row.claimed_at).total_seconds() < 1
        taken_over.append(claim_message(pending.id))
    finally:
        worker.join(timeout=15)

    assert taken_over == [None]
    reply = Message.objects.get(id=pending.id)
    assert reply.status == "success", reply.error
    assert len(provider.requests) == 2


class FakeClock:
    """time as retries.wait sees it: sleeping moves the clock, and nothing else does."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_waiting_renews_the_claim_at_least_every_ten_seconds(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(retries, "time", clock)
    renewed_at: list[float] = []

    retries.wait(25, lambda: renewed_at.append(clock.now))

    assert clock.sleeps == [10, 10, 5]
    # The attempt that follows the wait renews it at 25 (call_with_retries).
    assert renewed_at == [10, 20]


def test_rate_limited_every_time_gives_up_after_the_retries(provider, owner_client, project):
    provider.script(*[provider.error(429, "slow down", {"Retry-After": "0"})] * 4)

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == "Rate limited by the provider; retried 3 times. Try again in a minute."
    assert len(provider.requests) == 1 + 3


def test_server_errors_are_retried_with_backoff_then_reported(
    provider, owner_client, project, settings
):
    settings.CHATVIDEO_LLM_MAX_RETRIES = 2
    provider.script(*[provider.error(503)] * 3)

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == "The provider had an error (HTTP 503); retried 2 times."
    assert len(provider.requests) == 3


def test_a_retry_after_longer_than_we_wait_is_not_retried(provider, owner_client, project):
    provider.script(provider.error(429, "come back later", {"Retry-After": "3600"}))

    reply = answer(owner_client, project, "add a title")

    assert reply.error == "Rate limited by the provider. Try again in a minute."
    assert len(provider.requests) == 1


def test_a_model_that_does_not_answer_in_time(provider, owner_client, project, settings):
    settings.CHATVIDEO_LLM_TIMEOUT_SECONDS = 1
    settings.CHATVIDEO_LLM_MAX_RETRIES = 0
    provider.script(Response(hang=5))

    started = time.monotonic()
    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == "The model did not answer in 1 s."
    assert time.monotonic() - started < 4
    assert len(provider.requests) == 1


def test_a_stream_that_stalls_halfway_times_out(provider, owner_client, project, settings):
    settings.CHATVIDEO_LLM_TIMEOUT_SECONDS = 1
    settings.CHATVIDEO_LLM_MAX_RETRIES = 0
    stalled = provider.answer(["Adding", " a title"])
    stalled.chunks.insert(3, Pause(4))  # a few events, then silence

    provider.script(stalled)
    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == "The model did not answer in 1 s."


def test_a_refused_request_shows_the_providers_reason(provider, owner_client, project):
    provider.script(provider.error(400, "This model's maximum context length is 8192 tokens."))

    reply = answer(owner_client, project, "add a title")

    assert reply.error == (
        "The provider refused the request (HTTP 400): "
        "This model's maximum context length is 8192 tokens."
    )
    assert len(provider.requests) == 1


def test_an_unknown_model_names_the_settings_to_check(provider, owner_client, project):
    provider.script(provider.error(404, "model not found"))

    reply = answer(owner_client, project, "add a title")

    assert reply.error.startswith(
        f"The model server answered 404 Not Found: check CHATVIDEO_MODEL ({provider.model})"
    )


def test_an_unreachable_server(provider, owner_client, project, settings):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    if provider.name == "openai":
        settings.OPENAI_BASE_URL = f"{url}/v1"
    else:
        settings.ANTHROPIC_BASE_URL = url

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    expected = f"{url}/v1" if provider.name == "openai" else url
    assert reply.error == f"Could not reach the model server at {expected}."


def test_no_api_key_is_caught_before_any_request(provider, owner_client, project, settings):
    if provider.name == "openai":
        settings.OPENAI_API_KEY = ""
        settings.OPENAI_BASE_URL = "https://api.openai.com/v1"  # never contacted
    else:
        settings.ANTHROPIC_API_KEY = ""

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == f"No API key: set {provider.key_setting}."
    assert provider.requests == []


def test_a_local_openai_server_needs_no_key(openai_provider, owner_client, project, settings):
    settings.OPENAI_API_KEY = ""
    openai_provider.script(openai_stream("Hello."))

    reply = answer(owner_client, project, "hello")

    assert (reply.status, reply.content) == ("success", "Hello.")


def test_an_error_event_in_the_middle_of_a_stream_is_retried(settings, owner_client, project):
    with ScriptedServer(ANTHROPIC_PATH) as server:
        Provider("anthropic", server).settings(settings)
        server.script(
            anthropic_stream(
                error_after_start={"type": "overloaded_error", "message": "Overloaded"}
            ),
            anthropic_stream("Fine now."),
        )

        reply = answer(owner_client, project, "hello")

    assert (reply.status, reply.content) == ("success", "Fine now."), reply.error
    assert len(server.requests) == 2


# --- What the model gets wrong -------------------------------------------------------


def test_tool_arguments_that_are_not_json(provider, owner_client, project):
    provider.script(*[provider.answer(tool=("add_scene", '{"props": {"title": "Hi"'))] * ROUNDS)

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == "The model returned tool arguments that are not valid JSON."
    assert len(provider.requests) == ROUNDS
    assert not project.scenes.exists()
    # The unusable answer still cost tokens, and they are recorded.
    assert (reply.input_tokens, reply.output_tokens) == tuple(n * ROUNDS for n in provider.usage)
    assert reply.model


def test_code_that_fails_the_check_saves_nothing(provider, owner_client, project):
    evil = SCENE_CODE.replace(
        "</head>", '<script src="https://evil.example/x.js"></script>\n</head>'
    )
    provider.script(
        *[provider.answer(tool=("add_scene", {"props": {"title": "Hi"}, "code": evil}))] * ROUNDS
    )

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    # The reason tells the model what to do instead.
    assert reply.error == (
        "The scene code was not saved: it has a <script>; scenes run no script: "
        "animate with CSS @keyframes instead (the player seeks them)."
    )
    assert not Scene.objects.exists()
    assert len(provider.requests) == ROUNDS


def test_a_scene_number_that_does_not_exist(provider, owner_client, project):
    make_scenes(project, "One")
    provider.script(*[provider.answer(tool=("delete_scene", {"scene_number": 4}))] * ROUNDS)

    reply = answer(owner_client, project, "delete scene 4")

    assert reply.status == "error"
    assert reply.error == "The model referred to scene 4, but this project has 1 scene."
    assert project.scenes.count() == 1


@pytest.mark.parametrize(
    "arguments",
    [
        '{"scene_number": 1, "duration_seconds": 3600}',
        '{"scene_number": 1, "duration_frames": 0}',
        # Too big to count (once an OverflowError, "cannot convert float infinity").
        '{"scene_number": 1, "duration_seconds": 1e308}',
        '{"scene_number": 1, "duration_seconds": 1e400}',
        '{"scene_number": 1, "duration_frames": 1' + "0" * 400 + "}",
        '{"scene_number": 1, "duration_seconds": "' + "9" * 400 + '"}',
    ],
    ids=["an hour", "no frames", "1e308 s", "1e400 s", "400-digit frames", "400 nines as text"],
)
def test_a_duration_out_of_bounds_is_refused_with_the_bounds(
    provider, owner_client, project, arguments
):
    make_scenes(project, "One")
    provider.script(*[provider.answer(tool=("trim_scene", arguments))] * ROUNDS)

    reply = answer(owner_client, project, "make it an hour")

    assert (reply.status, reply.error) == ("error", DURATION_BOUNDS)
    assert DURATION_BOUNDS == "A scene lasts from 1 frame to 10 minutes."
    assert project.scenes.get().duration_frames == 150


def test_a_new_scene_out_of_bounds_is_refused_with_the_bounds(provider, owner_client, project):
    too_long = {"props": {"title": "Hi"}, "duration_seconds": 1e308}
    provider.script(*[provider.answer(tool=("add_scene", too_long))] * ROUNDS)

    reply = answer(owner_client, project, "add a very long title")

    assert (reply.status, reply.error) == ("error", DURATION_BOUNDS)
    assert not project.scenes.exists()


def test_an_answer_cut_off_at_the_output_limit(provider, owner_client, project):
    stop = {"finish": "length"} if provider.name == "openai" else {"stop_reason": "max_tokens"}
    provider.script(provider.answer(tool=("add_scene", '{"props": {"title": "H'), **stop))

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error.startswith("The model's answer was cut off at its output limit")


def test_long_tool_arguments_show_progress_while_they_stream():
    shown = []
    progress = streaming.Progress(shown.append)

    progress.add_text("Writing a scene.")
    for _ in range(3):
        progress.add_arguments("x" * 150)

    assert shown == [
        "Writing a scene.",
        "Writing a scene.\n\nWriting the change\u2026 300 characters so far.",
        "Writing a scene.\n\nWriting the change\u2026 450 characters so far.",
    ]
    assert progress.text == "Writing a scene."


# --- Retry ---------------------------------------------------------------------------


def test_retry_after_an_error_answers_the_same_row(provider, owner_client, project, settings):
    settings.CHATVIDEO_LLM_MAX_RETRIES = 0
    provider.script(provider.error(500))
    reply = answer(owner_client, project, "add a title that says Again")
    assert reply.status == "error"
    assert reply.error == "The provider had an error (HTTP 500)."
    rows = Message.objects.count()

    response = owner_client.post(
        f"/{project.id}/messages/{reply.id}/retry/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    provider.script(provider.answer("Done.", ("add_scene", {"props": {"title": "Again"}})))
    again = Message.objects.get(id=reply.id)
    assert again.status == "pending"
    assert run_task(owner_client, again).status_code == 200

    again.refresh_from_db()
    assert (again.id, again.status, again.content, again.error) == (
        reply.id,
        "success",
        "Done.",
        "",
    )
    assert Message.objects.count() == rows
    assert project.scenes.get().props["title"] == "Again"
    assert len(provider.requests) == 2


# --- Registration, prompt and admin -----------------------------------------------------


def test_the_brains_are_registered_by_name():
    from assistant.llm.anthropic import AnthropicBrain
    from assistant.llm.openai import OpenAIBrain

    assert set(BRAINS) >= {"openai", "anthropic"}
    assert isinstance(load_brain("openai"), OpenAIBrain)
    assert isinstance(load_brain("anthropic"), AnthropicBrain)


def test_every_template_is_explained_to_the_model():
    assert set(tools.TEMPLATE_HELP) == set(TEMPLATE_LABELS)


def test_props_from_the_model_are_read_as_the_offline_brain_reads_them():
    props = answers.clean_props(
        {
            "template": "Bullet Points",
            "background": "#ABC",
            "color": " #FFFFFF ",
            "speed": "1.5",
            "font": "Serif",
            "size": 12,
        }
    )

    assert props == {
        "template": "bullets",
        "background": "#aabbcc",
        "color": "#ffffff",
        "speed": 1.5,
        "font": "serif",
    }
    assert answers.clean_props({"template": "Sandwich"}) == {"template": "sandwich"}


def test_the_admin_lists_brain_model_and_tokens(provider, owner_client, project, client):
    provider.script(provider.answer("Hello there."))
    answer(owner_client, project, "hello")
    User.objects.create_superuser("root", "root@example.com", PASSWORD)
    client.login(username="root", password=PASSWORD)

    response = client.get("/admin/messages_app/message/")

    assert response.status_code == 200
    html = response.content.decode()
    assert provider.model in html
    assert str(provider.usage[0]) in html
