"""Where the orchestrator decides: which tool to run and what to say.

A brain is any object with ``decide(context) -> Decision``. Which one runs is
the CHATVIDEO_BRAIN setting: "offline" (the default, no network), "openai",
"anthropic", or a dotted path to a class, so new brains plug in without
touching views. The chat builds the context (messages_app/context.py).
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .decision import Brain, BrainContext, Decision
from .undo import decide_redo, decide_undo

BRAINS = {
    "offline": "assistant.offline.brain.OfflineBrain",
    "openai": "assistant.llm.openai.OpenAIBrain",
    "anthropic": "assistant.llm.anthropic.AnthropicBrain",
}

# What the Undo and Redo buttons send. They are answered here, from the scene
# history, by every brain alike, so the button always does what it shows.
COMMANDS = {"undo": decide_undo, "redo": decide_redo}


@cache
def load_brain(name: str) -> Brain:
    return import_string(BRAINS.get(name, name))()


def decide(context: BrainContext) -> Decision:
    """Ask the configured brain what to do about the message in `context`."""
    command = COMMANDS.get(context.text.strip().lower())
    if command is not None:
        return command(context.project)
    return load_brain(settings.CHATVIDEO_BRAIN).decide(context)
