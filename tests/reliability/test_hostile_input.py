"""Hostile input gets a clear 4xx and writes nothing, on every endpoint."""

import uuid
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.offline.replies import REPHRASE
from messages_app.models import Message
from projects.models import Project
from scenes.models import Scene
from scenes.tools import DURATION_BOUNDS, add_scene
from tests.helpers import PASSWORD, run_task, send

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
    their_pending = Message.objects.get(project=theirs, role="assistant")
    # A reply of theirs that ended in error: the one thing Retry would reopen,
    # so a Retry that skipped the owner check would write.
    send(their_client, theirs, "add a title scene that says Failed")
    their_error = Message.objects.filter(project=theirs, role="assistant").latest("seq")
    Message.objects.filter(id=their_error.id).update(status="error", error="boom")
    return {
        "mine": project,
        "theirs": theirs,
        "finished": Message.objects.get(project=project, role="assistant"),
        "user_message": Message.objects.get(project=project, role="user"),
        "their_pending": their_pending,
        "their_error": their_error,
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
            "/{mine}/messages/{finished}/retry/",
            "/{mine}/messages/{finished}/",
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
    call=st.sampled_from(
        [
            ("get", "/{theirs}/"),
            ("get", "/{theirs}/messages/"),
            ("get", "/{theirs}/scenes/"),
            ("get", "/{theirs}/events/"),
            ("get", "/{theirs}/scenes/{their_scene}/frame/"),
            ("get", "/{mine}/scenes/{their_scene}/frame/"),
            ("get", "/{theirs}/messages/{their_pending}/"),
            ("get", "/{mine}/messages/{their_pending}/"),
            ("get", "/{theirs}/messages/{finished}/"),
            ("post", "/{theirs}/messages/{their_error}/retry/"),
            ("post", "/{mine}/messages/{their_error}/retry/"),
            ("post", "/{theirs}/messages/{their_pending}/task/"),
            ("get", "/{random}/"),
            ("get", "/{random}/events/"),
        ]
    ),
    random_id=st.integers(min_value=10**6, max_value=2**62),
)
def test_other_peoples_things_are_404(world, owner_client, call, random_id):
    method, path = call
    url = path.format(
        mine=world["mine"].id,
        theirs=world["theirs"].id,
        finished=world["finished"].id,
        their_scene=world["their_scene"].id,
        their_pending=world["their_pending"].id,
        their_error=world["their_error"].id,
        random=random_id,
    )
    before = database_state()

    response = getattr(owner_client, method)(url, headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert database_state() == before


@HYPOTHESIS
@given(
    endpoint=st.sampled_from(
        [
            ("post", "/{project}/messages/{message}/task/"),
            ("post", "/{project}/messages/{message}/retry/"),
            ("get", "/{project}/messages/{message}/"),
        ]
    ),
    message_id=st.integers(min_value=10**6, max_value=2**62),
    project_of=st.sampled_from(["mine", "theirs", "random"]),
    random_project=st.integers(min_value=10**6, max_value=2**62),
)
def test_unknown_message_ids_are_404(
    world, owner_client, endpoint, message_id, project_of, random_project
):
    method, path = endpoint
    project_id = random_project if project_of == "random" else world[project_of].id
    before = database_state()

    response = getattr(owner_client, method)(
        path.format(project=project_id, message=message_id), headers={"HX-Request": "true"}
    )

    assert response.status_code == 404
    assert database_state() == before


@HYPOTHESIS
@given(target=st.sampled_from(["finished", "user_message"]))
def test_retry_of_a_message_not_in_error_changes_nothing(world, owner_client, target):
    before = database_state()

    response = owner_client.post(
        f"/{world['mine'].id}/messages/{world[target].id}/retry/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 409
    assert database_state() == before


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("make scene 1 0 frames long", DURATION_BOUNDS),
        ("make scene 1 999999999999 seconds long", DURATION_BOUNDS),
        ("make scene 1 11 minutes long", DURATION_BOUNDS),
        ("make scene 1 18001 frames long", DURATION_BOUNDS),
        # Numbers too big for a float (bug 4: once an OverflowError).
        (f"make scene 1 {'9' * 400} seconds long", DURATION_BOUNDS),
        (f"trim scene 1 to {'9' * 400} frames", DURATION_BOUNDS),
        ("trim scene 1 to -5 frames", DURATION_BOUNDS),
        ("make scene 1 -2 seconds long", DURATION_BOUNDS),
    ],
    ids=lambda value: {DURATION_BOUNDS: "bounds", REPHRASE: "rephrase"}.get(
        value, value if len(value) < 60 else f"{value[:20]}...({len(value)} characters)"
    ),
)
def test_absurd_trim_values_change_nothing(world, text, expected):
    before = database_state()[2]

    call_command("chat", str(world["mine"].id), text, stdout=StringIO())

    reply = Message.objects.filter(project=world["mine"], role="assistant").latest("seq")
    assert (reply.status, reply.tool, reply.error) == ("success", "", "")
    assert reply.content == expected
    assert database_state()[2] == before


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

    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD + "x"})

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    page = client.get(f"/{world['mine'].id}/")
    assert page.status_code == 302
    assert page["Location"] == f"/accounts/login/?next=/{world['mine'].id}/"


@pytest.mark.django_db(transaction=True)  # the task view answers in a thread of its own
def test_a_repeated_key_after_success_is_a_no_op(owner_client, project):
    key = str(uuid.uuid4())
    send(owner_client, project, "add a title scene that says Hi", key=key)
    reply = Message.objects.get(project=project, role="assistant")
    assert run_task(owner_client, reply).status_code == 200
    reply.refresh_from_db()
    assert reply.status == "success"
    before = database_state()

    response = send(owner_client, project, "add a title scene that says Hi", key=key)

    assert response.status_code == 200
    assert database_state() == before
