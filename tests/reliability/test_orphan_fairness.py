"""The orphan-reply worker keeps the reply runners' rules: a cap per user, FIFO per user.

A reply's fallback task (messages_app/tasks.py) runs on a `manage.py
db_worker` a few seconds after its submit. Here a user's runners are "busy"
when the test holds two claims with live leases, as a daphne in the middle
of two slow replies would; real db_worker processes (tests/exports_support.py)
then run the fallback tasks. The last test reproduces the gap as found: one
user's slow replies on a real daphne, with a worker running beside it.
"""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messages_app.claim import claim_message
from messages_app.models import Message
from messages_app.recover import give_up_stale_replies
from messages_app.reply import answer_claimed
from messages_app.retry import reopen_reply
from messages_app.tasks import WAITING, answer_orphan_reply
from projects.models import Project
from tests.exports_support import Worker, wait_for
from tests.helpers import send
from tests.live import TIMEOUT, LiveServerTestCase
from tests.reliability import test_fair_runners as fair
from tests.reliability.test_export_worker import start_worker  # noqa: F401 - a fixture

ORPHAN_TASK = "messages_app.tasks.answer_orphan_reply"


@pytest.fixture
def quick_fallback(settings):
    """Fallback tasks run a second after each submit (and look again every second)."""
    settings.CHATVIDEO_ORPHAN_REPLY_SECONDS = 1


def reply_to(client, project: Project, text: str) -> Message:
    """Send a message as the page does, and never call its task (the tab closed)."""
    send(client, project, text)
    return Message.objects.filter(project=project, role="assistant").latest("seq")


def orphan_tasks(reply: Message):
    """The reply's fallback tasks: the one its submit queued and any it queued itself."""
    return DBTaskResult.objects.filter(task_path=ORPHAN_TASK, args_kwargs__args__0=reply.id)


def looks_again(reply: Message):
    """The tasks the reply's fallback queued itself (they carry when it became pending)."""
    return orphan_tasks(reply).filter(args_kwargs__args__1__isnull=False)


def titles(project: Project) -> list[str]:
    return list(project.scenes.order_by("order").values_list("props__title", flat=True))


def two_running_and_a_third(client, project: Project) -> tuple[Message, Message, Message]:
    """The owner's replies: the first two claimed (running, leases live), a third waiting."""
    first = reply_to(client, project, "add a title scene that says One")
    second = reply_to(client, project, "add a title scene that says Two")
    claim_message(first.id)
    claim_message(second.id)
    first.refresh_from_db()
    second.refresh_from_db()
    third = reply_to(client, project, "add a title scene that says Three")
    return first, second, third


def state(reply: Message) -> tuple[str, bool]:
    """(status, claimed): what the reply's row says now."""
    reply.refresh_from_db()
    return reply.status, reply.claimed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_worker_waits_while_the_users_runners_are_busy_then_answers_in_turn(
    owner_client,
    project,
    outsider,
    outsider_client,
    quick_fallback,
    start_worker,  # noqa: F811
):
    # Two of Alice's replies are running (claimed, leases live); her third waits.
    first, second, third = two_running_and_a_third(owner_client, project)
    tokens = [first.claim_token, second.claim_token]
    # Bob has nothing running, and closed his tab right after sending.
    bobs_project = Project.objects.create(owner=outsider, title="Bob's video")
    bobs = reply_to(outsider_client, bobs_project, "add a title scene that says Bob")

    worker = start_worker()

    wait_for(lambda: state(bobs)[0] != "pending", 60, "the worker to answer Bob's reply")
    assert bobs.status == "success", f"{bobs.error}\n{worker.output()}"
    assert titles(bobs_project) == ["Bob"]
    wait_for(
        lambda: orphan_tasks(third).filter(status="SUCCESSFUL", return_value=WAITING).exists(),
        60,
        "the worker to look at Alice's third reply",
    )
    # It did not take her third reply while her two were running...
    assert state(third) == ("pending", False)
    assert titles(project) == []
    # ...and will look again: the loop goes on in the queue, not in the worker.
    assert looks_again(third).filter(status__in=["READY", "RUNNING"]).exists()

    # Her runners finish; the worker answers the third, after them.
    for reply, token in zip([first, second], tokens, strict=True):
        assert answer_claimed(reply.id, token).status == "success"
    wait_for(lambda: state(third)[0] != "pending", 60, "the worker to answer the third reply")
    assert third.status == "success", f"{third.error}\n{worker.output()}"
    assert titles(project) == ["One", "Two", "Three"]


@pytest.mark.django_db(transaction=True)
def test_the_users_oldest_waiting_reply_is_answered_first(owner_client, project, quick_fallback):
    first, second, third = (
        reply_to(owner_client, project, f"add a title scene that says {word}")
        for word in ["One", "Two", "Three"]
    )
    before = timezone.now()

    # The third's task happens to run first (a worker picks whatever is due).
    assert answer_orphan_reply.call(third.id) == WAITING

    assert [state(r)[0] for r in (first, second, third)] == ["success", "pending", "pending"]
    assert titles(project) == ["One"]
    # The third looks again at once: it is next in line but one.
    again = looks_again(third).get()
    assert before <= again.run_after <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_reply_whose_runner_died_is_taken_over_first(owner_client, project, settings):
    first, second, third = two_running_and_a_third(owner_client, project)
    # The daphne running the first two died; their leases ran out since.
    lease = timedelta(seconds=settings.CHATVIDEO_CLAIM_LEASE_SECONDS + 1)
    Message.objects.filter(id__in=[first.id, second.id]).update(claimed_at=timezone.now() - lease)

    assert answer_orphan_reply.call(third.id) == WAITING

    assert [state(r)[0] for r in (first, second, third)] == ["success", "pending", "pending"]
    assert titles(project) == ["One"]


@pytest.mark.django_db(transaction=True)
def test_at_the_cap_it_looks_again_later_without_claiming(owner_client, project, quick_fallback):
    first, second, third = two_running_and_a_third(owner_client, project)
    before = timezone.now()

    assert answer_orphan_reply.call(third.id) == WAITING

    assert state(third) == ("pending", False)
    again = looks_again(third).get()
    assert before + timedelta(seconds=1) <= again.run_after <= timezone.now() + timedelta(seconds=1)
    assert again.priority == answer_orphan_reply.priority  # still ahead of exports


@pytest.mark.django_db(transaction=True)
def test_the_checks_stop_once_the_reply_is_given_up_or_retried(owner_client, project, settings):
    first, second, third = two_running_and_a_third(owner_client, project)
    assert answer_orphan_reply.call(third.id) == WAITING
    [looking_again] = looks_again(third)
    episode = looking_again.args_kwargs["args"][1]

    # Past the hard limit: recover_messages gives up on it, and so does the task.
    long_ago = timezone.now() - timedelta(seconds=settings.CHATVIDEO_HARD_LIMIT_SECONDS + 1)
    Message.objects.filter(id=third.id).update(pending_since=long_ago)
    assert answer_orphan_reply.call(third.id) is None
    assert give_up_stale_replies() == [third.id]
    assert answer_orphan_reply.call(third.id, episode) is None

    # Retried: the retry queued a task of its own; the old one stops.
    assert reopen_reply(third)
    assert answer_orphan_reply.call(third.id, episode) is None
    assert state(third) == ("pending", False)
    # Nothing above queued another look.
    assert looks_again(third).count() == 1


# --- Beside a real daphne ------------------------------------------------------------


@override_settings(
    CHATVIDEO_BRAIN="tests.reliability.test_fair_runners.TimedBrain",
    CHATVIDEO_REPLY_RUNNERS=8,
    CHATVIDEO_REPLIES_PER_USER=2,
    CHATVIDEO_MESSAGES_PER_MINUTE=0,
    CHATVIDEO_ORPHAN_REPLY_SECONDS=1,
)
class OrphanWorkerBesideDaphneTests(LiveServerTestCase):
    project_of = fair.FairRunnersLiveTests.project_of
    send = fair.FairRunnersLiveTests.send
    run_task = fair.FairRunnersLiveTests.run_task
    call_tasks_at_once = fair.FairRunnersLiveTests.call_tasks_at_once

    def start_worker(self) -> Worker:
        log = Path(tempfile.mkdtemp()) / "worker.log"
        worker = Worker(log, CHATVIDEO_BRAIN="tests.reliability.test_fair_runners.TimedBrain")
        self.addCleanup(worker.stop)
        return worker

    def test_the_worker_does_not_take_replies_from_a_users_queue_in_daphne(self) -> None:
        bob, bob_url = self.project_of("bob")
        worker = self.start_worker()
        # Bob's tab closed after sending: the worker answers him (and is up).
        bobs = self.send(bob, bob_url, "add a title scene that says Bob")
        wait_for(lambda: state(bobs)[0] != "pending", 60, "the worker to answer Bob")
        self.assertEqual(bobs.status, "success", worker.output())

        ann, ann_url = self.project_of("ann")
        slow = [self.send(ann, ann_url, f"slow: add a title scene that says {n}") for n in range(6)]
        threads, statuses = self.call_tasks_at_once(ann, ann_url, slow)
        for thread in threads:
            thread.join(10 * TIMEOUT)

        # Daphne answered every one of Ann's replies itself, two at a time: a
        # reply the worker had claimed from its queue would have come back 204.
        self.assertEqual(statuses, [200] * 6)
        answered = Message.objects.filter(id__in=[r.id for r in slow], status="success")
        self.assertEqual(answered.count(), 6)
        # The worker did look at the waiting ones, and left them to daphne.
        looked = DBTaskResult.objects.filter(
            task_path=ORPHAN_TASK,
            status="SUCCESSFUL",
            args_kwargs__args__0__in=[r.id for r in slow],
        )
        self.assertTrue(looked.filter(return_value=WAITING).exists(), worker.output())
        self.assertFalse(looked.filter(return_value="success").exists())
