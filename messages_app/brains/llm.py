"""What the model brains share: tools, prompt, turns, retries, and the Decision.

The OpenAI and Anthropic brains differ only in how they talk to their API.
Everything the model sees (the tool schemas, the system prompt with the
storyboard, the conversation) and everything done with its answer (tool call
-> Decision, provider failure -> BrainError) is defined once, here.

Scenes are named by NUMBER in the tool arguments, as the user sees them; they
are turned into scene ids here. Durations may be given in seconds or frames.
Anything the model gets wrong becomes a BrainError with a sentence a person
can read (a duration out of the tools' bounds too: scenes.tools.duration_problem);
the tools then check what they always check (durations, props, and scene code
through scenes.check).
"""

import json
import logging
import math
import random
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx2
from django.conf import settings

from messages_app.models import Message
from messages_app.orchestrator import BrainContext, BrainError, Decision, Usage, decide_undo
from scenes.check import MAX_CODE_CHARS
from scenes.models import Scene
from scenes.render import (
    DEFAULT_PROPS,
    FONTS,
    MAX_SPEED,
    MIN_SPEED,
    TEMPLATE_LABELS,
    describe_duration,
    short_duration,
)
from scenes.tools import duration_problem
from scenes.values import hex_colour, shorten, template_key

from .vocabulary import TEMPLATE_BY_WORD

logger = logging.getLogger("chatvideo.llm")

DEFAULT_DURATION_SECONDS = 5
# Backoff between retries of a 429 or 5xx: base * 2**n seconds, at most
# MAX_RETRY_SECONDS, less up to a quarter at random. A Retry-After header is
# followed when it asks for at most MAX_RETRY_AFTER_SECONDS; a longer wait is
# not retried (the reply would outlive its claim), the user is told instead.
RETRY_BASE_SECONDS = 0.5
MAX_RETRY_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 30.0
# While it waits (a backoff), a brain renews its claim at least this often, so
# no other runner takes the reply over.
KEEP_ALIVE_SECONDS = 10.0
# How much model-written scene code is shown back to the model in the prompt.
CODE_IN_PROMPT_CHARS = 30_000
CODE_IN_PROMPT_TOTAL_CHARS = 120_000
# While the model writes tool arguments (scene code can take a while), the
# pending message says so once they pass this size.
SHOW_ARGUMENT_PROGRESS_CHARS = 200


# --- Tools -----------------------------------------------------------------------

# What each template shows, for the model (the keys must be TEMPLATE_LABELS').
TEMPLATE_HELP = {
    "title": "title card: title big, subtitle under an accent rule",
    "lower_third": "name strap at the bottom left: title = name, subtitle = role",
    "bullets": "bullet list: title = heading, items = the points, one after another",
    "quote": "quote: title = the quote text, subtitle = the attribution",
    "counter": (
        'big number: title = the number ("1,000,000", "42%", "$4.5M"), rolls up '
        "digit by digit; subtitle = caption"
    ),
    "reveal": "logo reveal: an accent mark, then title = the brand name; subtitle = tagline",
    "split": (
        "comparison: title = left heading, subtitle = right heading; items alternate "
        "left, right, left, right (each row pairs items[0] with items[1], ...)"
    ),
    "cta": "call to action: title = the call, subtitle = a URL or short text in a pill",
}

PROPS_SCHEMA = {
    "type": "object",
    "description": (
        "The scene's look. A template scene is drawn from these; a scene with `code` "
        "keeps them too (the title names it in the storyboard)."
    ),
    "properties": {
        "template": {
            "type": "string",
            "enum": list(TEMPLATE_LABELS),
            "description": "; ".join(f"{key} = {text}" for key, text in TEMPLATE_HELP.items()),
        },
        "title": {"type": "string", "description": "The main text."},
        "subtitle": {"type": "string", "description": "Secondary text (may be empty)."},
        "items": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Points of a bullet list, or cells of a comparison.",
        },
        "background": {"type": "string", "description": "Background colour, #rrggbb."},
        "color": {"type": "string", "description": "Text colour, #rrggbb."},
        "accent": {"type": "string", "description": "Accent colour, #rrggbb."},
        "font": {"type": "string", "enum": list(FONTS)},
        "speed": {
            "type": "number",
            "minimum": MIN_SPEED,
            "maximum": MAX_SPEED,
            "description": "Animation speed, 1 = normal.",
        },
    },
    "additionalProperties": False,
}

SCENE_NUMBER = {
    "type": "integer",
    "minimum": 1,
    "description": "The scene's number in the storyboard (1 = first).",
}
DURATION_SECONDS = {"type": "number", "description": "How long the scene lasts, in seconds."}
DURATION_FRAMES = {
    "type": "integer",
    "description": "How long the scene lasts, in frames (instead of duration_seconds).",
}
CODE = {
    "type": "string",
    "description": (
        "Optional: the scene as one complete, self-contained HTML document written by "
        "you (see the scene code rules). Leave it out to draw the scene from a template."
    ),
}


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict


TOOL_SPECS = [
    ToolSpec(
        "add_scene",
        "Add a new scene at the end of the video.",
        {
            "type": "object",
            "properties": {
                "props": PROPS_SCHEMA,
                "duration_seconds": DURATION_SECONDS,
                "duration_frames": DURATION_FRAMES,
                "code": CODE,
            },
            "required": ["props"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "edit_scene",
        "Change a scene's text, colours, template or code. Only the props given change. "
        "Without `code` the scene is drawn from its template with the new props, replacing "
        "any code you wrote for it; send `code` to keep a look of your own.",
        {
            "type": "object",
            "properties": {"scene_number": SCENE_NUMBER, "props": PROPS_SCHEMA, "code": CODE},
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "delete_scene",
        "Delete a scene; the scenes after it move up by one.",
        {
            "type": "object",
            "properties": {"scene_number": SCENE_NUMBER},
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "trim_scene",
        "Change how long a scene lasts. For a scene with your own code, send `code` "
        "again with its timings fitted to the new duration.",
        {
            "type": "object",
            "properties": {
                "scene_number": SCENE_NUMBER,
                "duration_seconds": DURATION_SECONDS,
                "duration_frames": DURATION_FRAMES,
                "code": CODE,
            },
            "required": ["scene_number"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        "undo",
        "Undo the latest change to the scenes (an undo of an undo redoes it).",
        {"type": "object", "properties": {}, "additionalProperties": False},
    ),
]
TOOL_NAMES = [spec.name for spec in TOOL_SPECS]


# --- Prompt ----------------------------------------------------------------------

SYSTEM_PROMPT = """\
You are the assistant of chatvideo, where people make short motion-graphics \
videos by chatting. A video is a list of scenes played one after another. You \
change the scenes with the tools: add_scene, edit_scene, delete_scene, \
trim_scene and undo.

How to answer:
- Make at most ONE tool call per message. If the request needs several \
changes, make the first and say what you will do next.
- Refer to scenes by their number in the storyboard below.
- If the request is unclear, or asks for something the tools cannot do, ask \
or explain in one or two sentences and call no tool.
- Keep your text short (one or two sentences): it is shown in the chat. Never \
put scene code in your text; code goes in the tool call only.
- A template scene (props only) is usually enough. Write your own `code` when \
the user asks for something the templates cannot show.

Templates (props.template):
{templates}
Fonts (props.font): {fonts}. Colours are #rrggbb.

Scene code rules (for `code`): the player shows each scene in a sandboxed \
iframe and drives time itself: on every frame it pauses all of the document's \
animations (document.getAnimations()) and seeks them to the scene time. So:
- Write ONE complete, self-contained HTML document: start with <!doctype html>, \
then <html>, <head> with <meta charset="utf-8"> and one <style>, and <body>.
- Animate with CSS @keyframes, each animation with an explicit duration \
and delay in ms, a finite iteration count and animation-fill-mode both, all \
finished by the end of the scene ({scene_hint}). No infinite animations, no \
transitions triggered by hover, no SVG <animate>.
- CSS only: a scene runs no script. No <script>, no event handler attributes \
(onload=, onclick=...), no javascript: URLs; code with any of them is refused.
- No network: no external URLs, @import, <link>, web fonts or remote images. \
Use system fonts, inline SVG, CSS gradients, or data: URLs.
- Fill the viewport at any size: html, body {{ margin: 0; width: 100%; height: \
100%; overflow: hidden }}, body {{ container-type: size }}, and size everything \
in cqw/cqh (or vw/vh), never in px, so the scene looks the same at {width}x{height} \
and in a small preview.
- At most {max_code:,} characters.

Project: "{project}", {width}x{height} pixels, {fps} frames per second.

Storyboard:
{storyboard}
"""


def system_prompt(context: BrainContext) -> str:
    project = context.project
    return SYSTEM_PROMPT.format(
        templates="\n".join(f"- {key}: {text}" for key, text in TEMPLATE_HELP.items()),
        fonts=", ".join(FONTS),
        scene_hint="a 5 second scene lasts 5000 ms",
        max_code=MAX_CODE_CHARS,
        project=project.title,
        width=project.width,
        height=project.height,
        fps=project.fps,
        storyboard=storyboard(context.scenes, project.fps),
    )


def storyboard(scenes: list[Scene], fps: int) -> str:
    """The scenes as the model sees them: number, name, duration, template, props."""
    if not scenes:
        return "(no scenes yet)"
    lines, code_budget = [], CODE_IN_PROMPT_TOTAL_CHARS
    for number, scene in enumerate(scenes, start=1):
        props = {**DEFAULT_PROPS, **scene.props}
        template = props.get("template", "")
        head = (
            f'{number}. "{scene.name}", {short_duration(scene.duration_frames, fps)} '
            f"({scene.duration_frames} frames)"
        )
        shown = {k: v for k, v in props.items() if k != "template"}
        if not scene.custom_code:
            lines.append(
                f"{head}, template {template} ({TEMPLATE_LABELS.get(template, template)}); "
                f"props: {json.dumps(shown, ensure_ascii=False)}"
            )
            continue
        lines.append(
            f"{head}, its own code (written by the assistant); "
            f"props: {json.dumps(props, ensure_ascii=False)}"
        )
        if len(scene.code) <= min(CODE_IN_PROMPT_CHARS, code_budget):
            code_budget -= len(scene.code)
            lines.append(f"   Code of scene {number}:\n```html\n{scene.code}\n```")
        else:
            lines.append(
                f"   (The code of scene {number} is too long to show here; to change it, "
                "write it anew.)"
            )
    return "\n".join(lines)


def conversation(context: BrainContext) -> list[dict]:
    """Earlier messages and the new one as alternating turns, starting with the user."""
    turns: list[dict] = []
    for message in context.history:
        text = turn_text(message)
        if not text:
            continue
        role = "user" if message.role == Message.Role.USER else "assistant"
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"] += "\n\n" + text
        elif turns or role == "user":
            turns.append({"role": role, "content": text})
    if turns and turns[-1]["role"] == "user":
        turns[-1]["content"] += "\n\n" + context.text
    else:
        turns.append({"role": "user", "content": context.text})
    return turns


def turn_text(message: Message) -> str:
    if message.role == Message.Role.USER:
        return message.content.strip()
    if message.status == Message.Status.PENDING:
        return ""
    if message.status == Message.Status.ERROR:
        return f"(That failed: {message.error or message.content})"
    return message.content.strip()


# --- Streaming -------------------------------------------------------------------


@dataclass
class ToolCall:
    name: str
    arguments: str  # JSON text, as the model wrote it


@dataclass
class Answer:
    """One model answer, whichever provider gave it."""

    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None
    # The model stopped at its output limit, so a tool call may be cut short.
    truncated: bool = False


class Progress:
    """Shows the answer in the pending message while it streams in."""

    def __init__(self, on_text: Callable[[str], None]) -> None:
        self.on_text = on_text
        self.text = ""
        self.argument_chars = 0
        self.shown = ""

    def add_text(self, delta: str) -> None:
        if delta:
            self.text += delta
            self.show()

    def add_arguments(self, delta: str) -> None:
        if delta:
            self.argument_chars += len(delta)
            self.show()

    def show(self) -> None:
        display = self.text
        if self.argument_chars >= SHOW_ARGUMENT_PROGRESS_CHARS:
            display = (display.rstrip() + "\n\n").lstrip() + (
                f"Writing the change\u2026 {self.argument_chars:,} characters so far."
            )
        if display != self.shown:
            self.shown = display
            self.on_text(display)


# --- Configuration and failures ----------------------------------------------------


@dataclass(frozen=True)
class LLMConfig:
    """One brain's settings, read when it decides (so override_settings works)."""

    key_setting: str  # the setting a person fixes when the key is refused
    base_url_setting: str
    api_key: str
    base_url: str
    model: str
    timeout: float
    max_retries: int

    @property
    def shown_url(self) -> str:
        """base_url as errors and logs may show it: no user, password, query or fragment.

        A model server URL can carry credentials (https://user:pass@host/v1,
        or ?key=... for some proxies), and errors are shown in the chat.
        """
        return public_url(self.base_url)

    @classmethod
    def from_settings(cls, *, key_setting: str, base_url_setting: str, base_url: str, model: str):
        return cls(
            key_setting=key_setting,
            base_url_setting=base_url_setting,
            api_key=(getattr(settings, key_setting, "") or "").strip(),
            base_url=base_url.rstrip("/"),
            model=(settings.CHATVIDEO_MODEL or "").strip() or model,
            timeout=float(settings.CHATVIDEO_LLM_TIMEOUT_SECONDS),
            max_retries=max(0, int(settings.CHATVIDEO_LLM_MAX_RETRIES)),
        )


@dataclass(frozen=True)
class Failure:
    """A provider failure, sorted into what a person can act on."""

    kind: str  # auth, rate, server, timeout, connect, broken, not_found, refused, unreadable
    status: int | None = None
    detail: str = ""
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        if self.kind not in ("rate", "server"):
            return False
        return self.retry_after is None or self.retry_after <= MAX_RETRY_AFTER_SECONDS

    def sentence(self, config: LLMConfig, retries: int) -> str:
        retried = f"; retried {times(retries)}" if retries else ""
        if self.kind == "auth":
            return f"The API key was refused (check {config.key_setting})."
        if self.kind == "rate":
            return f"Rate limited by the provider{retried}. Try again in a minute."
        if self.kind == "server":
            status = f" (HTTP {self.status})" if self.status else ""
            if not self.status and self.detail:
                status = f" ({self.detail.rstrip('.')})"
            return f"The provider had an error{status}{retried}."
        if self.kind == "timeout":
            return f"The model did not answer in {config.timeout:g} s."
        if self.kind == "connect":
            return f"Could not reach the model server at {config.shown_url}."
        if self.kind == "broken":
            return (
                f"The connection to the model server at {config.shown_url} broke "
                "before the answer was complete."
            )
        if self.kind == "not_found":
            return (
                f"The model server answered 404 Not Found: check CHATVIDEO_MODEL "
                f"({config.model}) and {config.base_url_setting} ({config.shown_url})."
            )
        if self.kind == "unreadable":
            return "The model server sent an answer that could not be read."
        detail = f": {self.detail}" if self.detail else "."
        return f"The provider refused the request (HTTP {self.status}){detail}"


def public_url(url: str) -> str:
    """url without its user info, query and fragment (where credentials travel)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(the configured URL)"  # unparseable: show none of it
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def classify(exc: Exception, library: ModuleType) -> Failure | None:
    """Sort an exception from the openai or anthropic library (same class names)."""
    if isinstance(exc, library.APITimeoutError | httpx2.TimeoutException):
        return Failure("timeout")
    if isinstance(exc, library.APIConnectionError | httpx2.TransportError):
        cause = exc if isinstance(exc, httpx2.TransportError) else exc.__cause__
        if isinstance(cause, httpx2.ConnectError | httpx2.UnsupportedProtocol):
            return Failure("connect")
        return Failure("broken")
    if isinstance(exc, library.APIStatusError):
        status = exc.status_code
        detail = error_detail(getattr(exc, "body", None)) or ""
        error_type = error_kind(getattr(exc, "body", None))
        if status == 200:
            # An error event in the middle of a stream (Anthropic's overloaded_error).
            if error_type == "rate_limit_error":
                return Failure("rate", 429, detail)
            return Failure("server", None, detail)
        headers = exc.response.headers if exc.response is not None else {}
        if status in (401, 403):
            return Failure("auth", status, detail)
        if status == 429:
            return Failure("rate", status, detail, retry_after(headers))
        if status >= 500:
            return Failure("server", status, detail, retry_after(headers))
        if status == 404:
            return Failure("not_found", status, detail)
        return Failure("refused", status, detail)
    if isinstance(exc, library.APIResponseValidationError | json.JSONDecodeError):
        return Failure("unreadable")
    if isinstance(exc, library.APIError):
        # An error object in the middle of an OpenAI-style stream.
        return Failure("server", None, error_detail(getattr(exc, "body", None)) or exc.message)
    return None


# user:password@ in a URL: a gateway's error may quote the URL it was given.
URL_USERINFO = re.compile(r"(?<=://)[^/\s@]+@")


def error_detail(body: object) -> str:
    """The provider's own message from an error body, shortened for the chat (no passwords)."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return shorten(URL_USERINFO.sub("", str(message)), 300)
    elif isinstance(body, str) and body.strip():
        return shorten(URL_USERINFO.sub("", body), 300)
    return ""


def error_kind(body: object) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type", ""))
    return ""


def retry_after(headers) -> float | None:
    """Seconds the server asks us to wait (retry-after-ms, or Retry-After)."""
    try:
        if value := headers.get("retry-after-ms"):
            return max(0.0, float(value) / 1000)
        if value := headers.get("retry-after"):
            try:
                return max(0.0, float(value))
            except ValueError:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None
    return None


def backoff(retries: int, failure: Failure) -> float:
    if failure.retry_after is not None:
        return failure.retry_after
    delay = min(RETRY_BASE_SECONDS * 2**retries, MAX_RETRY_SECONDS)
    return delay * (1 - 0.25 * random.random())


def call_with_retries(
    config: LLMConfig,
    attempt: Callable[[], Answer],
    library,
    keep_alive: Callable[[], None] = lambda: None,
) -> Answer:
    """Run one request, retrying a 429 or 5xx up to max_retries times.

    The clients are built with max_retries=0, so each attempt here is one real
    HTTP request and the count in the error message is exact. `keep_alive`
    (BrainContext's) renews the claim before each attempt and while waiting.
    """
    retries = 0
    while True:
        keep_alive()
        try:
            return attempt()
        except BrainError:
            raise
        except Exception as exc:
            failure = classify(exc, library)
            if failure is None:
                raise
            if failure.retryable and retries < config.max_retries:
                delay = backoff(retries, failure)
                retries += 1
                logger.warning(
                    "%s from %s; retry %d of %d in %.2f s",
                    failure.status or failure.kind,
                    config.shown_url,
                    retries,
                    config.max_retries,
                    delay,
                )
                wait(delay, keep_alive)
                continue
            raise BrainError(failure.sentence(config, retries)) from exc


def wait(seconds: float, keep_alive: Callable[[], None]) -> None:
    """Sleep, renewing the claim every KEEP_ALIVE_SECONDS of it."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, KEEP_ALIVE_SECONDS))
        if deadline - time.monotonic() > 0:
            keep_alive()


def decide_with(
    context: BrainContext,
    config: LLMConfig,
    library: ModuleType,
    open_client: Callable[[], AbstractContextManager],
    ask: Callable[[Any], Answer],
    key_needed: bool = True,
) -> Decision:
    """What both model brains do: check the key, open the provider's client,
    ask (with retries), and turn the answer into a Decision.

    `open_client()` returns the provider's client (a context manager) and
    `ask(client)` makes one request with it.
    """
    if key_needed and not config.api_key:
        raise BrainError(f"No API key: set {config.key_setting}.")
    with open_client() as client:
        answer = call_with_retries(config, lambda: ask(client), library, context.keep_alive)
    return to_decision(context, answer)


# --- Answer -> Decision ------------------------------------------------------------


def to_decision(context: BrainContext, answer: Answer) -> Decision:
    """Turn the model's answer into what the orchestrator runs.

    A BrainError raised for an unusable answer carries what it cost.
    """
    usage = Usage(
        model=answer.model[:100],
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
    )
    try:
        return answer_to_decision(context, answer, usage)
    except BrainError as exc:
        exc.usage = exc.usage or usage
        raise


def answer_to_decision(context: BrainContext, answer: Answer, usage: Usage) -> Decision:
    text = answer.text.strip()
    if not answer.tool_calls:
        if not text:
            if answer.truncated:
                raise BrainError("The model's answer was cut off at its output limit.")
            raise BrainError("The model returned an empty answer.")
        return Decision(reply=text, usage=usage)
    call = answer.tool_calls[0]
    if answer.truncated:
        raise BrainError(
            "The model's answer was cut off at its output limit before the change was "
            "complete. Try asking for something simpler."
        )
    tool, args, summary = resolve_tool_call(context, call)
    if tool is None:  # refused (nothing to undo): the summary says why
        return Decision(reply=summary, usage=usage)
    reply = text or summary
    if len(answer.tool_calls) > 1:
        reply += (
            f" (You asked for {len(answer.tool_calls)} changes at once; I made only the "
            "first. Ask again for the rest.)"
        )
    return Decision(reply=reply, tool=tool, args=args, usage=usage)


def resolve_tool_call(context: BrainContext, call: ToolCall) -> tuple[str | None, dict, str]:
    """(tool, args for scenes.tools, a sentence saying what it does).

    The tool is None when the call cannot be made (undo with nothing to undo);
    the sentence then says why.
    """
    if call.name not in TOOL_NAMES:
        raise BrainError(f"The model asked for a tool that does not exist ({shorten(call.name)}).")
    args = parse_arguments(call.arguments)
    fps = context.project.fps
    if call.name == "undo":
        # What undo does is scenes.history's to say, as for the Undo button.
        undo = decide_undo(context.project)
        return undo.tool, undo.args, undo.reply
    if call.name == "add_scene":
        props = clean_props(args.get("props"))
        props.setdefault("template", "title")
        frames = duration(args, fps)
        if frames is None:
            frames = DEFAULT_DURATION_SECONDS * fps
        tool_args = {"props": props, "duration_frames": frames}
        code = scene_code(args)
        if code is not None:
            tool_args["code"] = code
        number, title = len(context.scenes) + 1, props.get("title", "")
        if code is None:
            label = TEMPLATE_LABELS.get(props["template"], "scene")
            what = f"a {label} reading \u201c{title}\u201d" if title else f"a {label}"
        else:
            what = f"\u201c{title}\u201d" if title else "a scene of its own"
        summary = f"Added scene {number}, {what}, {describe_duration(frames, fps)}."
        return "add_scene", tool_args, summary
    number, scene = scene_by_number(context, args)
    if call.name == "delete_scene":
        return (
            "delete_scene",
            {"scene_id": scene.id},
            f"Deleted scene {number}, \u201c{scene.name}\u201d.",
        )
    if call.name == "edit_scene":
        props = clean_props(args.get("props"))
        code = scene_code(args)
        if not props and code is None:
            raise BrainError(
                f"The model asked to change scene {number} without saying what to change."
            )
        tool_args = {"scene_id": scene.id, "props": props}
        if code is not None:
            tool_args["code"] = code
        return "edit_scene", tool_args, f"Updated scene {number}."
    # trim_scene
    frames = duration(args, fps)
    if frames is None:
        raise BrainError(f"The model did not say how long scene {number} should last.")
    tool_args = {"scene_id": scene.id, "duration_frames": frames}
    # Without new code, the tool keeps code the model wrote and draws a
    # template scene again for its new length.
    code = scene_code(args)
    if code is not None:
        tool_args["code"] = code
    return "trim_scene", tool_args, f"Scene {number} now lasts {describe_duration(frames, fps)}."


def parse_arguments(raw: str | dict | None) -> dict:
    if isinstance(raw, dict):
        return raw
    text = (raw or "").strip() or "{}"
    try:
        args = json.loads(text)
    except ValueError:
        raise BrainError("The model returned tool arguments that are not valid JSON.") from None
    if not isinstance(args, dict):
        raise BrainError("The model returned tool arguments that are not a JSON object.")
    return args


def scene_by_number(context: BrainContext, args: dict) -> tuple[int, Scene]:
    raw = args.get("scene_number", args.get("scene"))
    number = whole_number(raw)
    if number is None:
        raise BrainError("The model did not say which scene (by its number) to change.")
    count = len(context.scenes)
    if not 1 <= number <= count:
        scenes = "no scenes" if not count else f"{count} scene" + ("s" if count != 1 else "")
        raise BrainError(f"The model referred to scene {number}, but this project has {scenes}.")
    return number, context.scenes[number - 1]


def duration(args: dict, fps: int) -> int | None:
    """Frames, from duration_frames or duration_seconds (None when neither is given)."""
    frames, seconds = args.get("duration_frames"), args.get("duration_seconds")
    if frames is not None:
        value = number_value(frames)
        if value is None:
            raise BrainError("The model gave a duration in frames that is not a number.")
    elif seconds is not None:
        value = number_value(seconds)
        if value is None:
            raise BrainError("The model gave a duration in seconds that is not a number.")
        value *= fps
    else:
        return None
    if problem := duration_problem(fps, value):
        raise BrainError(problem)
    return round(value)


def scene_code(args: dict) -> str | None:
    code = args.get("code")
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if not isinstance(code, str):
        raise BrainError("The model returned scene code that is not text.")
    return code


def clean_props(raw: object) -> dict:
    """Props as the tools want them; keys the scenes do not have are dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BrainError("The model returned scene props that are not a JSON object.")
    props = {}
    for key, value in raw.items():
        if key not in DEFAULT_PROPS:
            logger.info("dropping unknown prop %r from the model", key)
            continue
        if key in ("background", "color", "accent") and isinstance(value, str):
            value = hex_colour(value)
        elif key == "template" and isinstance(value, str):
            value = template_key(value, TEMPLATE_BY_WORD) or value.strip().lower()
        elif key == "items" and isinstance(value, list):
            value = [str(item) for item in value]
        elif key in ("title", "subtitle") and isinstance(value, int | float):
            value = str(value)
        elif key == "speed" and isinstance(value, str):
            value = number_value(value) if number_value(value) is not None else value
        elif key == "font" and isinstance(value, str):
            value = value.strip().lower()
        props[key] = value
    return props


def number_value(value: object) -> float | None:
    """A JSON number, or a number written as text; None for anything else (and NaN).

    It may be infinite (JSON's 1e400): a duration says so with the bounds.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            number = float(value)
        except OverflowError:  # an integer too big for a float
            number = math.inf if value > 0 else -math.inf
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return None if math.isnan(number) else number


def whole_number(value: object) -> int | None:
    number = number_value(value)
    if number is None or not math.isfinite(number) or number != int(number):
        return None
    return int(number)
