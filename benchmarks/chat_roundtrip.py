"""Measure the chat flow against a real daphne on loopback.

Reports:
- submit latency: POST of a message until its pending reply's id arrives on
  the project's event stream;
- answer latency: the task view call until the "success" event arrives;
- memory: daphne's resident size idle and with N open event streams.

Usage: .venv/bin/python benchmarks/chat_roundtrip.py [--messages 50] [--streams 200]
Uses a throwaway SQLite database unless DATABASE_URL is set. Every request
goes to 127.0.0.1 only, and every wait is bounded.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TIMEOUT = 15


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def read_event(lines, wanted: str, deadline: float) -> dict:
    event, data = None, None
    for raw in lines:
        if time.monotonic() > deadline:
            break
        line = raw.decode() if isinstance(raw, bytes) else raw
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data = line.split(":", 1)[1].strip()
        elif line == "" and event:
            if event == wanted and data:
                return json.loads(data)
            event, data = None, None
    raise TimeoutError(f"no {wanted} event")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--streams", type=int, default=200)
    options = parser.parse_args()

    tmp = tempfile.mkdtemp()
    env = {**os.environ, "DEBUG": "1", "CHATVIDEO_MESSAGES_PER_MINUTE": "0"}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    manage(env, "migrate", "--noinput")
    password = uuid.uuid4().hex
    manage(
        env,
        "shell",
        "-c",
        f"from django.contrib.auth.models import User; "
        f"User.objects.create_user('bench-{password[:6]}', password='{password}')",
    )
    username = f"bench-{password[:6]}"
    project_id = manage(env, "create_project", "--owner", username, "--title", "Bench").strip()

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "chatvideo.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                requests.get(f"{base}/accounts/login/", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        session = requests.Session()
        session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
        session.post(
            f"{base}/accounts/login/",
            timeout=TIMEOUT,
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
        )
        csrf = session.cookies["csrftoken"]
        idle_rss = rss_kib(server.pid)

        stream = session.get(f"{base}/{project_id}/events/", stream=True, timeout=TIMEOUT)
        lines = stream.iter_lines(decode_unicode=True)
        submit_ms, answer_ms = [], []
        for i in range(options.messages):
            start = time.perf_counter()
            session.post(
                f"{base}/{project_id}/messages/send/",
                timeout=TIMEOUT,
                headers={"HX-Request": "true"},
                data={
                    "content": f"add a title scene that says Scene {i}",
                    "client_key": str(uuid.uuid4()),
                    "csrfmiddlewaretoken": csrf,
                },
            )
            pending = read_event(lines, "chat", time.monotonic() + TIMEOUT)
            submit_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            session.post(
                f"{base}/{project_id}/messages/{pending['message_id']}/task/",
                headers={"X-CSRFToken": csrf},
                timeout=TIMEOUT,
            )
            while read_event(lines, "chat", time.monotonic() + TIMEOUT)["status"] == "pending":
                pass
            answer_ms.append((time.perf_counter() - start) * 1000)
        stream.close()

        streams = []
        for _ in range(options.streams):
            s = session.get(f"{base}/{project_id}/events/", stream=True, timeout=TIMEOUT)
            next(s.iter_content(chunk_size=64))
            streams.append(s)
        time.sleep(1)
        busy_rss = rss_kib(server.pid)
        for s in streams:
            s.close()

        def summary(values):
            values = sorted(values)
            return (
                f"median {statistics.median(values):.1f} ms, "
                f"p95 {values[int(len(values) * 0.95) - 1]:.1f} ms, max {values[-1]:.1f} ms"
            )

        db = env["DATABASE_URL"].split(":", 1)[0]
        print(f"database: {db}; messages: {options.messages}")
        print(f"submit -> pending id on the stream: {summary(submit_ms)}")
        print(f"task view -> success event:         {summary(answer_ms)}")
        print(
            f"daphne RSS idle: {idle_rss / 1024:.1f} MiB; with {options.streams} open streams: "
            f"{busy_rss / 1024:.1f} MiB "
            f"({(busy_rss - idle_rss) / options.streams:.1f} KiB per stream)"
        )
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT)


if __name__ == "__main__":
    main()
