"""Reply runners, shared fairly between users.

A process answers at most ``runners`` replies at once, and one user at most
``per_user`` of them. The rest wait in a queue per user, first in, first out;
a runner that comes free goes to the waiting user whose turn came longest ago
(round robin), so one user's pile of slow replies cannot hold up another
user's reply. The limits hold per process: with several daphne processes a
user may have ``per_user`` replies running in each.
"""

import os
import threading
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass
class _Job:
    key: Hashable
    fn: Callable[..., Any]
    args: tuple
    future: Future


class FairRunners:
    """A thread pool with a cap per user and round-robin turns between users."""

    def __init__(self, runners: int, per_user: int) -> None:
        if runners < 1 or per_user < 1:
            raise ValueError("runners and per_user must be at least 1")
        self.runners = runners
        self.per_user = per_user
        self._pool = ThreadPoolExecutor(runners, thread_name_prefix="reply")
        self._lock = threading.Lock()
        self._waiting: dict[Hashable, deque[_Job]] = {}  # in order of arrival
        self._running: dict[Hashable, int] = {}
        self._last_turn: dict[Hashable, int] = {}
        self._turns = 0
        self._keys: set[Hashable] = set()  # jobs waiting or running

    def submit(self, user: Hashable, key: Hashable, fn: Callable[..., Any], *args) -> Future | None:
        """Run fn(*args) in the user's turn; None if a job with this key is already here.

        The key (a message id) makes a repeat trigger for a reply that is
        already waiting or running a no-op, as a second claim would be.
        """
        future: Future = Future()
        # Running from the start, so it cannot be cancelled: the request that
        # asked for it may go away (a closed tab), but the reply is still
        # answered and reaches open pages as an event.
        future.set_running_or_notify_cancel()
        with self._lock:
            if key in self._keys:
                return None
            self._keys.add(key)
            self._waiting.setdefault(user, deque()).append(_Job(key, fn, args, future))
            self._start_what_fits()
        return future

    def running(self, user: Hashable) -> int:
        with self._lock:
            return self._running.get(user, 0)

    def waiting(self, user: Hashable) -> int:
        with self._lock:
            return len(self._waiting.get(user, ()))

    def _start_what_fits(self) -> None:
        """Hand free runners to waiting jobs (called with the lock held)."""
        while sum(self._running.values()) < self.runners:
            user = self._next_user()
            if user is None:
                return
            queue = self._waiting[user]
            job = queue.popleft()
            if not queue:
                del self._waiting[user]
            self._running[user] = self._running.get(user, 0) + 1
            self._turns += 1
            self._last_turn[user] = self._turns
            self._pool.submit(self._run, user, job)

    def _next_user(self) -> Hashable | None:
        """The waiting user under the cap whose last turn is oldest (never: first)."""
        eligible = [u for u in self._waiting if self._running.get(u, 0) < self.per_user]
        if not eligible:
            return None
        # min() keeps the first of equals, and _waiting is in order of arrival.
        return min(eligible, key=lambda u: self._last_turn.get(u, 0))

    def _run(self, user: Hashable, job: _Job) -> None:
        try:
            result = job.fn(*job.args)
        except BaseException as exc:  # the caller awaiting the future gets it
            outcome: tuple[bool, Any] = (False, exc)
        else:
            outcome = (True, result)
        with self._lock:
            self._keys.discard(job.key)
            self._running[user] -= 1
            if not self._running[user]:
                del self._running[user]
                if user not in self._waiting:
                    self._last_turn.pop(user, None)  # nothing left: forget them
            self._start_what_fits()
        ok, value = outcome
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)


_reply_runners: tuple[tuple, FairRunners] | None = None
_reply_runners_lock = threading.Lock()


def reply_runners() -> FairRunners:
    """The threads replies are answered in, shared fairly between users.

    Off the event loop and off the one thread Django gives sync views, so a
    slow brain holds up neither pages nor streams; a pool of its own, so slow
    replies cannot starve anything else that uses threads. Its threads are not
    tied to a connection: a closed tab still gets its reply. One pool per
    process: a process forked after the pool ran (daphne in the live-server
    tests) would inherit a pool whose threads do not exist in it.
    """
    global _reply_runners
    config = (
        os.getpid(),
        settings.CHATVIDEO_REPLY_RUNNERS,
        settings.CHATVIDEO_REPLIES_PER_USER,
    )
    # Requests may arrive on several threads at once (the test client's).
    with _reply_runners_lock:
        if _reply_runners is None or _reply_runners[0] != config:
            _reply_runners = (config, FairRunners(*config[1:]))
        return _reply_runners[1]
