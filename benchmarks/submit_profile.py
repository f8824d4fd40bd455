"""Where a submit's time goes before its pending event leaves daphne.

pushpin_fanout.py times submit -> the pending event at every open stream;
that is this request's own time up to the publish plus Pushpin's fan-out.
This measures the first part alone: daphne (production settings, GRIP_URL
set, so GripMiddleware runs as behind Pushpin) publishes to a ZeroMQ PULL
socket this script holds instead of Pushpin's, so the moment the item
arrives is the moment Pushpin would have had it. It times:

- publish, direct: POST submit straight to daphne -> the pending item;
- publish, via Pushpin: the same POST through Pushpin (condure, pushpin-proxy
  and zurl in front of daphne) -> the pending item;
- answer, direct / via Pushpin: the same POSTs -> their HTTP answers;
- login page, direct / via Pushpin: a GET of a small page (the proxy's own cost);

then profiles the submit view in-process (Django's test client, the same
database): the SQL statements it runs and their time, and cProfile's top
functions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/submit_profile.py [--submits 50]
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import zmq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pushpin_fanout import percentiles  # noqa: E402
from streams_scale import (  # noqa: E402
    TIMEOUT,
    Database,
    login,
    manage,
    server_env,
    start_daphne,
    submit,
    user_with_project,
)

from tests.scale.pushpin import Pushpin, free_port, grip_url, new_key  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submits", type=int, default=50)
    options = parser.parse_args()
    database = Database()
    key, control = new_key(), free_port()
    pull_port = free_port()
    env = server_env(
        database,
        GRIP_URL=grip_url(control, key),
        PUSHPIN_PUSH_SPEC=f"tcp://127.0.0.1:{pull_port}",
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "chatvideo.settings"
    daphne = pushpin = None
    results: dict[str, list[float]] = {}
    try:
        manage(env, "migrate", "--noinput")
        project_id = user_with_project(env, "bench", "Profile")
        daphne, port = start_daphne(env)
        pushpin = Pushpin([f"127.0.0.1:{port}"], key=key, control_port=control, log_level=1)
        pull = Arrivals(pull_port)
        for name, base in (("direct", f"http://127.0.0.1:{port}"), ("via Pushpin", pushpin.url)):
            session = login(base, "bench")
            published, answered = [], []
            for i in range(options.submits + 3):
                pull.expect()
                t0 = time.perf_counter()
                submit(session, base, project_id, f"say {i}")
                answered.append((time.perf_counter() - t0) * 1000)
                published.append((pull.wait() - t0) * 1000)
                time.sleep(0.05)
            results[f"publish, {name}"] = published[3:]  # after warming up
            results[f"answer, {name}"] = answered[3:]
            page = []
            for _ in range(options.submits):
                t0 = time.perf_counter()
                session.get(f"{base}/accounts/login/", timeout=TIMEOUT).raise_for_status()
                page.append((time.perf_counter() - t0) * 1000)
            results[f"login page, {name}"] = page
        pull.close()
        pushpin.stop()
        pushpin = None
        daphne.terminate()
        daphne.wait(timeout=TIMEOUT)
        daphne = None
        report(results, database, options.submits)
        profile_in_process(project_id, options.submits)
    finally:
        if pushpin is not None:
            pushpin.stop()
        if daphne is not None:
            daphne.terminate()
            daphne.wait(timeout=TIMEOUT)
        from django.db import connections

        connections.close_all()
        database.drop()


def report(results: dict[str, list[float]], database: Database, count: int) -> None:
    print(
        f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"PostgreSQL={database.postgres}; {count} of each, ms"
    )
    print(f"{'what':<26} {'min':>7} {'p50':>7} {'p99':>7} {'max':>7}")
    for what, latencies in results.items():
        fastest, p50, p99, worst = percentiles(latencies)
        print(f"{what:<26} {fastest:>7.1f} {p50:>7.1f} {p99:>7.1f} {worst:>7.1f}")


class Arrivals:
    """A PULL socket read by its own thread, which stamps each pending item as it arrives."""

    def __init__(self, port: int) -> None:
        import threading

        self.sock = zmq.Context.instance().socket(zmq.PULL)
        self.sock.bind(f"tcp://127.0.0.1:{port}")
        self.arrived = threading.Event()
        self.stamp = 0.0
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while self.running:
            if self.sock.poll(100):
                message = self.sock.recv()
                now = time.perf_counter()
                if b"pending" in message:
                    self.stamp = now
                    self.arrived.set()

    def expect(self) -> None:
        self.arrived.clear()

    def wait(self) -> float:
        if not self.arrived.wait(TIMEOUT):
            raise RuntimeError("the pending event was not published")
        return self.stamp

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.sock.close(linger=0)


def profile_in_process(project_id: int, count: int) -> None:
    """The submit view in this process: its SQL and cProfile's top functions."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="bench"))

    def one(i: int) -> None:
        import uuid

        answer = client.post(
            f"/{project_id}/messages/send/",
            {"content": f"profile {i}", "client_key": str(uuid.uuid4())},
            headers={"HX-Request": "true"},
        )
        assert answer.status_code == 200, answer.status_code

    for i in range(3):
        one(i)
    spent = []
    for i in range(count):
        t0 = time.perf_counter()
        one(i)
        spent.append((time.perf_counter() - t0) * 1000)
    page = []
    for _ in range(count):
        t0 = time.perf_counter()
        assert client.get("/accounts/login/").status_code in (200, 302)
        page.append((time.perf_counter() - t0) * 1000)
    print(
        f"\nlogin page in-process (test client, no HTTP): p50 {statistics.median(page):.1f} ms"
        f" over {count}"
    )
    with CaptureQueriesContext(connection) as queries:
        one(-1)
    print(
        f"submit view in-process (test client, no HTTP): p50 {statistics.median(spent):.1f} ms"
        f" over {count}; {len(queries)} SQL statements, "
        f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms of them:"
    )
    for query in queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        one(1000 + i)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    print(out.getvalue())


if __name__ == "__main__":
    main()
