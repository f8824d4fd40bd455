"""A model that never stops getting its calls wrong: cut after the repair
rounds, every round paid for on the message, and nothing of its refused
answers applied, queued or announced (check_calls ran them only in a
savepoint that was rolled back).
"""

import pytest
from django_tasks_db.models import DBTaskResult

from exports.thumbnails import render_thumbnails
from scenes.models import SceneChange
from tests import test_llm_brains as brains
from tests.helpers import answer, stored_events
from tests.test_llm_brains import ROUNDS, make_scenes

provider = brains.provider
quick_backoff = brains.quick_backoff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_model_that_loops_forever_is_cut_after_two_repairs(provider, owner_client, project):
    make_scenes(project, "One")
    events_before = stored_events(project)
    # The scene made above queued a render; gone, so a new one would be queued.
    thumbnail_renders = DBTaskResult.objects.filter(task_path=render_thumbnails.module_path)
    thumbnail_renders.delete()
    # Each answer adds a scene (fine alone) and then asks for an impossible speed.
    endless = provider.answer(
        tools=[
            ("add_scene", {"props": {"title": "Two"}}),
            ("edit_scene", {"scene_number": 1, "props": {"speed": 99}}),
        ]
    )
    provider.script(*[endless] * 10)

    reply = answer(owner_client, project, "add Two and make scene 1 very fast")

    assert ROUNDS == 3
    assert len(provider.requests) == ROUNDS
    assert reply.status == "error"
    assert reply.error.startswith("Step 2 (edit_scene): The speed must be between")
    assert (reply.input_tokens, reply.output_tokens) == tuple(n * ROUNDS for n in provider.usage)
    assert list(project.scenes.values_list("props__title", "props__speed")) == [("One", 1.0)]
    assert not SceneChange.objects.exists()
    # The refused rounds' added scene queued no thumbnail and told no page.
    assert not thumbnail_renders.exists()
    new_events = stored_events(project)[len(events_before) :]
    assert "scenes" not in [kind for kind, _ in new_events]
