"""Two pages pressing the scene list's controls at the same moment, in real
threads through the real views (each thread its own connection).

Scene numbers stay 1..n with no number used twice, every change that was
made has its note, and Undo afterwards still leaves the numbers whole. A
control on a scene another page deleted meanwhile says so and changes nothing.
"""

import random
import threading

import pytest
from django.db import close_old_connections
from django.test import Client

from messages_app.models import Message
from messages_app.reply import run_reply
from scenes.tools import add_scene
from tests.helpers import send

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HX-Request": "true"}
PAGES = 3
PRESSES = 8


def orders(project) -> list[int]:
    return list(project.scenes.order_by("order").values_list("order", flat=True))


def press(client: Client, project, scene_id: int, action: str, **data):
    return client.post(f"/{project.id}/scenes/{scene_id}/{action}/", data, headers=HTMX)


def test_pages_pressing_controls_at_once_keep_scene_numbers_whole(owner, project):
    for n in range(6):
        add_scene(project, props={"title": f"Scene {n + 1}"})
    start = threading.Barrier(PAGES)
    outcomes: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def page(seed: int) -> None:
        rng = random.Random(seed)
        client = Client()
        client.force_login(owner)
        try:
            start.wait()
            for _ in range(PRESSES):
                ids = list(project.scenes.values_list("id", flat=True)) or [0]
                action = rng.choice(["move", "move", "duplicate", "delete"])
                position = str(rng.randint(1, 7))
                response = press(client, project, rng.choice(ids), action, position=position)
                outcomes.append((response.status_code, response.content.decode()))
        except BaseException as exc:  # reported in the test's thread
            failures.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=page, args=(seed,)) for seed in range(PAGES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert {status for status, _ in outcomes} <= {200, 400}
    refusals = {text for status, text in outcomes if status == 400}
    # The only refusals: a scene another page deleted, a move to where it
    # already is, or a position past the end.
    for text in refusals:
        assert (
            text == "That scene does not exist any more."
            or text.endswith("is already there; nothing changed.")
            or text.startswith("There is no position")
        ), text
    count = project.scenes.count()
    assert orders(project) == list(range(1, count + 1))
    made = sum(status == 200 for status, _ in outcomes)
    notes = project.messages.filter(role=Message.Role.ASSISTANT, status=Message.Status.SUCCESS)
    assert notes.count() == made
    # Every note has its change, and notes have gap-free places in the chat.
    assert all(note.scene_changes.exists() for note in notes)
    seqs = sorted(project.messages.values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))

    client = Client()
    client.force_login(owner)
    send(client, project, "undo")
    reply = Message.objects.filter(project=project, role="assistant").latest("seq")
    assert run_reply(reply.id).status == "success"
    count = project.scenes.count()
    assert orders(project) == list(range(1, count + 1))


def test_a_control_on_a_scene_another_page_deleted_says_so(owner, owner_client, project):
    scenes = [add_scene(project, props={"title": t}) for t in ("One", "Two", "Three")]
    assert press(owner_client, project, scenes[1].id, "delete").status_code == 200
    notes = project.messages.count()

    for action in ("move", "duplicate", "delete"):
        response = press(owner_client, project, scenes[1].id, action, position="1")
        assert response.status_code == 400
        assert response.content.decode() == "That scene does not exist any more."

    assert project.messages.count() == notes
    assert orders(project) == [1, 2]
