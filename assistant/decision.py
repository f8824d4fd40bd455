"""What a brain is given (BrainContext) and what it returns (Decision)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from projects.models import Project
from scenes.models import Scene
from scenes.tools import TOOLS as SCENE_TOOLS


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


def check_tool(tool: str) -> None:
    if tool not in SCENE_TOOLS:
        raise ValueError(f"unknown tool {tool!r}")


@dataclass(frozen=True)
class ToolCall:
    """One call of a scene tool: its name in scenes.tools.TOOLS and its keyword args."""

    tool: str
    args: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_tool(self.tool)


@dataclass(frozen=True)
class Decision:
    """What the brain wants: a chat reply, and the tool calls to run, in order.

    `tool` and `args` are the one-call shortcut; `calls` are further calls
    (or all of them). `tool_calls` is every call, the shortcut first.
    """

    reply: str
    tool: str | None = None
    args: dict = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    calls: tuple[ToolCall, ...] = ()

    def __post_init__(self) -> None:
        if self.tool is not None:
            check_tool(self.tool)
        # A brain may build its calls as a list; keep them immutable like the rest.
        object.__setattr__(self, "calls", tuple(self.calls))
        for call in self.calls:
            if not isinstance(call, ToolCall):
                raise TypeError(f"a call must be a ToolCall, not {call!r}")

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        shortcut = (ToolCall(self.tool, self.args),) if self.tool else ()
        return shortcut + self.calls


class Turn(Protocol):
    """One earlier message of the chat, as a brain reads it (the chat's Message is one)."""

    role: str  # "user" or "assistant"
    status: str  # "pending", "success" or "error"
    content: str
    error: str
    tool: str


@dataclass(frozen=True)
class BrainContext:
    project: Project
    scenes: list[Scene]
    history: Sequence[Turn]  # earlier messages, oldest first
    text: str
    # A streaming brain calls this with the reply so far; it shows in the
    # pending message as it grows.
    on_text: Callable[[str], None] = field(default=lambda text: None)
    # A brain that waits long without text (a retry's backoff, a slow first
    # token) calls this now and then, so its claim is not taken over.
    keep_alive: Callable[[], None] = field(default=lambda: None)


class Brain(Protocol):
    def decide(self, context: BrainContext) -> Decision: ...
