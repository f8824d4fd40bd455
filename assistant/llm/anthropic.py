"""The Anthropic brain: Claude through Anthropic's messages API.

The answer is streamed: text deltas show in the pending message as it grows,
and a tool_use block's input is put together from its input_json_delta
pieces. Tools, prompt and the mapping to a Decision live in the modules beside this one.
"""

import json
from collections.abc import Callable

import anthropic
from django.conf import settings

from assistant.decision import BrainContext, Decision

from .prompt import system_prompt
from .repair import Provider, decide_with
from .retries import LLMConfig
from .streaming import Answer, Progress, ToolCall
from .tools import tool_specs

DEFAULT_MODEL = "claude-sonnet-5-5"
DEFAULT_BASE_URL = "https://api.anthropic.com"
# Room for a scene's code in one answer.
MAX_OUTPUT_TOKENS = 16_000


def config() -> LLMConfig:
    return LLMConfig.from_settings(
        key_setting="ANTHROPIC_API_KEY",
        base_url_setting="ANTHROPIC_BASE_URL",
        base_url=settings.ANTHROPIC_BASE_URL or DEFAULT_BASE_URL,
        model=DEFAULT_MODEL,
    )


def tools(fps: int) -> list[dict]:
    return [
        {"name": spec.name, "description": spec.description, "input_schema": spec.parameters}
        for spec in tool_specs(fps)
    ]


class AnthropicBrain:
    def decide(self, context: BrainContext) -> Decision:
        cfg = config()
        request = {
            "model": cfg.model,
            "max_tokens": MAX_OUTPUT_TOKENS,
            "system": system_prompt(context),
            "tools": tools(context.project.fps),
            # Several tool calls in one answer are run in order, as one change.
            "tool_choice": {"type": "auto"},
            "stream": True,
        }
        return decide_with(
            context,
            Provider(
                config=cfg,
                library=anthropic,
                # The key and base URL are passed explicitly, so the library reads no
                # credentials of its own (environment, profile files) and goes nowhere else.
                open_client=lambda: anthropic.Anthropic(
                    api_key=cfg.api_key,
                    base_url=cfg.base_url,
                    timeout=cfg.timeout,
                    # Retries are counted in call_with_retries: one attempt, one request.
                    max_retries=0,
                ),
                ask=lambda client, turns, on_text: ask(
                    client, {**request, "messages": turns}, on_text, cfg.model
                ),
                refused=refused_turns,
            ),
        )


def refused_turns(answer: Answer, result: str) -> list[dict]:
    """The model's refused answer, then `result` as an error result of each of its calls."""
    text = [{"type": "text", "text": answer.text.strip()}] if answer.text.strip() else []
    uses = [
        {
            "type": "tool_use",
            "id": call.id or f"toolu_{index}",
            "name": call.name,
            "input": call.arguments_object(),
        }
        for index, call in enumerate(answer.tool_calls)
    ]
    results = [
        {"type": "tool_result", "tool_use_id": use["id"], "content": result, "is_error": True}
        for use in uses
    ]
    return [{"role": "assistant", "content": text + uses}, {"role": "user", "content": results}]


def ask(
    client: anthropic.Anthropic, request: dict, on_text: Callable[[str], None], model: str
) -> Answer:
    """One streamed request; the text goes to on_text as it arrives."""
    progress = Progress(on_text)
    answer = Answer(model=model)
    calls: dict[int, dict] = {}
    with client.messages.create(**request) as stream:
        for event in stream:
            kind = getattr(event, "type", "")
            if kind == "message_start":
                answer.model = event.message.model or answer.model
                answer.input_tokens = input_tokens(event.message.usage)
                answer.output_tokens = event.message.usage.output_tokens
            elif kind == "content_block_start":
                block = event.content_block
                if block.type == "tool_use":
                    calls[event.index] = {"name": block.name, "arguments": "", "id": block.id}
                    if block.input:
                        calls[event.index]["preset"] = block.input
                elif block.type == "text" and block.text:
                    progress.add_text(block.text)
            elif kind == "content_block_delta":
                delta = event.delta
                if delta.type == "text_delta":
                    progress.add_text(delta.text)
                elif delta.type == "input_json_delta" and event.index in calls:
                    calls[event.index]["arguments"] += delta.partial_json
                    progress.add_arguments(delta.partial_json)
            elif kind == "message_delta":
                if event.delta.stop_reason == "max_tokens":
                    answer.truncated = True
                if event.usage is not None:
                    answer.output_tokens = event.usage.output_tokens
                    if event.usage.input_tokens is not None:
                        answer.input_tokens = input_tokens(event.usage)
    answer.text = progress.text
    answer.tool_calls = [
        # A block that came whole (input set at its start, no deltas) keeps that input.
        ToolCall(c["name"], c["arguments"] or json_text(c.get("preset")), c["id"])
        for _, c in sorted(calls.items())
    ]
    return answer


def input_tokens(usage) -> int | None:
    """All input tokens, cached ones included."""
    if usage is None or usage.input_tokens is None:
        return None
    cached = (usage.cache_creation_input_tokens or 0) + (usage.cache_read_input_tokens or 0)
    return usage.input_tokens + cached


def json_text(value) -> str:
    return json.dumps(value) if value else ""
