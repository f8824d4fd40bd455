"""How many open pages (event streams) the site holds, and how fast events reach them.

For each setup it opens N streams, then times submit -> pending event at a
sample of them (p50/p99), a project page load meanwhile, the app's PostgreSQL
connections (pg_stat_activity) and resident memory; then messages a second
(submit, task, answered) with 1 and 2 daphne processes behind Pushpin,
sharing one listening socket (Daphnes), and how many requests each answered.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/streams_scale.py [--quick]

With a PostgreSQL DATABASE_URL a throwaway database is made next to the one
named and dropped afterwards; without one, SQLite (no connection count).
Pushpin setups are skipped when pushpin is not installed. Everything runs on
127.0.0.1; the client shares the machine's cores with the servers, so the
latencies are upper bounds.
"""

import argparse
import asyncio
import os
import re
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scale.pushpin import Pushpin, free_port, grip_url, new_key  # noqa: E402

PY = sys.executable
TIMEOUT = 60
PASSWORD = secrets.token_urlsafe(12)
SAMPLE = 50  # streams whose arrival times are measured
SUBMITS = 20  # messages timed per setup
LOG = Path(tempfile.gettempdir()) / "chatvideo-streams-scale-daphne.log"  # daphne's stderr
PENDING = re.compile(rb'"message_id": (\d+), "status": "pending"')
# A line of daphne's access log: "GET /path" 200.
ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+)" (?P<status>\d+)')


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def user_with_project(env: dict, username: str, title: str) -> int:
    """A user (password PASSWORD) with one project, made through manage.py; the project's id."""
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('{username}', password='{PASSWORD}')",
    )
    return int(manage(env, "create_project", "--owner", username, "--title", title).strip())


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(status.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Database:
    """A throwaway database for the run (PostgreSQL), or a SQLite file."""

    def __init__(self) -> None:
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            import psycopg

            self.admin_url = url
            self.name = f"chatvideo_bench_{os.getpid()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            self.url = url.rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

    def app_connections(self) -> int | None:
        if not self.postgres:
            return None
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_env(database: Database, **extra: str) -> dict:
    """The environment the benchmark's daphne processes run in: production
    settings on the scratch database, no rate limit, no Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CHATVIDEO_MESSAGES_PER_MINUTE": "0",
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def start_daphne(env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PY).parent / "daphne"),
            # Twisted's default listen backlog is 50: a burst of stream opens
            # from Pushpin overflowed it (SYNs dropped, retried a second later).
            "-e",
            f"tcp:port={port}:interface=127.0.0.1:backlog=1024",
            "chatvideo.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(LOG, "ab"),  # noqa: SIM115 (the process keeps it)
    )
    wait_until_up(f"http://127.0.0.1:{port}")
    return process, port


class Daphnes:
    """`count` daphne processes accepting on one listening socket, each with an access log.

    Pushpin's routes do not spread requests: with several targets listed it
    sends every request to the first and tries the next only when one
    refuses the connection. So the processes share one listening socket,
    each started with `--fd` (as supervisor's fcgi-program or systemd socket
    activation would), the kernel hands each new connection to one of them,
    and Pushpin routes to their one `address`. Each process writes its own
    access log, which says which answered what. stop() ends them and removes
    their files.
    """

    def __init__(self, env: dict, count: int) -> None:
        self.count = count
        self.dir = Path(tempfile.mkdtemp(prefix="chatvideo-daphnes-"))
        # Twisted's own listen backlog is 50: a burst of stream opens from
        # Pushpin overflowed it (SYNs dropped, retried a second later).
        listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.address = f"127.0.0.1:{listener.getsockname()[1]}"
        self.processes: list[subprocess.Popen] = []
        try:
            for n in range(count):
                with open(self._stderr(n), "wb") as err:
                    self.processes.append(
                        subprocess.Popen(
                            [
                                str(Path(PY).parent / "daphne"),
                                "--fd",
                                str(listener.fileno()),
                                "--access-log",
                                str(self.access_log(n)),
                                "chatvideo.asgi:application",
                            ],
                            cwd=ROOT,
                            env=env,
                            pass_fds=(listener.fileno(),),
                            stdout=subprocess.DEVNULL,
                            stderr=err,
                        )
                    )
        finally:
            listener.close()  # the daphnes have their own copies
        try:
            self._wait_until_listening()
        except BaseException:
            self.stop()
            raise

    def _stderr(self, n: int) -> Path:
        return self.dir / f"daphne-{n}.err"

    def _wait_until_listening(self) -> None:
        """Until every process has its application loaded and accepts on the socket.

        Until then the ones already up take every connection, as the socket
        is shared; a measurement would start with fewer processes than asked.
        """
        deadline = time.monotonic() + TIMEOUT
        for n, process in enumerate(self.processes):
            while "Listening on" not in self._stderr(n).read_text(errors="replace"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"daphne {n} did not start:\n{self.errors()}")
                time.sleep(0.1)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def access_log(self, n: int) -> Path:
        return self.dir / f"daphne-{n}.access"

    def requests(self, n: int) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request daphne n has answered."""
        try:
            text = self.access_log(n).read_text(errors="replace")
        except FileNotFoundError:
            return []
        return [(m["method"], m["path"], int(m["status"])) for m in ACCESS.finditer(text)]

    def answered(self) -> list[int]:
        """How many requests each process has answered so far."""
        return [len(self.requests(n)) for n in range(self.count)]

    def errors(self) -> str:
        """The end of each process's stderr."""
        return "\n".join(
            f"daphne {n}: " + self._stderr(n).read_text(errors="replace")[-2000:]
            for n in range(self.count)
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_until_up(base: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            if requests.get(f"{base}/accounts/login/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base} did not come up")
        time.sleep(0.2)


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.status_code
    return session


def submit(session: requests.Session, base: str, project_id: int, text: str) -> None:
    response = session.post(
        f"{base}/{project_id}/messages/send/",
        data={
            "content": text,
            "client_key": str(uuid.uuid4()),
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"HX-Request": "true"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.status_code


async def open_stream(
    base: str, path: str, cookie: str
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 20)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
        f"Cookie: {cookie}\r\n\r\n".encode()
    )
    await writer.drain()
    seen = b""
    while b"stream-open" not in seen:
        chunk = await asyncio.wait_for(reader.read(65536), TIMEOUT)
        if not chunk:
            raise RuntimeError(f"stream refused: {seen[:200]!r}")
        seen += chunk
    return reader, writer


async def measure_streams(
    base: str,
    streams: int,
    env_user: str,
    project_id: int,
    database: Database,
    server_pids: list[int],
) -> dict:
    """Open `streams` streams, time SUBMITS submits at SAMPLE of them, and the rest."""
    session = login(base, env_user)
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    path = f"/{project_id}/events/"
    gate = asyncio.Semaphore(200)

    async def one():
        async with gate:
            return await open_stream(base, path, cookie)

    started = time.monotonic()
    opened = await asyncio.gather(*(one() for _ in range(streams)))
    open_seconds = time.monotonic() - started
    sample = opened[:: max(1, streams // SAMPLE)][:SAMPLE]
    arrivals: dict[int, list[float]] = {}

    async def read(reader: asyncio.StreamReader) -> None:
        buffer = b""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buffer += chunk
            for match in PENDING.finditer(buffer):
                arrivals.setdefault(int(match[1]), []).append(now)
            buffer = buffer[-200:] if PENDING.search(buffer) is None else b""

    readers = [asyncio.create_task(read(r)) for r, _ in sample]
    latencies: list[float] = []
    for i in range(SUBMITS):
        before = set(arrivals)
        t0 = time.perf_counter()
        await asyncio.to_thread(
            submit, session, base, project_id, f"add a title scene that says {i}"
        )
        deadline = time.monotonic() + TIMEOUT
        while True:
            new = [m for m in arrivals if m not in before]
            if new and len(arrivals[new[0]]) >= len(sample):
                latencies += [(t - t0) * 1000 for t in arrivals[new[0]]]
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the pending event did not reach every sampled stream")
            await asyncio.sleep(0.002)
        await asyncio.sleep(0.05)
    t0 = time.perf_counter()
    page = await asyncio.to_thread(session.get, f"{base}/{project_id}/", timeout=TIMEOUT)
    page_ms = (time.perf_counter() - t0) * 1000
    assert page.status_code == 200
    result = {
        "open_s": open_seconds,
        "p50": statistics.median(latencies),
        "p99": sorted(latencies)[max(0, int(len(latencies) * 0.99) - 1)],
        "page_ms": page_ms,
        "pg": database.app_connections(),
        "rss": sum(tree_rss_mib(pid) for pid in server_pids),
    }
    for task in readers:
        task.cancel()
    for _, writer in opened:
        writer.close()
    session.close()
    await asyncio.sleep(1)
    return result


def throughput(base: str, users: list[tuple[str, int]], seconds: float) -> float:
    """Messages answered a second: each user submits, hears the id, calls the task, waits."""
    done = 0
    lock = threading.Lock()
    ready = threading.Barrier(len(users) + 1)
    stop = 0.0

    errors: list[BaseException] = []

    def user_loop(username: str, project_id: int) -> None:
        try:
            run_user(username, project_id)
        except BaseException as exc:
            errors.append(exc)

    def run_user(username: str, project_id: int) -> None:
        nonlocal done
        session = login(base, username)
        stream = session.get(f"{base}/{project_id}/events/", stream=True, timeout=TIMEOUT)
        # As the bytes arrive (iter_lines would wait for a full buffer).
        chunks = stream.iter_content(chunk_size=None)
        buffer = b""
        ready.wait()  # logged in and listening: the clock starts when all are
        i = 0
        while time.monotonic() < stop:
            submit(session, base, project_id, f"add a title scene that says {i}")
            i += 1
            while (match := PENDING.search(buffer)) is None:
                buffer += next(chunks)
            message_id, buffer = int(match[1]), buffer[match.end() :]
            response = session.post(
                f"{base}/{project_id}/messages/{message_id}/task/",
                headers={"X-CSRFToken": session.cookies["csrftoken"], "HX-Request": "true"},
                timeout=TIMEOUT,
            )
            assert response.status_code in (200, 204), response.status_code
            with lock:
                done += 1
        stream.close()

    threads = [threading.Thread(target=user_loop, args=user) for user in users]
    for thread in threads:
        thread.start()
    stop = time.monotonic() + TIMEOUT  # until everyone is ready
    ready.wait(timeout=TIMEOUT)
    started = time.monotonic()
    stop = started + seconds
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} of {len(users)} users failed") from errors[0]
    return done / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="10/100 streams only, short throughput runs"
    )
    options = parser.parse_args()
    raise_fd_limit()
    database = Database()
    # One user opens them all; the cap is not under test.
    env = server_env(database, CHATVIDEO_STREAMS_PER_USER="100000")
    rows: list[tuple] = []
    processes: list[subprocess.Popen] = []
    try:
        manage(env, "migrate", "--noinput")
        users = []
        for i in range(9):
            name = f"bench{i}"
            users.append((name, user_with_project(env, name, f"Bench {i}")))
        stream_user, stream_project = users[0]

        # daphne alone (the embedded default, `make run`).
        daphne, port = start_daphne(env)
        processes.append(daphne)
        for n in [10, 100] if options.quick else [10, 100, 1000]:
            result = asyncio.run(
                measure_streams(
                    f"http://127.0.0.1:{port}",
                    n,
                    stream_user,
                    stream_project,
                    database,
                    [daphne.pid],
                )
            )
            rows.append(("daphne", n, result))
        daphne.terminate()
        daphne.wait()

        rates: dict[int, float] = {}
        answered: dict[int, list[int]] = {}  # requests each process answered, by setup
        if subprocess.run(["which", "pushpin"], capture_output=True).returncode == 0:
            seconds = 5 if options.quick else 15
            # The same launcher for 1 and 2 processes: one listening socket
            # (`--fd`), which Pushpin's routes name (several targets there
            # would only fail over: every request to the first).
            for count in (1, 2):
                key, control = new_key(), free_port()
                daphnes = Daphnes({**env, "GRIP_URL": grip_url(control, key)}, count)
                pushpin = None
                try:
                    pushpin = Pushpin([daphnes.address], key=key, control_port=control, log_level=1)
                    # Streams with one process, as the table has them.
                    for n in [] if count > 1 else [100] if options.quick else [1000, 10000]:
                        result = asyncio.run(
                            measure_streams(
                                pushpin.url,
                                n,
                                stream_user,
                                stream_project,
                                database,
                                [*daphnes.pids, pushpin.process.pid],
                            )
                        )
                        rows.append(("pushpin + 1 daphne", n, result))
                    before = daphnes.answered()
                    rates[count] = throughput(pushpin.url, users[1:], seconds)
                    answered[count] = [
                        now - then for now, then in zip(daphnes.answered(), before, strict=True)
                    ]
                    pg_after = database.app_connections()
                finally:
                    if pushpin is not None:
                        pushpin.stop()
                    daphnes.stop()
        else:
            print("pushpin is not installed: Pushpin setups skipped (./scripts/ensure-pushpin)")

        print(
            f"\ndatabase: {'PostgreSQL' if database.postgres else 'SQLite'}; "
            f"{os.cpu_count()} cores; "
            f"submit -> pending event timed {SUBMITS}x at {SAMPLE} sampled streams\n"
        )
        print(
            f"{'setup':<20} {'streams':>7} {'open s':>7} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'page ms':>8} {'pg conns':>8} {'RSS MiB':>8}"
        )
        for setup, n, r in rows:
            pg = "-" if r["pg"] is None else str(r["pg"])
            print(
                f"{setup:<20} {n:>7} {r['open_s']:>7.1f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
                f"{r['page_ms']:>8.1f} {pg:>8} {r['rss']:>8.0f}"
            )
        if rates:
            print(
                f"\nmessages a second behind Pushpin ({len(users) - 1} users, "
                "submit + task + answered):"
            )
            for count, rate in rates.items():
                print(
                    f"  {count} daphne process{'es' if count > 1 else ''}: {rate:.1f}/s "
                    f"(requests each answered, from its access log: {answered[count]})"
                )
            print(f"  PostgreSQL connections of the app afterwards (2 processes): {pg_after}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=TIMEOUT)
        database.drop()


if __name__ == "__main__":
    main()
