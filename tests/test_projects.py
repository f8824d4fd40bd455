"""Projects from the web pages: create in a shape and rate, rename, change format,
duplicate with scenes, delete after confirming; the owner's only, POST + CSRF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from projects.models import Project
from scenes.models import Scene, SceneChange
from tests.helpers import answer


def add_scene(project: Project, order: int, frames: int, name: str = "Title") -> Scene:
    return Scene.objects.create(
        project=project,
        order=order,
        name=name,
        duration_frames=frames,
        code="<div>hi</div>",
        props={"title": name},
    )


def state(project: Project) -> tuple:
    project.refresh_from_db()
    scenes = list(project.scenes.values_list("order", "name", "duration_frames"))
    return project.title, project.width, project.height, project.fps, scenes


# --- Create ----------------------------------------------------------------------------


def test_a_new_project_is_made_portrait_at_the_chosen_rate(owner_client):
    response = owner_client.post("/", {"title": "Reel", "aspect": "9:16", "fps": "60"})

    project = Project.objects.get(title="Reel")
    assert response.status_code == 302
    assert response["Location"] == f"/{project.id}/"
    assert (project.width, project.height, project.fps) == (1080, 1920, 60)
    add_scene(project, 1, 120)  # the player shows once there is a scene
    page = owner_client.get(f"/{project.id}/").content.decode()
    assert 'data-width="1080"' in page and 'data-height="1920"' in page
    assert 'data-fps="60"' in page


def test_a_project_made_with_the_title_only_is_16_9_at_30_fps(owner_client):
    owner_client.post("/", {"title": "Plain"})

    project = Project.objects.get(title="Plain")
    assert (project.width, project.height, project.fps) == (1920, 1080, 30)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "aspect": "1:1", "fps": "30"}, "Give the project a title."),
        ({"title": "x" * 201, "aspect": "1:1", "fps": "30"}, "200 characters or fewer"),
        (
            {"title": "Ok", "aspect": "4:3", "fps": "30"},
            "Choose an aspect ratio: 16:9, 9:16 or 1:1.",
        ),
        ({"title": "Ok", "aspect": "1:1", "fps": "29"}, "Choose a frame rate"),
        ({"title": "Ok", "aspect": "1:1", "fps": "lots"}, "Choose a frame rate"),
    ],
)
def test_bad_input_creates_no_project_and_says_why(owner_client, data, message):
    response = owner_client.post("/", data)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Project.objects.exists()


# --- The list --------------------------------------------------------------------------


def test_the_list_shows_scene_count_length_and_just_now(owner_client, project):
    add_scene(project, 1, 150)
    add_scene(project, 2, 75)  # 7.5 seconds in all at 30 fps: shown as 0:08
    Project.objects.create(owner=project.owner, title="Empty")

    html = owner_client.get("/").content.decode()

    assert "2 scenes · 0:08" in html
    assert "0 scenes · 0:00" in html
    assert "updated just now" in html
    assert "0 minutes" not in html


def test_the_list_says_how_long_ago_an_older_project_changed(owner_client, project):
    Project.objects.filter(id=project.id).update(updated_at=timezone.now() - timedelta(hours=3))

    html = owner_client.get("/").content.decode()

    assert "updated 3\xa0hours ago" in html


# --- Settings: rename, aspect, fps -----------------------------------------------------


def test_the_owner_renames_the_project(owner_client, project):
    response = owner_client.post(
        f"/{project.id}/settings/", {"title": "Launch 2", "aspect": "16:9", "fps": "30"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/{project.id}/"
    assert state(project)[:4] == ("Launch 2", 1920, 1080, 30)
    assert "Project saved." in owner_client.get(response["Location"]).content.decode()


def test_the_settings_page_shows_the_current_format(owner_client, project):
    Project.objects.filter(id=project.id).update(width=1080, height=1080, fps=24)

    html = owner_client.get(f"/{project.id}/settings/").content.decode()

    assert '<option value="1:1" selected>' in html
    assert '<option value="24" selected>' in html


def test_a_new_rate_keeps_every_scene_its_seconds(owner_client, project):
    add_scene(project, 1, 150)  # 5 s at 30 fps
    add_scene(project, 2, 45)  # 1.5 s

    owner_client.post(
        f"/{project.id}/settings/", {"title": project.title, "aspect": "9:16", "fps": "60"}
    )

    assert state(project)[1:] == (1080, 1920, 60, [(1, "Title", 300), (2, "Title", 90)])


@pytest.mark.django_db(transaction=True)
def test_undo_after_a_new_rate_brings_back_the_same_seconds(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "make scene 1 2 seconds long")
    assert project.scenes.get().duration_frames == 60

    owner_client.post(
        f"/{project.id}/settings/", {"title": project.title, "aspect": "16:9", "fps": "24"}
    )
    reply = answer(owner_client, project, "undo")

    assert reply.tool == "undo"
    # Back to the 5 seconds it had before the trim, counted at 24 fps.
    assert project.scenes.get().duration_frames == 120
    assert SceneChange.objects.filter(message__project=project).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "  ", "aspect": "16:9", "fps": "30"}, "Give the project a title."),
        ({"title": "y" * 300, "aspect": "16:9", "fps": "30"}, "200 characters or fewer"),
        ({"title": "New", "aspect": "21:9", "fps": "30"}, "Choose an aspect ratio"),
        ({"title": "New", "aspect": "16:9", "fps": "1000"}, "Choose a frame rate"),
    ],
)
def test_bad_settings_change_nothing_and_say_why(owner_client, project, data, message):
    add_scene(project, 1, 150)
    before = state(project)

    response = owner_client.post(f"/{project.id}/settings/", data)

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Settings for \u201cLaunch video\u201d" in html
    assert state(project) == before


# --- Duplicate ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_duplicate_copies_the_scenes_but_not_the_chat(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")
    answer(owner_client, project, "add a title scene that says Two")
    Project.objects.filter(id=project.id).update(width=1080, height=1920, fps=25)

    response = owner_client.post(f"/{project.id}/duplicate/")

    assert response.status_code == 302 and response["Location"] == "/"
    copy = Project.objects.get(title="Copy of Launch video")
    assert state(copy)[1:] == state(project)[1:]
    assert list(copy.scenes.values_list("code", "props")) == list(
        project.scenes.values_list("code", "props")
    )
    assert not copy.messages.exists()
    assert project.scenes.count() == 2  # the original is untouched
    assert (
        "Duplicated as \u201cCopy of Launch video\u201d" in owner_client.get("/").content.decode()
    )


def test_a_copy_of_a_long_title_fits(owner_client, project):
    Project.objects.filter(id=project.id).update(title="z" * 200)

    owner_client.post(f"/{project.id}/duplicate/")

    assert Project.objects.filter(title=("Copy of " + "z" * 200)[:200]).exists()


def test_duplicate_only_answers_post(owner_client, project):
    assert owner_client.get(f"/{project.id}/duplicate/").status_code == 405
    assert Project.objects.count() == 1


# --- Delete ------------------------------------------------------------------------------


def test_delete_asks_first_and_deletes_only_when_confirmed(owner_client, project):
    add_scene(project, 1, 150)

    page = owner_client.get(f"/{project.id}/delete/")

    assert page.status_code == 200
    assert "Delete \u201cLaunch video\u201d?" in page.content.decode()
    assert "its 1 scene," in page.content.decode()
    assert Project.objects.filter(id=project.id).exists()

    response = owner_client.post(f"/{project.id}/delete/")

    assert response.status_code == 302 and response["Location"] == "/"
    assert not Project.objects.filter(id=project.id).exists()
    assert not Scene.objects.exists()
    assert "Deleted \u201cLaunch video\u201d." in owner_client.get("/").content.decode()


# --- Only the owner, only with CSRF --------------------------------------------------


ROUTES = [
    ("get", "settings/"),
    ("post", "settings/"),
    ("post", "duplicate/"),
    ("get", "delete/"),
    ("post", "delete/"),
]


@pytest.mark.parametrize("method, route", ROUTES)
def test_nobody_else_reaches_a_project(outsider_client, project, method, route):
    add_scene(project, 1, 150)
    before = state(project)

    data = {"title": "Mine now", "aspect": "1:1", "fps": "60"} if method == "post" else None
    response = getattr(outsider_client, method)(f"/{project.id}/{route}", data)

    assert response.status_code == 404
    assert state(project) == before
    assert Project.objects.count() == 1


@pytest.mark.parametrize("method, route", ROUTES)
def test_logged_out_visitors_are_sent_to_log_in(client, project, method, route):
    response = getattr(client, method)(f"/{project.id}/{route}")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Project.objects.filter(id=project.id, title="Launch video").exists()


@pytest.mark.parametrize("route", ["settings/", "duplicate/", "delete/"])
def test_changes_need_the_csrf_token(owner, project, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    before = state(project)

    response = client.post(f"/{project.id}/{route}", {"title": "X", "aspect": "1:1", "fps": "60"})

    assert response.status_code == 403
    assert state(project) == before
    assert Project.objects.count() == 1


def test_the_project_page_links_to_its_settings(owner_client, project):
    html = owner_client.get(f"/{project.id}/").content.decode()

    assert f'href="/{project.id}/settings/"' in html


# --- Suggestions -----------------------------------------------------------------------


def chip_forms(html: str) -> list[str]:
    return html.split('<form class="suggestion"')[1:]


def test_an_empty_project_offers_chips_that_send_real_messages(owner, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    html = client.get(f"/{project.id}/").content.decode()
    chips = chip_forms(html)
    assert len(chips) == 3
    first = chips[0]
    assert f'action="/{project.id}/messages/send/"' in first
    content = first.split('name="content" value="')[1].split('"')[0]
    key = first.split('name="client_key" value="')[1].split('"')[0]
    token = first.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    keys = {c.split('name="client_key" value="')[1].split('"')[0] for c in chips}
    assert len(keys) == 3  # one idempotency key per chip

    response = client.post(
        f"/{project.id}/messages/send/",
        {"csrfmiddlewaretoken": token, "content": content, "client_key": key},
    )

    assert response.status_code == 302
    assert list(project.messages.values_list("role", "content"))[0] == ("user", content)


@pytest.mark.django_db(transaction=True)
def test_chips_follow_an_error_reply_and_not_a_good_one(owner_client, project, settings):
    answer(owner_client, project, "add a title scene that says One")
    assert chip_forms(owner_client.get(f"/{project.id}/messages/").content.decode()) == []

    settings.CHATVIDEO_BRAIN = "tests.brains.BrokenBrain"
    reply = answer(owner_client, project, "add a title scene that says Two")

    assert reply.status == "error"
    html = owner_client.get(f"/{project.id}/messages/").content.decode()
    after_error = html.split(f'id="message-{reply.id}"')[1]
    assert len(chip_forms(after_error)) == 3
    assert "What can you do?" in after_error
