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
behind Pushpin, sharing one listening socket (streams_scale's Daphnes; Pushpin's
routes name that one address, as several targets would only fail over), and
prints how many requests each process answered, from their access logs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/pushpin_fanout.py [--streams 1000 2000] [--http] \\
        [--client c|python] [--events 5] [--skip turn shown throughput]

The app publishes to Pushpin's ZeroMQ PUSH socket (PUSHPIN_PUSH_SPEC), or
with --http to its HTTP control port (GRIP_URL alone).

By default the streams are read by benchmarks/sse_client.c (built here with
gcc): one epoll loop in C that stamps each arrival with CLOCK_MONOTONIC, the
clock of Python's perf_counter(), so the sender's t0 and the arrivals compare
directly. --client python reads them in this process instead (one epoll
loop on plain sockets, as before), which costs some 10 ms of CPU per event
at 1,000 streams on the cores Pushpin needs. Either way, on this 2-core
machine the client shares the cores with Pushpin, daphne and PostgreSQL, so
the figures are upper bounds. "first" in the table is, per kind, the median
over events of the first stream to hear each one (the time before Pushpin's
fan-out starts); --skip turn throughput and --events N make a short run.
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
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams_scale import (  # noqa: E402
    TIMEOUT,
    Daphnes,
    Database,
    login,
    manage,
    raise_fd_limit,
    server_env,
    submit,
    throughput,
    user_with_project,
)

from tests.scale.pushpin import Pushpin, free_port, grip_url, new_key  # noqa: E402

EVENTS = 5  # events timed per kind
THROUGHPUT_USERS, THROUGHPUT_SECONDS = 8, 10
PAGE_FETCHERS = 32  # connections the pages' fetches share (a browser's are its own)


class Streams:
    """N event streams on non-blocking sockets, read by one epoll loop."""

    def __init__(self, port: int, path: str, cookie: str, count: int) -> None:
        self.poll = select.epoll()
        self.cpu: list[float] = []  # seconds of CPU each arrivals() took
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

    def expect(self, marker: bytes) -> None:
        """Before the publish: what arrivals() waits for (the C client needs it first)."""
        self.marker = marker

    def arrivals(self) -> list[float]:
        """perf_counter() at which the expected marker reached each stream (fresh data only)."""
        started = time.process_time()
        try:
            return self._arrivals()
        finally:
            self.cpu.append(time.process_time() - started)

    def _arrivals(self) -> list[float]:
        marker = self.marker
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


class CStreams:
    """The same N streams read by benchmarks/sse_client.c (built here with gcc).

    The C reader stamps each arrival with CLOCK_MONOTONIC, the clock of
    perf_counter(), and spends a fraction of the Python loop's CPU, so the
    figures are Pushpin's and the app's, not the client's.
    """

    SOURCE = ROOT / "benchmarks" / "sse_client.c"

    def __init__(self, port: int, path: str, cookie: str, count: int) -> None:
        binary = Path(tempfile.gettempdir()) / f"chatvideo-sse-client-{os.getpid()}"
        subprocess.run(["gcc", "-O2", "-o", str(binary), str(self.SOURCE)], check=True)
        self.process = subprocess.Popen(
            [str(binary), str(port), path, cookie, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        binary.unlink()  # the running process keeps it
        self.count = count
        self.socks: range = range(0)  # only len() is used: the open streams
        self.cpu: list[float] = []  # seconds of CPU the reader spent on each event
        self._cpu_at = 0.0

    def wait_open(self) -> dict[str, int]:
        word, ok, other = self.process.stdout.readline().split()
        assert word == "open", word
        self.socks = range(int(ok))
        outcome = {"200 stream-open": int(ok)}
        if int(other):
            outcome["refused or ended"] = int(other)
        return outcome

    def expect(self, marker: bytes) -> None:
        self.process.stdin.write(f"expect {marker.decode()}\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline() == "ready\n"
        self._cpu_at = self._cpu()

    def _cpu(self) -> float:
        """The reader's user and system CPU so far (seconds)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def arrivals(self) -> list[float]:
        word, *stamps = self.process.stdout.readline().split()
        self.cpu.append(self._cpu() - self._cpu_at)
        if word != "seen":
            raise RuntimeError(f"{word} {stamps}: a stream ended")
        return [float(stamp) for stamp in stamps]

    def close(self) -> None:
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        self.process.wait(timeout=TIMEOUT)


def process_cpu(pid: int) -> float:
    """A process's user and system CPU so far (seconds)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> dict[str, int]:
    """The direct children of a process, by name (Pushpin's runner: condure, the handler...)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if int(rest.split()[1]) == pid:
            found[name.split("(", 1)[1]] = int(stat.parent.name)
    return found


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
    streams: "Streams | CStreams",
    base: str,
    session,
    project_id: int,
    control_port: int,
    events: int,
    kinds: set[str],
    pushpin_pid: int,
) -> dict[str, tuple[list[float], list[float]]]:
    """Latencies (ms) at every stream, `events` times each kind, and each event's first one."""
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
    firsts: dict[str, list[float]] = {kind: [] for kind in times}

    def record(kind: str, t0: float, arrived: list[float]) -> None:
        latencies = [(t - t0) * 1000 for t in arrived]
        times[kind] += latencies
        firsts[kind].append(min(latencies))

    services = children(pushpin_pid)  # CPU each spends on a Pushpin-alone event
    spent: dict[str, float] = {}
    control = requests.Session()
    pages = ThreadPoolExecutor(PAGE_FETCHERS, initializer=page_session, initargs=(session,))
    for i in range(events):
        # Pushpin alone: one publish straight to its control port (no Django),
        # on the channel of unstored events (no ids) that held streams hear.
        marker = f"bench-{uuid.uuid4().hex}"
        item = {
            "channel": f"events-{project_channel(project_id)}{UNSTORED_GRIP_SUFFIX}",
            "formats": {"http-stream": {"content": f"event: bench\ndata: {marker}\n\n"}},
        }
        streams.expect(marker.encode())
        before = {name: process_cpu(pid) for name, pid in services.items()}
        t0 = time.perf_counter()
        requests.post(f"http://127.0.0.1:{control_port}/publish/", json={"items": [item]})
        record("pushpin", t0, streams.arrivals())
        time.sleep(0.05)  # the last writes' CPU
        for name, pid in services.items():
            spent[name] = spent.get(name, 0.0) + process_cpu(pid) - before[name]
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
        streams.expect(marker.encode())
        t0 = time.perf_counter()
        control.post(f"http://127.0.0.1:{control_port}/publish/", json={"items": [item]})
        record("pushpin+id", t0, streams.arrivals())
        time.sleep(0.2)

        # The app's publish; "stored" is how long the call itself took.
        marker = f"bench-{uuid.uuid4().hex}"
        streams.expect(marker.encode())
        t0 = time.perf_counter()
        send_project_event(project_id, "chat", {"message_id": 0, "status": marker})
        times["stored"].append((time.perf_counter() - t0) * 1000)
        firsts["stored"].append(times["stored"][-1])
        record("publish", t0, streams.arrivals())
        time.sleep(0.2)

        streams.expect(b'"status": "pending"')
        t0 = time.perf_counter()
        submit(session, base, project_id, f"add a title scene that says {i}")
        record("submit", t0, streams.arrivals())
        # The page's task call, which the pending reply's partial makes as it renders.
        pending = Message.objects.filter(project_id=project_id, status="pending").latest("id")
        if "turn" not in kinds:
            time.sleep(0.2)
            continue
        streams.expect(b'"status": "success"')
        task = threading.Thread(target=call_task, args=(session, base, project_id, pending.id))
        task.start()
        record("turn", t0, streams.arrivals())
        task.join()
        # Every page then fetches the answered message (chat.js), as many as there are streams.
        if "shown" not in kinds:
            time.sleep(0.2)
            continue
        item = f"{base}/{project_id}/messages/{pending.id}/item/"
        record("shown", t0, fetch_all(pages, item, len(streams.socks)))
        time.sleep(0.2)
    print(
        f"{len(streams.socks)} streams, CPU per Pushpin-alone event: "
        + ", ".join(f"{name} {cpu / events * 1000:.1f} ms" for name, cpu in spent.items())
    )
    return {kind: (latencies, firsts[kind]) for kind, latencies in times.items() if latencies}


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
    parser.add_argument(
        "--client",
        choices=["python", "c"],
        default="c",
        help="what reads the streams: benchmarks/sse_client.c (built with gcc), or this process",
    )
    parser.add_argument("--events", type=int, default=EVENTS, help="events timed per kind")
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=["turn", "shown", "throughput"],
        help="leave out the whole turn, the pages' fetches, or messages a second",
    )
    options = parser.parse_args()
    kinds = {"turn", "shown"} - set(options.skip)
    if "turn" not in kinds:
        kinds.discard("shown")  # the pages fetch the answer the turn produced
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
    daphnes = None
    pushpin = None
    rows = []
    rate = 0.0
    answered: dict[str, list[int]] = {}  # requests each daphne answered, by phase
    try:
        manage(env, "migrate", "--noinput")
        project_id = user_with_project(env, "bench", "Fan-out")
        users = []  # for messages a second, as benchmarks/streams_scale.py counts them
        for i in range(0 if "throughput" in options.skip else THROUGHPUT_USERS):
            users.append((f"rate{i}", user_with_project(env, f"rate{i}", "Rate")))
        import django

        django.setup()

        daphnes = Daphnes(env, options.daphnes)
        pushpin = Pushpin(
            [daphnes.address],
            key=key,
            control_port=control,
            push_port=push,
            log_level=1,
        )
        session = login(pushpin.url, "bench")
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        for count in options.streams:
            load_before = os.getloadavg()[0]
            started = time.monotonic()
            reader = CStreams if options.client == "c" else Streams
            streams = reader(pushpin.http_port, f"/{project_id}/events/", cookie, count)
            outcome = streams.wait_open()
            open_s = time.monotonic() - started
            print(f"{count} streams opened at once through Pushpin in {open_s:.1f} s: {outcome}")
            if len(streams.socks) < count:
                print(pushpin.log()[-1500:])
            times = time_events(
                streams,
                pushpin.url,
                session,
                project_id,
                control,
                options.events,
                kinds,
                pushpin.process.pid,
            )
            load = (load_before, os.getloadavg()[0])
            pg = sum(pg_connections(pid) for pid in daphnes.pids)
            rows.append((count, open_s, outcome, times, pg, load))
            cpu_ms = statistics.mean(streams.cpu) * 1000
            print(f"{count} streams: the client's CPU per event {cpu_ms:.1f} ms")
            streams.close()
            time.sleep(1)
        answered["streams"] = daphnes.answered()
        if "throughput" not in options.skip:
            rate = throughput(pushpin.url, users, THROUGHPUT_SECONDS)
            answered["messages a second"] = [
                now - before
                for now, before in zip(daphnes.answered(), answered["streams"], strict=True)
            ]
    finally:
        if pushpin is not None:
            pushpin.stop()
        if daphnes is not None:
            daphnes.stop()
        from django.db import connections

        connections.close_all()
        database.drop()
    print(
        f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"PostgreSQL={database.postgres}; app publishes by "
        f"{'HTTP' if options.http else 'PUSH socket'}; each latency is one stream's, "
        f"{options.events} events of each kind at every open stream, read by the "
        f"{'C' if options.client == 'c' else 'Python'} client; {options.daphnes} daphne "
        f"process(es) behind Pushpin: {rate:.1f} messages a second answered "
        f"({THROUGHPUT_USERS} users, {THROUGHPUT_SECONDS} s, streams closed)"
    )
    # From each process's access log: both took part, or the figure is one's.
    for phase, counts in answered.items():
        print(f"requests each daphne process answered, {phase}: {counts}")
    print()
    # "first" is the median over events of the first stream to hear each one.
    print(
        f"{'streams':>7} {'opened':>7} {'open s':>7} {'load':>9} {'what':<10} {'min ms':>7} "
        f"{'first':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'daphne pg':>9}"
    )
    for count, open_s, outcome, times, pg, load in rows:
        for kind, (latencies, first) in times.items():
            fastest, p50, p99, worst = percentiles(latencies)
            opened = outcome.get("200 stream-open", 0)
            loads = f"{load[0]:.1f}-{load[1]:.1f}"
            print(
                f"{count:>7} {opened:>7} {open_s:>7.1f} {loads:>9} {kind:<10} {fastest:>7.1f} "
                f"{statistics.median(first):>7.1f} {p50:>7.1f} {p99:>7.1f} {worst:>7.1f} {pg:>9}"
            )


if __name__ == "__main__":
    main()
