"""The scene-template catalog: every table that knows the templates comes from it."""

import pytest

from assistant.llm.tools import TEMPLATE_HELP
from assistant.offline import vocabulary
from assistant.offline.brain import OfflineBrain
from assistant.words import TEMPLATE_BY_WORD
from scenes.catalog import TEMPLATES
from scenes.render import PLANS, TEMPLATE_LABELS, render_scene_code, scene_props
from scenes.values import template_key


def test_every_table_has_exactly_the_catalogs_templates():
    keys = [template.key for template in TEMPLATES]
    assert list(TEMPLATE_LABELS) == keys
    assert list(PLANS) == keys
    assert list(TEMPLATE_HELP) == keys
    assert list(vocabulary.TEMPLATE_WORDS) == keys
    assert list(vocabulary.NEW_SCENE_PHRASES) == keys


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.key)
def test_each_template_draws_its_example_props(template):
    props = scene_props(template=template.key, **template.example_props)

    code = render_scene_code(props, duration_frames=150, fps=30)

    assert code.lstrip().lower().startswith("<!doctype html>")
    for part in ("title", "subtitle"):
        if props[part]:
            assert props[part] in code
    for item in props["items"]:
        assert item in code


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.key)
def test_each_template_is_known_by_its_label_and_its_words(template):
    assert template_key(template.label) == template.key
    for word in template.words:
        assert TEMPLATE_BY_WORD[word] == template.key


@pytest.mark.django_db
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template.key)
def test_the_offline_brain_adds_each_template_from_its_example_request(template, project):
    from assistant.decision import BrainContext

    context = BrainContext(project=project, scenes=[], history=[], text=template.example_request)

    decision = OfflineBrain().decide(context)

    assert decision.tool == "add_scene"
    assert decision.args["props"]["template"] == template.key
