"""A minimal Chrome DevTools Protocol client over Chromium's debugging pipe.

Chromium started with --remote-debugging-pipe reads commands from its fd 3 and
writes answers and events to its fd 4, each a JSON object ended by a NUL byte.
Talking to it directly (no Playwright driver in between) keeps a frame's round
trips short, lets every wait have a deadline (a scene stuck in a loop cannot
hang the render), and gives us the browser's pid to measure and kill.
"""

import contextlib
import json
import os
import select
import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any


class CDPError(Exception):
    """Chromium answered a command with an error."""


class CDPTimeout(Exception):
    """Chromium did not answer in time."""


class CDPClosed(Exception):
    """Chromium went away (crashed, or was killed)."""


EventHandler = Callable[[str, dict, str | None], None]


class Browser:
    """One headless Chromium process and its debugging pipe."""

    def __init__(self, executable: str, args: list[str]) -> None:
        # Our ends: we write commands to `to_chrome`, read from `from_chrome`.
        chrome_in, to_chrome = os.pipe()
        from_chrome, chrome_out = os.pipe()

        def child_fds() -> None:
            # The child must find its pipe ends at fds 3 and 4 exactly. Copy
            # them out of the way first: either may be 3 or 4 already.
            read_end, write_end = os.dup(chrome_in), os.dup(chrome_out)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
            os.setsid()  # its own process group: one killpg ends every child

        self.process = subprocess.Popen(
            [executable, "--remote-debugging-pipe", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),  # kept open after child_fds put the pipe there
            preexec_fn=child_fds,
        )
        os.close(chrome_in)
        os.close(chrome_out)
        self._write_fd = to_chrome
        self._read_fd = from_chrome
        self._buffer = bytearray()
        self._next_id = 0
        self.on_event: EventHandler | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send a command without waiting; returns its id."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                written = os.write(self._write_fd, data)
                data = data[written:]
        except OSError as exc:
            raise CDPClosed("Chromium closed its debugging pipe") from exc
        return self._next_id

    def call(
        self, method: str, params: dict | None = None, session: str | None = None, timeout=30.0
    ) -> dict:
        """Send a command and wait for its answer, handling events meanwhile."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message and self.on_event:
                params, session_id = message.get("params", {}), message.get("sessionId")
                self.on_event(message["method"], params, session_id)

    def _read(self, deadline: float) -> dict:
        while True:
            end = self._buffer.find(b"\0")
            if end >= 0:
                raw = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                return json.loads(raw)
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPTimeout
            ready, _, _ = select.select([self._read_fd], [], [], left)
            if not ready:
                raise CDPTimeout
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise CDPClosed("Chromium closed its debugging pipe")
            self._buffer += chunk

    def kill(self) -> None:
        """Kill Chromium and every process it started. Safe from any thread: a
        thread waiting on the pipe then sees it close (CDPClosed)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def close(self) -> None:
        """Kill Chromium and release the pipe; idempotent. Only from the thread that drives it."""
        self.kill()
        self.process.wait()
        for fd in (self._write_fd, self._read_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._write_fd = self._read_fd = -1
