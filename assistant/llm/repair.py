"""Asking the model, and asking again when its tool calls are refused (self-repair).

A tool call the model gets wrong is not yet the end of the reply: arguments
answers.py refuses, and calls the scene tools would refuse (scenes.tools.
check_calls runs them in a savepoint that is always rolled back, model-written
scene code through scenes/check.py included), go back to the model as the
calls' results, with the reason. It tries again, at most MAX_REPAIR_ROUNDS more
times, in the same reply row (its text keeps growing there); only then does
the reply end in error, with the last reason.

The database is needed only for that check, briefly: the connection is handed
back before the model is asked again, and no transaction is held across a call.
"""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from assistant.decision import BrainContext, BrainError, Decision, Usage
from chatvideo.dbpool import release_connection
from scenes.errors import ToolError
from scenes.tools import check_calls

from .answers import RefusedCall, to_decision
from .prompt import conversation
from .retries import LLMConfig, call_with_retries
from .streaming import Answer

logger = logging.getLogger("chatvideo.llm")

# Rounds after the first in which the model may correct refused tool calls.
MAX_REPAIR_ROUNDS = 2


@dataclass(frozen=True)
class Provider:
    """How one brain talks to its API; the rest of a decision is shared (decide_with)."""

    config: LLMConfig
    library: ModuleType  # openai or anthropic: their exceptions are sorted by retries.classify
    open_client: Callable[[], AbstractContextManager]
    # One streamed request with these turns: (client, turns, on_text) -> Answer.
    ask: Callable[[Any, list[dict], Callable[[str], None]], Answer]
    # A refused answer and what to tell the model, as the turns that follow it.
    refused: Callable[[Answer, str], list[dict]]
    key_needed: bool = True


def decide_with(context: BrainContext, provider: Provider) -> Decision:
    """Check the key, open the client, ask (with retries), and turn the answer
    into a Decision, giving the model up to MAX_REPAIR_ROUNDS more rounds to
    correct refused calls."""
    config = provider.config
    if provider.key_needed and not config.api_key:
        raise BrainError(f"No API key: set {config.key_setting}.")
    turns = conversation(context)
    # Building the prompt read the scene history: wait for the model without a connection.
    release_connection()
    answers: list[Answer] = []
    earlier = ""  # the text of refused rounds, still shown while the next one streams
    with provider.open_client() as client:
        while True:

            def on_text(text: str, earlier: str = earlier) -> None:
                context.on_text(joined(earlier, text))

            def attempt(turns: list[dict] = turns, on_text=on_text) -> Answer:
                return provider.ask(client, turns, on_text)

            try:
                answer = call_with_retries(config, attempt, provider.library, context.keep_alive)
                answers.append(answer)
                decision = to_decision(context, answer)
                check(context, decision)
                return replace(decision, usage=total_usage(answers))
            except RefusedCall as exc:
                reason = str(exc)
                if len(answers) > MAX_REPAIR_ROUNDS:
                    raise BrainError(reason, total_usage(answers)) from exc
                logger.info("round %d refused, asking the model again: %s", len(answers), reason)
                turns = turns + provider.refused(answer, refusal(reason, answer))
                earlier = joined(earlier, answer.text)
                context.keep_alive()
            except BrainError as exc:
                # What every round cost, a failed request after a refusal too.
                if answers:
                    exc.usage = total_usage(answers)
                raise


def check(context: BrainContext, decision: Decision) -> None:
    """Refuse the decision's calls now if the scene tools would refuse them on applying."""
    calls = decision.tool_calls
    if not calls:
        return
    try:
        check_calls(context.project, calls)
    except ToolError as exc:
        release_connection()  # the model is asked again: wait without a connection
        raise RefusedCall(str(exc)) from exc


def refusal(reason: str, answer: Answer) -> str:
    """What the model reads as the result of each of its refused calls."""
    made = (
        "None of the calls in your answer were made"
        if len(answer.tool_calls) > 1
        else "Nothing was changed"
    )
    return f"Refused: {reason} {made}. Correct the arguments and call the tool again."


def joined(earlier: str, text: str) -> str:
    return "\n\n".join(part.strip() for part in (earlier, text) if part.strip())


def total_usage(answers: list[Answer]) -> Usage:
    """What all the rounds cost together, under the last round's model name."""

    def total(values: list[int | None]) -> int | None:
        known = [value for value in values if value is not None]
        return sum(known) if known else None

    return Usage(
        model=answers[-1].model[:100],
        input_tokens=total([answer.input_tokens for answer in answers]),
        output_tokens=total([answer.output_tokens for answer in answers]),
    )
