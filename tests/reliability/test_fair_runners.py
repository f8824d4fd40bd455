"""Reply runners are shared fairly: one user's slow replies cannot hold up another's.

The scheduler (messages_app/runners.py) is tested directly with jobs that
wait until the test lets them finish; then a real daphne answers one user's
eight slow replies and another user's fast one, as the issue found it.
"""

import queue
import threading
import time

import pytest
import requests
from django.contrib.auth.models import User
from django.test import override_settings

from assistant.decision import BrainContext, Decision
from assistant.offline.brain import OfflineBrain
from messages_app.models import Message
from messages_app.runners import FairRunners
from projects.models import Project
from tests.helpers import PASSWORD
from tests.live import TIMEOUT, LiveServerTestCase, login, post_message


class Jobs:
    """Jobs that note when they start and finish only when released."""

    def __init__(self) -> None:
        self.started: queue.Queue[str] = queue.Queue()
        self.order: list[str] = []
        self.releases: dict[str, threading.Event] = {}

    def job(self, name: str):
        self.releases[name] = threading.Event()

        def run() -> str:
            self.started.put(name)
            assert self.releases[name].wait(TIMEOUT), f"{name} was never released"
            return f"{name} done"

        return run

    def wait_started(self, count: int) -> list[str]:
        """Wait until count more jobs started; returns all started so far."""
        for _ in range(count):
            self.order.append(self.started.get(timeout=TIMEOUT))
        return self.order

    def nothing_else_started(self) -> bool:
        time.sleep(0.1)
        return self.started.empty()

    def release(self, name: str) -> None:
        self.releases[name].set()


@pytest.fixture
def jobs():
    jobs = Jobs()
    yield jobs
    for event in jobs.releases.values():
        event.set()


def submit(runners: FairRunners, jobs: Jobs, user: str, name: str):
    return runners.submit(user, name, jobs.job(name))


def test_one_user_runs_at_most_their_cap_at_once(jobs):
    runners = FairRunners(runners=4, per_user=2)
    for n in range(1, 5):
        submit(runners, jobs, "ann", f"a{n}")

    assert jobs.wait_started(2) == ["a1", "a2"]
    assert jobs.nothing_else_started()
    assert (runners.running("ann"), runners.waiting("ann")) == (2, 2)

    jobs.release("a1")
    assert jobs.wait_started(1) == ["a1", "a2", "a3"]


def test_a_users_replies_start_in_the_order_they_were_sent(jobs):
    runners = FairRunners(runners=1, per_user=1)
    names = [f"a{n}" for n in range(1, 6)]
    for name in names:
        submit(runners, jobs, "ann", name)

    for name in names:
        jobs.wait_started(1)
        jobs.release(name)

    assert jobs.order == names


def test_a_free_runner_goes_to_the_user_whose_turn_is_oldest(jobs):
    runners = FairRunners(runners=2, per_user=2)
    for n in range(1, 7):
        submit(runners, jobs, "ann", f"a{n}")
    submit(runners, jobs, "bob", "b1")
    submit(runners, jobs, "bob", "b2")
    submit(runners, jobs, "cat", "c1")
    assert jobs.wait_started(2) == ["a1", "a2"]

    # Release whatever started first, one at a time.
    for name in ["a1", "a2", "b1", "c1", "a3", "b2", "a4"]:
        jobs.release(name)
        jobs.wait_started(1)

    # Ann sent six before Bob and Cat sent anything, yet they take turns.
    assert jobs.order == ["a1", "a2", "b1", "c1", "a3", "b2", "a4", "a5", "a6"][: len(jobs.order)]
    assert len(jobs.order) == 9


def test_another_users_reply_starts_at_once_beside_a_capped_user(jobs):
    runners = FairRunners(runners=8, per_user=2)
    for n in range(1, 9):
        submit(runners, jobs, "ann", f"a{n}")
    jobs.wait_started(2)

    future = submit(runners, jobs, "bob", "b1")

    assert jobs.wait_started(1)[-1] == "b1"
    jobs.release("b1")
    assert future.result(timeout=TIMEOUT) == "b1 done"
    assert runners.waiting("ann") == 6


def test_a_reply_already_waiting_or_running_is_not_queued_twice(jobs):
    runners = FairRunners(runners=1, per_user=1)
    first = submit(runners, jobs, "ann", "a1")
    jobs.wait_started(1)

    assert runners.submit("ann", "a1", jobs.job("again")) is None
    assert runners.submit("bob", "a1", jobs.job("again")) is None

    jobs.release("a1")
    assert first.result(timeout=TIMEOUT) == "a1 done"
    # Once it has finished, the same key may run again (a retried reply).
    again = runners.submit("ann", "a1", lambda: "ran again")
    assert again.result(timeout=TIMEOUT) == "ran again"


def test_a_queued_reply_still_runs_when_its_caller_goes_away(jobs):
    runners = FairRunners(runners=1, per_user=1)
    submit(runners, jobs, "ann", "a1")
    waiting = submit(runners, jobs, "ann", "a2")

    assert not waiting.cancel()  # a closed tab cannot cancel it
    jobs.wait_started(1)
    jobs.release("a1")
    jobs.wait_started(1)
    jobs.release("a2")
    assert waiting.result(timeout=TIMEOUT) == "a2 done"


def test_a_failing_job_reaches_its_caller_and_frees_its_runner():
    runners = FairRunners(runners=1, per_user=1)

    def broken() -> None:
        raise RuntimeError("the brain fell over")

    failed = runners.submit("ann", 1, broken)
    after = runners.submit("ann", 2, lambda: "next")

    with pytest.raises(RuntimeError, match="fell over"):
        failed.result(timeout=TIMEOUT)
    assert after.result(timeout=TIMEOUT) == "next"
    assert runners.running("ann") == 0


def test_it_refuses_a_pool_without_runners():
    with pytest.raises(ValueError):
        FairRunners(runners=0, per_user=2)
    with pytest.raises(ValueError):
        FairRunners(runners=8, per_user=0)


# --- Against a real daphne --------------------------------------------------------

SLOW_SECONDS = 2.0
FAST_SECONDS = 0.2


class TimedBrain(OfflineBrain):
    """The offline brain, taking as long as a slow or a fast model would."""

    def decide(self, context: BrainContext) -> Decision:
        time.sleep(SLOW_SECONDS if "slow" in context.text else FAST_SECONDS)
        return super().decide(context)


@override_settings(
    CHATVIDEO_BRAIN="tests.reliability.test_fair_runners.TimedBrain",
    CHATVIDEO_REPLY_RUNNERS=8,
    CHATVIDEO_REPLIES_PER_USER=2,
    CHATVIDEO_MESSAGES_PER_MINUTE=0,
)
class FairRunnersLiveTests(LiveServerTestCase):
    def project_of(self, username: str) -> tuple[requests.Session, str]:
        user = User.objects.create_user(username, password=PASSWORD)
        project = Project.objects.create(owner=user, title=f"{username}'s video")
        session = login(self.live_server_url, username)
        self.addCleanup(session.close)
        return session, f"{self.live_server_url}/{project.id}"

    def send(self, session: requests.Session, project_url: str, text: str) -> Message:
        response = post_message(session, project_url, text)
        self.assertEqual(response.status_code, 200, response.text[:300])
        return Message.objects.filter(role="assistant").latest("id")

    def run_task(self, session: requests.Session, project_url: str, reply: Message) -> int:
        """POST the task view as the pending partial does; it answers when the reply is done."""
        with requests.Session() as own:  # one per thread
            own.cookies.update(session.cookies)
            response = own.post(
                f"{project_url}/messages/{reply.id}/task/",
                headers={"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"]},
                timeout=10 * TIMEOUT,
            )
        return response.status_code

    def call_tasks_at_once(
        self, session: requests.Session, project_url: str, replies: list[Message]
    ) -> tuple[list[threading.Thread], list[int]]:
        """Each reply's task call on a thread of its own, as its open tab would make it."""
        statuses: list[int] = []
        threads = [
            threading.Thread(
                target=lambda r=r: statuses.append(self.run_task(session, project_url, r))
            )
            for r in replies
        ]
        for thread in threads:
            thread.start()
        return threads, statuses

    def test_one_users_slow_replies_do_not_hold_up_another_users_fast_one(self) -> None:
        ann, ann_url = self.project_of("ann")
        bob, bob_url = self.project_of("bob")
        slow = [self.send(ann, ann_url, f"slow: add a title scene that says {n}") for n in range(8)]
        threads, statuses = self.call_tasks_at_once(ann, ann_url, slow)
        self.addCleanup(lambda: [thread.join(10 * TIMEOUT) for thread in threads])
        # Two are being answered; the other six reach daphne's queue meanwhile.
        claimed = Message.objects.filter(id__in=[r.id for r in slow], claimed_at__isnull=False)
        self.wait_for(lambda: claimed.count() >= 2)
        time.sleep(0.5)

        fast = self.send(bob, bob_url, "add a title scene that says Hello")
        started = time.monotonic()
        status = self.run_task(bob, bob_url, fast)
        took = time.monotonic() - started

        self.assertEqual(status, 200)
        fast.refresh_from_db()
        self.assertEqual(fast.status, "success")
        # About its own time, not behind one of Ann's (SLOW_SECONDS) or all of them.
        self.assertLess(took, FAST_SECONDS + SLOW_SECONDS / 2, f"Bob waited {took:.2f}s")
        self.assertGreaterEqual(
            Message.objects.filter(id__in=[r.id for r in slow], status="pending").count(), 6
        )
        # Ann's replies are all answered in the end, two at a time.
        for thread in threads:
            thread.join(10 * TIMEOUT)
        self.assertEqual(statuses, [200] * 8)
        self.assertEqual(
            Message.objects.filter(id__in=[r.id for r in slow], status="success").count(), 8
        )

    def wait_for(self, condition) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not condition():
            self.assertLess(time.monotonic(), deadline, "timed out")
            time.sleep(0.05)
