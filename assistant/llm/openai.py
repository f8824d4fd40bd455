"""The OpenAI brain: any server that speaks OpenAI's chat completions API.

OpenAI itself, or a local server (Ollama, vLLM, llama.cpp, LM Studio) through
OPENAI_BASE_URL. The answer is streamed: its text shows in the pending
message as it grows, and tool-call arguments are put together from their
pieces. Tools, prompt and the mapping to a Decision live in the modules beside this one.
"""

import json
from collections.abc import Callable
from urllib.parse import urlsplit

import openai
from django.conf import settings
from openai.types.chat import ChatCompletion

from assistant.decision import BrainContext, Decision

from .prompt import system_prompt
from .repair import Provider, decide_with
from .retries import LLMConfig
from .streaming import Answer, Progress, ToolCall
from .tools import tool_specs

DEFAULT_MODEL = "gpt-5.4-mini"
# Sent as the key to a server that checks none (Ollama, llama.cpp, LM Studio),
# when OPENAI_API_KEY is not set; the client library needs some key.
NO_KEY = "no-key"


def config() -> LLMConfig:
    return LLMConfig.from_settings(
        key_setting="OPENAI_API_KEY",
        base_url_setting="OPENAI_BASE_URL",
        base_url=settings.OPENAI_BASE_URL or "https://api.openai.com/v1",
        model=DEFAULT_MODEL,
    )


def needs_key(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    return host == "openai.com" or host.endswith(".openai.com")


def tools(fps: int) -> list[dict]:
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": spec.parameters,
            },
        }
        for spec in tool_specs(fps)
    ]


class OpenAIBrain:
    def decide(self, context: BrainContext) -> Decision:
        cfg = config()
        system = {"role": "system", "content": system_prompt(context)}
        request = {
            "model": cfg.model,
            "tools": tools(context.project.fps),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        return decide_with(
            context,
            Provider(
                config=cfg,
                library=openai,
                open_client=lambda: openai.OpenAI(
                    base_url=cfg.base_url,
                    api_key=cfg.api_key or NO_KEY,
                    timeout=cfg.timeout,
                    # Retries are counted in call_with_retries: one attempt, one request.
                    max_retries=0,
                ),
                ask=lambda client, turns, on_text: ask(
                    client, {**request, "messages": [system, *turns]}, on_text, cfg.model
                ),
                refused=refused_turns,
                key_needed=needs_key(cfg.base_url),
            ),
        )


def refused_turns(answer: Answer, result: str) -> list[dict]:
    """The model's refused answer, then `result` as the result of each of its calls."""
    calls = [
        {
            "id": call.id or f"call_{index}",
            "type": "function",
            # Some servers parse the arguments sent back: send JSON, even if the model did not.
            "function": {"name": call.name, "arguments": json.dumps(call.arguments_object())},
        }
        for index, call in enumerate(answer.tool_calls)
    ]
    return [
        {"role": "assistant", "content": answer.text or None, "tool_calls": calls},
        *({"role": "tool", "tool_call_id": call["id"], "content": result} for call in calls),
    ]


def ask(client: openai.OpenAI, request: dict, on_text: Callable[[str], None], model: str) -> Answer:
    """One streamed request; the text goes to on_text as it arrives."""
    progress = Progress(on_text)
    answer = Answer(model=model)
    calls: dict[int, dict] = {}
    with client.chat.completions.create(**request) as stream:
        content_type = stream.response.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            # The server ignored stream=true and sent the whole answer at once.
            stream.response.read()
            return from_completion(ChatCompletion.model_validate(stream.response.json()), model)
        for chunk in stream:
            answer.model = chunk.model or answer.model
            if chunk.usage is not None:
                answer.input_tokens = chunk.usage.prompt_tokens
                answer.output_tokens = chunk.usage.completion_tokens
            for choice in chunk.choices or []:
                if choice.finish_reason == "length":
                    answer.truncated = True
                delta = choice.delta
                if delta is None:
                    continue
                progress.add_text(delta.content or "")
                for part in delta.tool_calls or []:
                    key = part.index if part.index is not None else len(calls)
                    call = calls.setdefault(key, {"name": "", "arguments": "", "id": ""})
                    call["id"] = part.id or call["id"]
                    function = part.function
                    if function is None:
                        continue
                    if function.name:
                        call["name"] = function.name
                    if function.arguments:
                        call["arguments"] += function.arguments
                        progress.add_arguments(function.arguments)
    answer.text = progress.text
    answer.tool_calls = [
        ToolCall(c["name"], c["arguments"], c["id"]) for _, c in sorted(calls.items())
    ]
    return answer


def from_completion(completion: ChatCompletion, model: str) -> Answer:
    """A non-streamed chat completion as an Answer."""
    answer = Answer(model=completion.model or model)
    if completion.usage is not None:
        answer.input_tokens = completion.usage.prompt_tokens
        answer.output_tokens = completion.usage.completion_tokens
    if completion.choices:
        choice = completion.choices[0]
        answer.truncated = choice.finish_reason == "length"
        answer.text = choice.message.content or ""
        for call in choice.message.tool_calls or []:
            function = getattr(call, "function", None)
            if function is not None:
                answer.tool_calls.append(
                    ToolCall(function.name, function.arguments or "", call.id or "")
                )
    return answer
