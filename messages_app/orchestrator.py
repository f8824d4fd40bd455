"""Where the orchestrator decides: which tool to run and what to say.

A brain is any object with ``decide(context) -> Decision``. Which one runs is
the CHATVIDEO_BRAIN setting: "offline" (the default, no network) or a dotted
path to a class, so new brains plug in without touching views.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from projects.models import Project
from scenes.history import describe_undo
from scenes.models import Scene
from scenes.tools import TOOLS as SCENE_TOOLS

from .models import Message

HISTORY_LENGTH = 20

BRAINS = {
    "offline": "messages_app.brains.offline.OfflineBrain",
    "openai": "messages_app.brains.openai_brain.OpenAIBrain",
    "anthropic": "messages_app.brains.anthropic_brain.AnthropicBrain",
}


class BrainError(Exception):
    """The brain could not answer, for a reason a person can act on.

    Its text is shown in the chat as it is ("The API key was refused."), so
    it must never be a stack trace. `usage` is what the failed answer cost,
    when a model did answer (with something unusable).
    """

    def __init__(self, reason: str, usage: "Usage | None" = None) -> None:
        super().__init__(reason)
        self.usage = usage


@dataclass(frozen=True)
class Usage:
    """What answering cost, recorded on the message."""

    model: str = ""
    input_tokens: int | None = None
    output_tokens: int | None = None


@dataclass(frozen=True)
class Decision:
    """What the brain wants: a chat reply, and optionally one tool call."""

    reply: str
    tool: str | None = None
    args: dict = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        if self.tool is not None and self.tool not in SCENE_TOOLS:
            raise ValueError(f"unknown tool {self.tool!r}")


@dataclass(frozen=True)
class BrainContext:
    project: Project
    scenes: list[Scene]
    history: list[Message]  # earlier messages, oldest first
    text: str
    # A streaming brain calls this with the reply so far; it shows in the
    # pending message as it grows.
    on_text: Callable[[str], None] = field(default=lambda text: None)
    # A brain that waits long without text (a retry's backoff, a slow first
    # token) calls this now and then, so its claim is not taken over.
    keep_alive: Callable[[], None] = field(default=lambda: None)


class Brain(Protocol):
    def decide(self, context: BrainContext) -> Decision: ...


@cache
def load_brain(name: str) -> Brain:
    return import_string(BRAINS.get(name, name))()


def build_context(reply: Message, **callbacks: Callable) -> BrainContext:
    project = reply.project
    history = list(
        Message.objects.filter(project=project, seq__lt=reply.in_reply_to.seq).order_by("-seq")[
            :HISTORY_LENGTH
        ]
    )
    history.reverse()
    return BrainContext(
        project=project,
        scenes=list(project.scenes.order_by("order")),
        history=history,
        text=reply.in_reply_to.content,
        **callbacks,
    )


# What the Undo button sends. It is answered here, from the scene history, by
# every brain alike, so the button always does what it shows.
UNDO_COMMAND = "undo"


def decide(reply: Message, **callbacks: Callable) -> Decision:
    """Ask the configured brain what to do about the message this reply answers.

    `callbacks` are BrainContext's on_text and keep_alive.
    """
    if reply.in_reply_to.content.strip().lower() == UNDO_COMMAND:
        return decide_undo(reply.project)
    return load_brain(settings.CHATVIDEO_BRAIN).decide(build_context(reply, **callbacks))


def decide_undo(project: Project) -> Decision:
    description = describe_undo(project)
    if description is None:
        return Decision(reply="There is nothing to undo yet.")
    return Decision(reply=description, tool="undo")
