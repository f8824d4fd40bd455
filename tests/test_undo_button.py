"""The Undo button, clicked as the page renders it: its form is posted as it stands.

The button sends the text "undo", which the orchestrator answers from the
scene history for every brain, so the button undoes the change it sits on even
when that change has scrolled out of the brain's view (more than
HISTORY_LENGTH messages back), even when later messages ran a tool that
changed nothing, and even when the configured brain would fail.

The task view answers in a worker thread with its own connection, so these
tests commit for real (transaction=True).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings

from assistant.undo import NOTHING_TO_REDO
from messages_app.context import HISTORY_LENGTH
from messages_app.models import Message
from scenes.models import SceneChange
from tests.helpers import answer

pytestmark = pytest.mark.django_db(transaction=True)

# Eleven exchanges that change no scene: two run a tool that leaves the scene
# as it is, the rest get a reply and no tool. 22 messages, more than
# HISTORY_LENGTH, so the change the button undoes is out of the brain's view.
NOTHING_CHANGED = [
    "make scene 1 5 seconds long",  # it already lasts 5 seconds
    "what can you do?",
    "change the text of scene 1 to One",  # it already says One
    "delete scene 7",
    "make me a sandwich",
    "what can you do?",
    "make scene 9 red",
    "hello",
    "what can you do?",
    "make me a sandwich",
    "thanks",
]
ADDED = "Added scene 1, a title card reading \u201cOne\u201d, 5 seconds."
# Quoted in the undo's reply, its own quotes become single ones.
ADDED_QUOTED = "\u201cAdded scene 1, a title card reading \u2018One\u2019, 5 seconds.\u201d"


@dataclass
class Form:
    attrs: dict
    inputs: dict = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)
    message_id: str | None = None


class FormParser(HTMLParser):
    """Every <form> of a fragment: its attributes, inputs, button texts and message."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.message_id: str | None = None
        self.form: Form | None = None
        self.button: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.message_id = attrs.get("data-message-id")
        elif tag == "form":
            self.form = Form(attrs, message_id=self.message_id)
            self.forms.append(self.form)
        elif tag == "input" and self.form is not None:
            self.form.inputs[attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self.form is not None:
            self.button = []

    def handle_data(self, data):
        if self.button is not None:
            self.button.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self.button is not None and self.form is not None:
            self.form.buttons.append("".join(self.button).strip())
            self.button = None
        elif tag == "form":
            self.form = None


def undo_button(client: Client, project, label: str = "Undo") -> Form:
    """The one Undo form in the chat, as the page renders it, labelled as what it does."""
    response = client.get(f"/{project.id}/messages/")
    assert response.status_code == 200
    parser = FormParser()
    parser.feed(response.content.decode())
    (form,) = [form for form in parser.forms if {"Undo", "Redo"} & set(form.buttons)]
    assert form.buttons == [label]
    return form


def click(client: Client, form: Form):
    """Submit the form the way htmx does: POST its fields to its hx-post URL."""
    assert form.attrs["method"] == "post"
    assert form.attrs["hx-post"] == form.attrs["action"]
    return client.post(form.attrs["action"], form.inputs, headers={"HX-Request": "true"})


def scenes(project) -> list[tuple]:
    return list(
        project.scenes.order_by("order").values_list(
            "id", "order", "name", "duration_frames", "code", "props"
        )
    )


@pytest.fixture
def csrf_client(owner) -> Client:
    """A client that checks CSRF like a browser's session, so the form's token must be right."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


def press_undo(client: Client, project, label: str = "Undo") -> Message:
    """Click the Undo (or Redo) button, then run the reply the page would trigger."""
    form = undo_button(client, project, label)
    rows = Message.objects.count()
    assert click(client, form).status_code == 200
    assert Message.objects.count() == rows + 2
    reply = Message.objects.filter(project=project, role="assistant").latest("seq")
    assert reply.in_reply_to.content == label.lower()
    # The pending reply's partial posts to the task view, with the page's
    # X-CSRFToken header (base.html's hx-headers).
    response = client.post(
        f"/{project.id}/messages/{reply.id}/task/",
        headers={"HX-Request": "true", "X-CSRFToken": form.inputs["csrfmiddlewaretoken"]},
    )
    assert response.status_code == 200, response.content
    reply.refresh_from_db()
    return reply


@pytest.mark.parametrize("brain", ["offline", "tests.brains.BrokenBrain"])
def test_the_undo_button_undoes_a_change_far_back_and_redoes_it(
    owner_client, csrf_client, project, brain
):
    added = answer(owner_client, project, "add a title scene that says One")
    after_add = scenes(project)
    for text in NOTHING_CHANGED:
        reply = answer(owner_client, project, text)
        assert reply.status == "success", (text, reply.error)
    assert SceneChange.objects.filter(message__project=project).count() == 1
    assert Message.objects.filter(project=project, seq__gt=added.seq).count() > HISTORY_LENGTH
    assert scenes(project) == after_add
    form = undo_button(csrf_client, project)
    assert form.message_id == str(added.id)
    assert form.inputs["content"] == "undo"

    # The brain is never asked: BrokenBrain would end the reply in error.
    with override_settings(CHATVIDEO_BRAIN=brain):
        undone = press_undo(csrf_client, project)

        assert (undone.status, undone.tool) == ("success", "undo"), undone.error
        assert undone.content == f"Undid: {ADDED_QUOTED}"
        assert scenes(project) == []
        # The button has moved to the undo, says "Redo", and pressing it redoes the add.
        redo = undo_button(csrf_client, project, "Redo")
        assert redo.message_id == str(undone.id)
        # It sends what it says, "redo", and the orchestrator answers that from
        # the history for every brain (BrokenBrain is never asked).
        assert redo.inputs["content"] == "redo"

        redone = press_undo(csrf_client, project, "Redo")

    assert (redone.status, redone.tool) == ("success", "undo"), redone.error
    assert redone.content == f"Redid: {ADDED_QUOTED}"
    assert scenes(project) == after_add


def test_the_undo_button_restores_a_deleted_scene_without_asking_the_brain(
    owner_client, csrf_client, project
):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "add a title scene that says Two in orange")
    before_delete = scenes(project)
    deleted = answer(owner_client, project, "delete scene 1")
    answer(owner_client, project, "what can you do?")

    with override_settings(CHATVIDEO_BRAIN="tests.brains.BrokenBrain"):
        reply = press_undo(csrf_client, project)

    assert (reply.status, reply.tool) == ("success", "undo"), reply.error
    quoted = deleted.content.replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    assert reply.content == f"Undid: \u201c{quoted}\u201d"
    assert deleted.content.startswith("Deleted scene 1")
    assert scenes(project) == before_delete


def test_redo_with_nothing_undone_says_so_without_asking_the_brain(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")
    before = scenes(project)

    with override_settings(CHATVIDEO_BRAIN="tests.brains.BrokenBrain"):
        reply = answer(owner_client, project, "redo")

    assert (reply.status, reply.tool) == ("success", ""), reply.error
    assert reply.content == NOTHING_TO_REDO
    assert scenes(project) == before
