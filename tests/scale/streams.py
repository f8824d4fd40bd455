"""Many open event streams at once, on plain sockets (a requests session each would be slow)."""

import socket
import time
from urllib.parse import urlsplit

import requests

from tests.live import TIMEOUT


def session_cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def open_stream(
    url: str, cookie: str, until: bytes = b"stream-open"
) -> tuple[socket.socket, bytes]:
    """GET an event stream; return the socket and what came before `stream-open` (or the answer).

    Reads until the server has registered the stream (it says stream-open),
    or `until` has arrived, or it has answered otherwise; the socket is left
    open, so the stream stays.
    """
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # Connection: close, so an answer that is not a stream ends with the connection.
    sock.sendall(
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
        f"Connection: close\r\nCookie: {cookie}\r\n\r\n".encode()
    )
    received = b""
    deadline = time.monotonic() + TIMEOUT
    try:
        while until not in received:
            if time.monotonic() > deadline:
                raise AssertionError(f"stream did not open within {TIMEOUT}s: {received[:300]!r}")
            chunk = sock.recv(65536)
            if not chunk:
                break  # the server answered and closed (an error status)
            received += chunk
    except BaseException:
        sock.close()
        raise
    return sock, received


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def read_until(sock: socket.socket, marker: bytes, received: bytes = b"") -> bytes:
    """Read from an open stream until marker has arrived; everything read so far."""
    deadline = time.monotonic() + TIMEOUT
    while marker not in received:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{marker!r} did not arrive within {TIMEOUT}s: {received[-300:]!r}"
            )
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"the stream closed before {marker!r}: {received[-300:]!r}")
        received += chunk
    return received
