"""Model servers for tests: real HTTP on 127.0.0.1, answering from a script.

One speaks OpenAI's chat completions API (POST /v1/chat/completions), one
Anthropic's messages API (POST /v1/messages). Each answers the requests it
gets with the next scripted Response (a status, headers, and a JSON body or a
list of Server-Sent Event chunks written one by one with optional delays, or
a hang) and records every request, so a test can check what the real client
library sent: the model, the tools, the prompt, the key.

Nothing here reaches beyond the loopback interface.
"""

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPENAI_PATH = "/v1/chat/completions"
ANTHROPIC_PATH = "/v1/messages"


@dataclass
class Response:
    """One scripted answer."""

    status: int = 200
    headers: dict = field(default_factory=dict)
    body: dict | str | bytes | None = None  # a dict is sent as JSON
    chunks: list | None = None  # SSE chunks (str, bytes or Pause), flushed one at a time
    delay: float = 0.0  # seconds to wait before each chunk
    hang: float = 0.0  # seconds to wait before answering at all


@dataclass(frozen=True)
class Pause:
    """In a list of chunks: stop writing for this long (a stream that stalls)."""

    seconds: float


@dataclass
class Request:
    """One request the server got."""

    method: str
    path: str
    headers: dict  # lower-case names
    body: object  # parsed JSON, or the raw text if it was not JSON

    @property
    def json(self) -> dict:
        assert isinstance(self.body, dict), self.body
        return self.body


class ScriptedServer:
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) in a thread of its own."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.responses: deque[Response] = deque()
        self.requests: list[Request] = []
        self.unscripted = 0  # requests that came when the script was used up
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        # serve_forever checks for shutdown every poll_interval (0.5 s by
        # default): that wait was half of every test's time.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *responses: Response) -> None:
        with self.lock:
            self.responses.extend(responses)

    def __enter__(self) -> "ScriptedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()  # ends any hang at once
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def _next(self) -> Response | None:
        with self.lock:
            return self.responses.popleft() if self.responses else None

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server.lock:
                    server.requests.append(Request("POST", self.path, headers, body))
                if self.path.split("?")[0] != server.path:
                    return self._send(Response(404, body={"error": {"message": "no such path"}}))
                response = server._next()
                if response is None:
                    with server.lock:
                        server.unscripted += 1
                    response = Response(500, body={"error": {"message": "nothing scripted"}})
                if response.hang and server.closing.wait(response.hang):
                    return
                self._send(response)

            def _send(self, response: Response) -> None:
                try:
                    self.send_response(response.status)
                    if response.chunks is not None:
                        self.send_header("Content-Type", "text/event-stream")
                        self.send_header("Cache-Control", "no-cache")
                    else:
                        body = response.body
                        if isinstance(body, dict):
                            body = json.dumps(body)
                        data = body.encode() if isinstance(body, str) else body or b""
                        if isinstance(response.body, dict):
                            self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(data)))
                    self.send_header("Connection", "close")
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if response.chunks is None:
                        self.wfile.write(data)
                        return
                    for chunk in response.chunks:
                        if response.delay and server.closing.wait(response.delay):
                            return
                        if isinstance(chunk, Pause):
                            if server.closing.wait(chunk.seconds):
                                return
                            continue
                        self.wfile.write(chunk.encode() if isinstance(chunk, str) else chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test); nothing to tell it

            def log_message(self, format, *args) -> None:
                pass

        return Handler


# --- OpenAI chat completions ------------------------------------------------------


def openai_chunk(model: str, delta: dict | None = None, finish=None, usage=None) -> str:
    data = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": model,
        "choices": [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        data["usage"] = usage
    return f"data: {json.dumps(data)}\n\n"


def openai_stream(
    text: list[str] | str = (),
    tool: tuple[str, str | dict] | None = None,
    *,
    tools: list[tuple[str, str | dict]] | None = None,
    model: str = "gpt-test",
    usage: tuple[int, int] = (321, 45),
    delay: float = 0.0,
    finish: str | None = None,
    argument_pieces: int = 3,
) -> Response:
    """A streamed chat completion: text in pieces, then tool calls in pieces, then usage.

    A tool call's arguments are given as a dict (sent as JSON) or as the raw
    text the model "wrote" (to script invalid JSON).
    """
    parts = [text] if isinstance(text, str) else list(text)
    calls = tools if tools is not None else ([tool] if tool else [])
    chunks = [openai_chunk(model, {"role": "assistant", "content": ""})]
    chunks += [openai_chunk(model, {"content": part}) for part in parts]
    for index, (name, arguments) in enumerate(calls):
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        head = {"index": index, "id": f"call_{index}", "type": "function"}
        chunks.append(
            openai_chunk(
                model, {"tool_calls": [{**head, "function": {"name": name, "arguments": ""}}]}
            )
        )
        size = max(1, -(-len(raw) // argument_pieces))
        for start in range(0, len(raw), size):
            piece = {"index": index, "function": {"arguments": raw[start : start + size]}}
            chunks.append(openai_chunk(model, {"tool_calls": [piece]}))
    chunks.append(openai_chunk(model, {}, finish=finish or ("tool_calls" if calls else "stop")))
    prompt, completion = usage
    chunks.append(
        openai_chunk(
            model,
            usage={
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        )
    )
    chunks.append("data: [DONE]\n\n")
    return Response(chunks=chunks, delay=delay)


def openai_completion(
    text: str = "",
    tool: tuple[str, dict] | None = None,
    *,
    model: str = "gpt-test",
    usage: tuple[int, int] = (321, 45),
) -> Response:
    """A whole chat completion as one JSON body (what a non-streaming server sends)."""
    message: dict = {"role": "assistant", "content": text or None}
    if tool:
        name, arguments = tool
        message["tool_calls"] = [
            {
                "id": "call_0",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ]
    prompt, completion = usage
    return Response(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": 1700000000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "tool_calls" if tool else "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }
    )


def openai_error(status: int, message: str = "", headers: dict | None = None) -> Response:
    kinds = {401: "invalid_api_key", 429: "rate_limit_exceeded"}
    return Response(
        status,
        headers=headers or {},
        body={
            "error": {
                "message": message or f"HTTP {status} from the scripted server",
                "type": "invalid_request_error" if status < 500 else "server_error",
                "code": kinds.get(status),
            }
        },
    )


# --- Anthropic messages -------------------------------------------------------------


def sse_event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def anthropic_stream(
    text: list[str] | str = (),
    tool: tuple[str, str | dict] | None = None,
    *,
    tools: list[tuple[str, str | dict]] | None = None,
    model: str = "claude-test",
    usage: tuple[int, int] = (654, 78),
    delay: float = 0.0,
    stop_reason: str | None = None,
    argument_pieces: int = 3,
    error_after_start: dict | None = None,
) -> Response:
    """A streamed message: a text block in pieces, then tool_use blocks in pieces."""
    parts = [text] if isinstance(text, str) else list(text)
    calls = tools if tools is not None else ([tool] if tool else [])
    input_tokens, output_tokens = usage
    chunks = [
        sse_event(
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": "msg_test",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": input_tokens, "output_tokens": 1},
                },
            },
        ),
        sse_event("ping", {"type": "ping"}),
    ]
    if error_after_start is not None:
        chunks.append(sse_event("error", {"type": "error", "error": error_after_start}))
        return Response(chunks=chunks, delay=delay)
    index = 0
    if parts:
        chunks.append(
            sse_event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                },
            )
        )
        for part in parts:
            chunks.append(
                sse_event(
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": 0,
                        "delta": {"type": "text_delta", "text": part},
                    },
                )
            )
        chunks.append(sse_event("content_block_stop", {"type": "content_block_stop", "index": 0}))
        index = 1
    for number, (name, arguments) in enumerate(calls):
        if number:
            index += 1
        raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
        chunks.append(
            sse_event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {
                        "type": "tool_use",
                        "id": f"toolu_{number}",
                        "name": name,
                        "input": {},
                    },
                },
            )
        )
        size = max(1, -(-len(raw) // argument_pieces))
        for start in range(0, len(raw), size):
            chunks.append(
                sse_event(
                    "content_block_delta",
                    {
                        "type": "content_block_delta",
                        "index": index,
                        "delta": {
                            "type": "input_json_delta",
                            "partial_json": raw[start : start + size],
                        },
                    },
                )
            )
        chunks.append(
            sse_event("content_block_stop", {"type": "content_block_stop", "index": index})
        )
    chunks.append(
        sse_event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {
                    "stop_reason": stop_reason or ("tool_use" if calls else "end_turn"),
                    "stop_sequence": None,
                },
                "usage": {"output_tokens": output_tokens},
            },
        )
    )
    chunks.append(sse_event("message_stop", {"type": "message_stop"}))
    return Response(chunks=chunks, delay=delay)


def anthropic_error(status: int, message: str = "", headers: dict | None = None) -> Response:
    kinds = {
        400: "invalid_request_error",
        401: "authentication_error",
        403: "permission_error",
        404: "not_found_error",
        429: "rate_limit_error",
        529: "overloaded_error",
    }
    return Response(
        status,
        headers=headers or {},
        body={
            "type": "error",
            "error": {
                "type": kinds.get(status, "api_error"),
                "message": message or f"HTTP {status} from the scripted server",
            },
        },
    )
