"""Hostile input gets a clear 4xx and writes nothing, on every endpoint."""

import contextlib
import uuid
from io import StringIO
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messages_app.models import Message
from projects.models import Project
from scenes.models import Scene
from scenes.tools import add_scene
from tests.conftest import PASSWORD, send

HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def database_state() -> tuple:
    return (
        list(Project.objects.order_by("id").values()),
        list(Message.objects.order_by("id").values()),
        list(Scene.objects.order_by("id").values()),
    )


@pytest.fixture
def world(owner, outsider, owner_client, project):
    """A project with a finished reply, a user message and a scene, plus an outsider's."""
    call_command("chat", str(project.id), "add a title scene that says Hi", stdout=StringIO())
    theirs = Project.objects.create(owner=outsider, title="Not yours")
    send(Client(), theirs, "x")  # anonymous: refused, nothing written
    their_client = Client()
    their_client.force_login(outsider)
    send(their_client, theirs, "add a title scene that says Secret")
    return {
        "mine": project,
        "theirs": theirs,
        "finished": Message.objects.get(project=project, role="assistant"),
        "user_message": Message.objects.get(project=project, role="user"),
        "their_pending": Message.objects.get(project=theirs, role="assistant"),
        "scene": project.scenes.get(),
        "their_scene": add_scene(theirs, props={"title": "Secret"}),
    }


blank_or_huge = st.one_of(
    st.text(alphabet=" \t\r\n\u00a0\u2003", max_size=20),
    st.text(min_size=4001, max_size=4100),
)
junk = st.one_of(st.text(max_size=50), st.integers().map(str), st.just(""))


@HYPOTHESIS
@given(content=blank_or_huge, key=st.one_of(junk, st.uuids().map(str)))
def test_submit_refuses_blank_or_oversized_text(world, owner_client, content, key):
    before = database_state()

    response = send(owner_client, world["mine"], content, key=key or None)

    assert response.status_code == 422
    assert database_state() == before


@HYPOTHESIS
@given(content=st.text(max_size=100), key=junk)
def test_submit_to_someone_elses_project_is_404(world, owner_client, content, key):
    before = database_state()

    response = send(owner_client, world["theirs"], content, key=key)

    assert response.status_code == 404
    assert database_state() == before


@HYPOTHESIS
@given(
    target=st.sampled_from(["finished", "user_message", "their_pending", "random"]),
    random_id=st.integers(min_value=10**6, max_value=2**62),
    project_of=st.sampled_from(["mine", "theirs", "random"]),
)
def test_task_calls_that_must_not_run_do_not(world, owner_client, target, random_id, project_of):
    message_id = random_id if target == "random" else world[target].id
    project_id = random_id if project_of == "random" else world[project_of].id
    before = database_state()

    response = owner_client.post(f"/{project_id}/messages/{message_id}/task/")

    assert 400 <= response.status_code < 500
    assert database_state() == before


@HYPOTHESIS
@given(
    path=st.sampled_from(
        [
            "/{mine}/messages/send/",
            "/{mine}/messages/{finished}/task/",
            "/{mine}/messages/",
            "/{mine}/scenes/",
            "/{mine}/events/",
            "/{mine}/scenes/{scene}/frame/",
        ]
    ),
    method=st.sampled_from(["put", "patch", "delete"]),
)
def test_wrong_methods_are_refused(world, owner_client, path, method):
    url = path.format(mine=world["mine"].id, finished=world["finished"].id, scene=world["scene"].id)
    before = database_state()

    response = getattr(owner_client, method)(url)

    assert response.status_code == 405
    assert database_state() == before


@HYPOTHESIS
@given(
    path=st.sampled_from(
        [
            "/{theirs}/",
            "/{theirs}/messages/",
            "/{theirs}/scenes/",
            "/{theirs}/events/",
            "/{theirs}/scenes/{their_scene}/frame/",
            "/{mine}/scenes/{their_scene}/frame/",
            "/{random}/",
            "/{random}/events/",
        ]
    ),
    random_id=st.integers(min_value=10**6, max_value=2**62),
)
def test_other_peoples_things_are_404(world, owner_client, path, random_id):
    url = path.format(
        mine=world["mine"].id,
        theirs=world["theirs"].id,
        their_scene=world["their_scene"].id,
        random=random_id,
    )

    assert owner_client.get(url).status_code == 404


@HYPOTHESIS
@given(segment=st.text(min_size=1, max_size=30).filter(lambda s: not s.isdigit()))
def test_malformed_ids_are_404(world, owner_client, segment):
    response = owner_client.get(f"/{quote(segment, safe='')}/messages/")

    assert response.status_code == 404


def test_a_post_without_csrf_token_is_refused(world, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = database_state()

    submit = client.post(
        f"/{world['mine'].id}/messages/send/", {"content": "add a title scene that says X"}
    )
    task = client.post(f"/{world['mine'].id}/messages/{world['finished'].id}/task/")

    assert (submit.status_code, task.status_code) == (403, 403)
    assert database_state() == before


def test_absurd_trim_values_change_nothing(world, owner_client):
    before = list(Scene.objects.values())
    for text in [
        "make scene 1 0 frames long",
        "make scene 1 999999999999 seconds long",
        "make scene 1 11 minutes long",
        "trim scene 1 to -5 frames",
    ]:
        with contextlib.suppress(CommandError):  # raised when the reply ends in error
            call_command("chat", str(world["mine"].id), text, stdout=StringIO())
        reply = Message.objects.filter(role="assistant").latest("seq")
        assert reply.status in ("success", "error")
        assert reply.tool in ("", "trim_scene")
    assert list(Scene.objects.values()) == before


@override_settings(CHATVIDEO_MESSAGES_PER_MINUTE=3)
def test_submits_are_rate_limited_per_user_with_a_clear_message(owner_client, project, owner):
    for i in range(3):
        assert send(owner_client, project, f"message {i}").status_code == 200
    other_project = Project.objects.create(owner=owner, title="Second")

    response = send(owner_client, other_project, "one too many")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "You are sending messages too fast (at most 3 a minute)." in response.content.decode()
    assert Message.objects.count() == 6


def test_login_is_required_for_the_stream(world):
    response = Client().get(f"/{world['mine'].id}/events/")

    assert response.status_code == 302


def test_the_admin_refuses_non_staff(world, owner_client):
    response = owner_client.get("/admin/messages_app/message/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_unknown_login_gets_no_session(world):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD + "x"})

    assert client.get("/").status_code == 302
    assert User.objects.count() == 2


@pytest.mark.parametrize("key", [str(uuid.uuid4())])
def test_a_repeated_key_after_success_is_a_no_op(owner_client, project, key):
    send(owner_client, project, "hello", key=key)
    before = database_state()

    response = send(owner_client, project, "hello", key=key)

    assert response.status_code == 200
    assert database_state() == before
