"""A real Pushpin in front of a daphne, from the repo's own config (deploy/pushpin/).

Its ports, run directory and signing key are replaced with free ports, a
temporary directory and a fresh random key, so it runs next to anything else
on the machine. Used by the Pushpin tests and by benchmarks/streams_scale.py.
"""

import configparser
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "deploy" / "pushpin" / "pushpin.conf"


def pushpin_or_skip() -> str:
    """The pushpin binary; skips the caller's tests without it (fails them under CI=true)."""
    binary = shutil.which("pushpin")
    if binary is None:
        reason = "pushpin is missing; install it with: ./scripts/ensure-pushpin"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the Pushpin tests: {reason}")
        pytest.skip(reason)
    return binary


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_key() -> str:
    return secrets.token_urlsafe(32)


def grip_url(control_port: int, key: str) -> str:
    """GRIP_URL for a Pushpin with this control port and signing key."""
    return f"http://127.0.0.1:{control_port}?iss=pushpin&key={key}"


class Pushpin:
    """pushpin routing to `targets` ("host:port", ...); stop() ends it and removes its files."""

    def __init__(
        self,
        targets: list[str],
        key: str | None = None,
        control_port: int | None = None,
        push_port: int | None = None,
        binary: str = "pushpin",
        log_level: int = 2,
    ) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="chatvideo-pushpin-"))
        self.targets = targets
        self.key = key or new_key()
        self.http_port = free_port()
        self.control_port = control_port or free_port()
        # Its ZeroMQ PULL socket for publishes (PUSHPIN_PUSH_SPEC).
        self.push_spec = f"tcp://127.0.0.1:{push_port or free_port()}"
        config = configparser.RawConfigParser()
        config.optionxform = str  # keep the keys as written
        config.read(CONFIG)
        config["global"]["rundir"] = str(self.dir)
        config["runner"]["logdir"] = str(self.dir)
        # At 2 (info) the tests read which channels it subscribed; the
        # benchmarks run it at the config's 1, which does not log every request.
        config["runner"]["log_level"] = str(log_level)
        config["runner"]["http_port"] = str(self.http_port)
        config["proxy"]["routesfile"] = str(self.dir / "routes")
        config["proxy"]["sig_key"] = self.key
        config["handler"]["push_in_http_port"] = str(self.control_port)
        config["handler"]["push_in_spec"] = self.push_spec
        for name in ("push_in_sub_specs", "command_spec"):
            config["handler"][name] = f"tcp://127.0.0.1:{free_port()}"
        with open(self.dir / "pushpin.conf", "w") as file:
            config.write(file)
        (self.dir / "routes").write_text(f"* {','.join(targets)}\n")
        with open(self.dir / "pushpin.out", "wb") as out:
            self.process = subprocess.Popen(
                [binary, "--config", str(self.dir / "pushpin.conf"), "--merge-output"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_listening([self.http_port, self.control_port])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def grip_url(self) -> str:
        return grip_url(self.control_port, self.key)

    def _wait_until_listening(self, ports: list[int], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        for port in ports:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"pushpin exited: {self.log()}")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        log = self.log()
                        self.stop()
                        raise RuntimeError(f"pushpin did not listen on {port}: {log}") from None
                    time.sleep(0.1)
        # Listening is not yet proxying: wait until a request comes back from
        # the other side (any status of daphne's; Pushpin's own 502 is not one).
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=2) as sock:
                    sock.sendall(b"GET /accounts/login/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if not sock.recv(100).startswith(b"HTTP/1.1 502"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                log = self.log()
                self.stop()
                raise RuntimeError(f"pushpin did not reach {self.targets}: {log}")
            time.sleep(0.2)

    def log(self) -> str:
        try:
            return (self.dir / "pushpin.out").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
