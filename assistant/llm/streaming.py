"""A streamed answer as it arrives: its text, its tool call, and what the pending message shows."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

# While the model writes tool arguments (scene code can take a while), the
# pending message says so once they pass this size.
SHOW_ARGUMENT_PROGRESS_CHARS = 200


# --- Streaming -------------------------------------------------------------------


@dataclass
class ToolCall:
    name: str
    arguments: str  # JSON text, as the model wrote it
    id: str = ""  # the provider's id for it, which a tool result names

    def arguments_object(self) -> dict:
        """The arguments as a JSON object, {} when they are not one (to send them back)."""
        try:
            value = json.loads(self.arguments or "{}")
            json.dumps(value, allow_nan=False)  # 1e400 reads as infinity, which JSON cannot send
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


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
