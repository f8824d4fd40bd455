"""A model's calls are tried (check_calls) while a reply or a scene-list
control changes the same scenes: the trial waits for the project's lock, as
applying does, instead of locking scene rows in its own order and
deadlocking with the change (PostgreSQL then aborts one of them, and the
reply ended in "a server it depends on is not answering").
"""

import threading
import time

import pytest
from django.db import close_old_connections, transaction

from assistant.decision import ToolCall
from projects.models import Project
from scenes.tools import add_scene, check_calls, edit_scene

pytestmark = pytest.mark.django_db(transaction=True)


def test_trying_calls_while_a_change_holds_the_project_does_not_deadlock(project):
    one, two = (add_scene(project, props={"title": t}) for t in ("One", "Two"))
    started = threading.Event()
    failures: list[BaseException] = []

    def control() -> None:
        # A change under the project's lock: scene 2 first, then scene 1.
        try:
            with transaction.atomic():
                locked = Project.objects.select_for_update().get(pk=project.pk)
                edit_scene(locked, scene_id=two.id, props={"title": "Two!"})
                started.set()
                time.sleep(0.6)  # meanwhile the trial below starts
                edit_scene(locked, scene_id=one.id, props={"title": "One!"})
        except BaseException as exc:
            failures.append(exc)
        finally:
            close_old_connections()

    thread = threading.Thread(target=control)
    thread.start()
    assert started.wait(10)

    # Scene 1 first, then scene 2: the other order.
    check_calls(
        project,
        [
            ToolCall("edit_scene", {"scene_id": one.id, "props": {"font": "serif"}}),
            ToolCall("edit_scene", {"scene_id": two.id, "props": {"font": "serif"}}),
        ],
    )
    thread.join()

    assert not failures
    titles = list(project.scenes.order_by("order").values_list("props__title", "props__font"))
    assert titles == [("One!", "sans"), ("Two!", "sans")]
