"""An htmx request from a page whose session ended is sent to the login page.

Before, login_required's 302 was followed inside htmx's XHR and the login
page's HTML was swapped into the composer (chatvideo/login_redirect.py).
"""

import pytest
from django.test import Client

from messages_app.models import Message
from scenes.models import Scene
from scenes.tools import add_scene
from tests.helpers import send

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def htmx_headers(current_url: str) -> dict[str, str]:
    return {"HX-Request": "true", "HX-Current-URL": current_url}


def test_a_logged_out_send_is_redirected_to_the_login_and_back_to_the_project(project):
    response = Client().post(
        f"/{project.id}/messages/send/",
        {"content": "add a title scene", "client_key": "k1"},
        headers=htmx_headers(f"http://testserver/{project.id}/"),
    )

    assert response["HX-Redirect"] == f"{LOGIN}?next=/{project.id}/"
    # Not the login page's HTML, which htmx or a fetch would put in the page.
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "<" not in response.content.decode()
    assert not Message.objects.filter(project=project).exists()


def test_the_page_s_query_comes_back_with_it(project):
    response = Client().get(
        f"/{project.id}/messages/",
        headers=htmx_headers(f"http://testserver/{project.id}/?tab=preview"),
    )

    assert response["HX-Redirect"] == f"{LOGIN}?next=/{project.id}/%3Ftab%3Dpreview"


def test_a_plain_request_still_gets_the_normal_redirect(project):
    response = send(Client(), project, "add a title scene", htmx=False)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/{project.id}/messages/send/"
    assert "HX-Redirect" not in response


@pytest.mark.parametrize(
    "current_url",
    [
        "https://evil.example/1/",
        "//evil.example/1/",
        "http://testserver.evil.example/1/",
        "javascript:alert(1)",
        "http://testserver//evil.example/1/",
        "",
    ],
)
def test_a_page_on_another_site_is_not_used_as_next(project, current_url):
    response = Client().post(
        f"/{project.id}/messages/send/",
        {"content": "hi", "client_key": "k2"},
        headers=htmx_headers(current_url),
    )

    assert response["HX-Redirect"] == LOGIN


def test_a_logged_out_scene_delete_says_why_and_deletes_nothing(project):
    scene = add_scene(project, props={"title": "Keep me"})
    # As scene_controls.js posts it: HX-Request, no HX-Current-URL.
    response = Client().post(
        f"/{project.id}/scenes/{scene.id}/delete/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 403
    assert response.content.decode() == "You are logged out. Log in again to go on."
    assert response["HX-Redirect"] == LOGIN
    assert Scene.objects.filter(id=scene.id).exists()


def test_a_logged_out_event_stream_check_is_redirected(project):
    response = Client().get(
        f"/{project.id}/events/", headers=htmx_headers(f"http://testserver/{project.id}/")
    )

    assert response["HX-Redirect"] == f"{LOGIN}?next=/{project.id}/"


def test_a_logged_in_htmx_request_is_answered_as_before(project, owner_client):
    response = owner_client.get(
        f"/{project.id}/messages/", headers=htmx_headers(f"http://testserver/{project.id}/")
    )

    assert response.status_code == 200
    assert "HX-Redirect" not in response
