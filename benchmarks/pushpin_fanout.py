"""Pushpin at 1,000+ open pages: do they all open, and how fast does an event reach every one?

Starts one daphne (GRIP_URL set) behind a real Pushpin from deploy/pushpin/,
opens N event streams through Pushpin all at once (one user, one project, as
many tabs as N people watching), then times, at every one of the N streams:

- pushpin: one publish straight to Pushpin's control port -> the event on the
  stream (Pushpin and this client alone);
- pushpin+id: the same, with the app's item (a stored event's id and prev-id,
  and the build-id filter) on the stored events' channel;
- stored: how long the app's publish call takes in the caller (the event's
  insert and commit, and the send to Pushpin);
- publish: the app's own publish (send_project_event, stored and sent to
  Pushpin's control port) -> the event on the stream;
- submit: the submit view's HTTP request -> its pending event;
- turn: that submit -> the reply's success event, with the task view called
  as the page would once it hears the pending id;
- shown: that submit -> the answered message fetched by every page, as each
  page's chat.js fetches it on that event (N GETs through Pushpin, over
  PAGE_FETCHERS connections);

and then messages a second answered (streams_scale's measure: each of 8 users
submits, hears the id, calls the task). --daphnes 2 puts two daphne processes
behind Pushpin (two origins in its routes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/pushpin_fanout.py [--streams 1000 2000] [--http]

The app publishes to Pushpin's ZeroMQ PUSH socket (PUSHPIN_PUSH_SPEC), or
with --http to its HTTP control port (GRIP_URL alone).

The streams are read by one epoll loop on plain sockets, which stamps each
arrival as it reads it; on this 2-core machine the client shares the cores
with Pushpin, daphne and PostgreSQL, so the figures are upper bounds.
"""

import argparse
import json
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams_scale import (  # noqa: E402
    PASSWORD,
    TIMEOUT,
    Database,
    login,
    manage,
    raise_fd_limit,
    server_env,
    start_daphne,
    submit,
    throughput,
)

from tests.scale.pushpin import Pushpin, free_port, grip_url, new_key  # noqa: E402

EVENTS = 5  # events timed per kind
THROUGHPUT_USERS, THROUGHPUT_SECONDS = 8, 10
PAGE_FETCHERS = 32  # connections the pages' fetches share (a browser's are its own)


class Streams:
    """N event streams on non-blocking sockets, read by one epoll loop."""

    def __init__(self, port: int, path: str, cookie: str, count: int) -> None:
        self.poll = select.epoll()
        self.socks: dict[int, socket.socket] = {}
        self.data: dict[int, bytes] = {}
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            sock.sendall(request)
            sock.setblocking(False)
            self.socks[sock.fileno()] = sock
            self.data[sock.fileno()] = b""
            self.poll.register(sock.fileno(), select.EPOLLIN)

    def wait_open(self) -> dict[str, int]:
        """Read until every stream says stream-open or ends; how many did which."""
        outcome: dict[str, int] = {}
        waiting = set(self.socks)
        deadline = time.monotonic() + TIMEOUT
        while waiting and time.monotonic() < deadline:
            for fd, _ in self.poll.poll(1):
                chunk = self._read(fd)
                if fd not in waiting:
                    continue
                if b"stream-open" in self.data[fd]:
                    outcome["200 stream-open"] = outcome.get("200 stream-open", 0) + 1
                    waiting.discard(fd)
                elif not chunk or refusal(self.data[fd]):
                    status = self.data[fd].split(b"\r\n", 1)[0].decode(errors="replace")
                    body = self.data[fd].split(b"\r\n\r\n", 1)[-1][:90].decode(errors="replace")
                    key = f"{status} {body}".strip()
                    outcome[key] = outcome.get(key, 0) + 1
                    waiting.discard(fd)
                    self.poll.unregister(fd)
        if waiting:
            outcome["no answer"] = len(waiting)
        for fd in [fd for fd in self.socks if b"stream-open" not in self.data[fd]]:
            self.socks.pop(fd).close()
        return outcome

    def _read(self, fd: int) -> bytes:
        try:
            chunk = self.socks[fd].recv(65536)
        except BlockingIOError:
            return b"-"
        self.data[fd] += chunk
        return chunk

    def arrivals(self, marker: bytes) -> list[float]:
        """perf_counter() at which `marker` reached each open stream (fresh data only)."""
        for fd in self.socks:
            self.data[fd] = b""
        seen: dict[int, float] = {}
        deadline = time.monotonic() + TIMEOUT
        while len(seen) < len(self.socks):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{marker!r} reached {len(seen)} of {len(self.socks)} streams")
            for fd, _ in self.poll.poll(1):
                now = time.perf_counter()
                if not self._read(fd):
                    raise RuntimeError("a stream ended")
                if fd not in seen and marker in self.data[fd]:
                    seen[fd] = now
                    self.data[fd] = b""
        return list(seen.values())

    def close(self) -> None:
        for sock in self.socks.values():
            sock.close()
        self.poll.close()


def refusal(answer: bytes) -> bool:
    """Whether this is a whole answer that is not a stream (Pushpin keeps the connection)."""
    head, sep, body = answer.partition(b"\r\n\r\n")
    if not sep or head.startswith(b"HTTP/1.1 200"):
        return False
    length = re.search(rb"(?i)content-length: *(\d+)", head)
    return length is not None and len(body) >= int(length[1])


def percentiles(latencies_ms: list[float]) -> tuple[float, float, float, float]:
    """Fastest, p50, p99 and slowest."""
    ordered = sorted(latencies_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return ordered[0], statistics.median(ordered), p99, ordered[-1]


def time_events(
    streams: Streams, base: str, session, project_id: int, control_port: int
) -> dict[str, list[float]]:
    """Latencies (ms) at every stream, EVENTS times each kind."""
    from django_eventstream.utils import get_storage, sse_encode_event

    from messages_app.events import UNSTORED_GRIP_SUFFIX, project_channel, send_project_event
    from messages_app.models import Message

    times: dict[str, list[float]] = {
        "pushpin": [],
        "pushpin+id": [],
        "stored": [],
        "publish": [],
        "submit": [],
        "turn": [],
        "shown": [],
    }
    control = requests.Session()
    pages = ThreadPoolExecutor(PAGE_FETCHERS, initializer=page_session, initargs=(session,))
    for i in range(EVENTS):
        # Pushpin alone: one publish straight to its control port (no Django),
        # on the channel of unstored events (no ids) that held streams hear.
        marker = f"bench-{uuid.uuid4().hex}"
        item = {
            "channel": f"events-{project_channel(project_id)}{UNSTORED_GRIP_SUFFIX}",
            "formats": {"http-stream": {"content": f"event: bench\ndata: {marker}\n\n"}},
        }
        t0 = time.perf_counter()
        requests.post(f"http://127.0.0.1:{control_port}/publish/", json={"items": [item]})
        times["pushpin"] += [(t - t0) * 1000 for t in streams.arrivals(marker.encode())]
        time.sleep(0.2)

        # Pushpin with the app's item: a stored event's id and prev-id and the
        # build-id filter, straight to the control port on a kept-alive
        # connection (stored first, untimed, so the ids stay in order).
        marker = f"bench-{uuid.uuid4().hex}"
        channel = project_channel(project_id)
        encoded = json.dumps({"message_id": 0, "status": marker})
        stored = get_storage().append_event(channel, "chat", encoded)
        item = {
            "channel": f"events-{channel}",
            "id": str(stored.id),
            "prev-id": str(stored.id - 1),
            "formats": {
                "http-stream": {
                    "content": sse_encode_event("chat", encoded, event_id="%I", escape=True),
                    "content-filters": ["build-id"],
                }
            },
        }
        t0 = time.perf_counter()
        control.post(f"http://127.0.0.1:{control_port}/publish/", json={"items": [item]})
        times["pushpin+id"] += [(t - t0) * 1000 for t in streams.arrivals(marker.encode())]
        time.sleep(0.2)

        # The app's publish; "stored" is how long the call itself took.
        marker = f"bench-{uuid.uuid4().hex}"
        t0 = time.perf_counter()
        send_project_event(project_id, "chat", {"message_id": 0, "status": marker})
        times["stored"].append((time.perf_counter() - t0) * 1000)
        times["publish"] += [(t - t0) * 1000 for t in streams.arrivals(marker.encode())]
        time.sleep(0.2)

        t0 = time.perf_counter()
        submit(session, base, project_id, f"add a title scene that says {i}")
        times["submit"] += [(t - t0) * 1000 for t in streams.arrivals(b'"status": "pending"')]
        # The page's task call, which the pending reply's partial makes as it renders.
        pending = Message.objects.filter(project_id=project_id, status="pending").latest("id")
        task = threading.Thread(target=call_task, args=(session, base, project_id, pending.id))
        task.start()
        times["turn"] += [(t - t0) * 1000 for t in streams.arrivals(b'"status": "success"')]
        task.join()
        # Every page then fetches the answered message (chat.js), as many as there are streams.
        item = f"{base}/{project_id}/messages/{pending.id}/item/"
        times["shown"] += [(t - t0) * 1000 for t in fetch_all(pages, item, len(streams.socks))]
        time.sleep(0.2)
    return times


page = threading.local()


def page_session(logged_in: requests.Session) -> None:
    page.session = requests.Session()
    page.session.cookies.update(logged_in.cookies)


def fetch_all(pages: ThreadPoolExecutor, url: str, count: int) -> list[float]:
    """GET `url` `count` times over the pages' connections; perf_counter() as each came back."""

    def fetch(_: int) -> float:
        answer = page.session.get(url, headers={"HX-Request": "true"}, timeout=TIMEOUT)
        assert answer.status_code == 200 and b"data-status" in answer.content, answer.status_code
        return time.perf_counter()

    return list(pages.map(fetch, range(count)))


def pg_connections(pid: int) -> int:
    """The process's open TCP connections to PostgreSQL (port 5432)."""
    sockets = subprocess.run(
        ["ss", "-tnpH", "dport", "= :5432"], capture_output=True, text=True, check=True
    ).stdout
    return sum(f"pid={pid}," in line for line in sockets.splitlines())


def call_task(session: requests.Session, base: str, project_id: int, message_id: int) -> None:
    answer = session.post(
        f"{base}/{project_id}/messages/{message_id}/task/",
        headers={"X-CSRFToken": session.cookies["csrftoken"], "HX-Request": "true"},
        timeout=TIMEOUT,
    )
    assert answer.status_code in (200, 204), answer.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument(
        "--http", action="store_true", help="publish by HTTP to the control port, not PUSH"
    )
    parser.add_argument("--daphnes", type=int, default=1, help="daphne processes behind Pushpin")
    options = parser.parse_args()
    raise_fd_limit()
    database = Database()
    key, control, push = new_key(), free_port(), free_port()
    env = server_env(
        database,
        GRIP_URL=grip_url(control, key),
        PUSHPIN_PUSH_SPEC="" if options.http else f"tcp://127.0.0.1:{push}",
    )
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "chatvideo.settings"
    daphnes: list = []
    pushpin = None
    rows = []
    rate = 0.0
    try:
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_user('bench', password='{PASSWORD}')",
        )
        project_id = int(
            manage(env, "create_project", "--owner", "bench", "--title", "Fan-out").strip()
        )
        users = []  # for messages a second, as benchmarks/streams_scale.py counts them
        for i in range(THROUGHPUT_USERS):
            manage(
                env,
                "shell",
                "-c",
                "from django.contrib.auth.models import User; "
                f"User.objects.create_user('rate{i}', password='{PASSWORD}')",
            )
            created = manage(env, "create_project", "--owner", f"rate{i}", "--title", "Rate")
            users.append((f"rate{i}", int(created.strip())))
        import django

        django.setup()

        daphnes = [start_daphne(env) for _ in range(options.daphnes)]
        pushpin = Pushpin(
            [f"127.0.0.1:{port}" for _, port in daphnes],
            key=key,
            control_port=control,
            push_port=push,
            log_level=1,
        )
        session = login(pushpin.url, "bench")
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        for count in options.streams:
            started = time.monotonic()
            streams = Streams(pushpin.http_port, f"/{project_id}/events/", cookie, count)
            outcome = streams.wait_open()
            open_s = time.monotonic() - started
            print(f"{count} streams opened at once through Pushpin in {open_s:.1f} s: {outcome}")
            if len(streams.socks) < count:
                print(pushpin.log()[-1500:])
            times = time_events(streams, pushpin.url, session, project_id, control)
            pg = sum(pg_connections(daphne.pid) for daphne, _ in daphnes)
            rows.append((count, open_s, outcome, times, pg))
            streams.close()
            time.sleep(1)
        rate = throughput(pushpin.url, users, THROUGHPUT_SECONDS)
    finally:
        if pushpin is not None:
            pushpin.stop()
        for daphne, _ in daphnes:
            daphne.terminate()
            daphne.wait(timeout=TIMEOUT)
        from django.db import connections

        connections.close_all()
        database.drop()
    print(
        f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"PostgreSQL={database.postgres}; app publishes by "
        f"{'HTTP' if options.http else 'PUSH socket'}; each latency is one stream's, "
        f"{EVENTS} events of each kind at every open stream; {options.daphnes} daphne "
        f"process(es) behind Pushpin: {rate:.1f} messages a second answered "
        f"({THROUGHPUT_USERS} users, {THROUGHPUT_SECONDS} s, streams closed)\n"
    )
    print(
        f"{'streams':>7} {'opened':>7} {'open s':>7} {'what':<8} {'min ms':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'daphne pg':>9}"
    )
    for count, open_s, outcome, times, pg in rows:
        for kind, latencies in times.items():
            fastest, p50, p99, worst = percentiles(latencies)
            opened = outcome.get("200 stream-open", 0)
            print(
                f"{count:>7} {opened:>7} {open_s:>7.1f} {kind:<8} {fastest:>7.1f} {p50:>7.1f} "
                f"{p99:>7.1f} {worst:>7.1f} {pg:>9}"
            )


if __name__ == "__main__":
    main()
