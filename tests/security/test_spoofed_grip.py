"""Grip headers a client makes up, sent straight to daphne (README, "Scale").

Only a request Pushpin signed (Grip-Sig, with GRIP_URL's key) counts as the
proxy's: a made-up or wrongly signed Grip-Sig turns neither a 404 into the
re-check's stream-error (RecheckProxiedStreams), nor a cookie-less request
with an es-meta into a stream, nor lifts the per-user stream cap.
"""

import time

import jwt
import pytest
from django.conf import settings
from django.test import Client

from messages_app.events import project_channel

KEY = "pushpin's signing key, known to daphne and Pushpin only"


@pytest.fixture(autouse=True)
def behind_pushpin(settings):
    settings.GRIP_URL = f"http://127.0.0.1:9?iss=pushpin&key={KEY}"
    settings.MIDDLEWARE = [
        "django_grip.GripMiddleware",
        "messages_app.stream.RecheckProxiedStreams",
        *settings.MIDDLEWARE,
    ]


def grip_sig(key: str = KEY, algorithm: str = "HS256") -> str:
    claims = {"iss": "pushpin", "exp": int(time.time()) + 3600}
    if algorithm == "none":
        return jwt.encode(claims, None, algorithm="none")
    return jwt.encode(claims, key, algorithm=algorithm)


FORGED = [
    grip_sig(key="a guessed key, long enough for HS256 not to warn"),
    grip_sig(algorithm="none"),
    "not even a token",
]


def es_meta(user, project) -> str:
    claims = {"iss": "es", "exp": int(time.time()) + 3600, "user": str(user.pk)}
    claims["channels"] = [project_channel(project.id)]
    return jwt.encode(claims, settings.SECRET_KEY.encode())


@pytest.mark.parametrize("sig", FORGED)
def test_a_forged_grip_last_does_not_turn_a_404_into_a_stream(outsider_client, project, sig):
    response = outsider_client.get(
        f"/{project.id}/events/",
        headers={"Grip-Sig": sig, "Grip-Last": f"{project_channel(project.id)}; last-id=1"},
    )

    assert response.status_code == 404
    assert response["Content-Type"] != "text/event-stream"


def test_pushpin_s_own_signature_does(outsider_client, project):
    # The same request signed with the real key is Pushpin re-checking a held
    # stream: the refusal becomes the stream-error that ends it.
    response = outsider_client.get(
        f"/{project.id}/events/",
        headers={"Grip-Sig": grip_sig(), "Grip-Last": f"{project_channel(project.id)}; last-id=1"},
    )

    assert response.status_code == 200
    assert b"You may no longer read this project's events." in response.content


@pytest.mark.parametrize("sig", FORGED)
def test_a_forged_grip_sig_does_not_let_an_es_meta_in_without_a_login(owner, project, sig):
    response = Client().get(
        f"/{project.id}/events/",
        {"es-meta": es_meta(owner, project), "link": "next"},
        headers={"Grip-Sig": sig},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("sig", FORGED)
def test_a_forged_grip_sig_is_still_counted_against_the_stream_cap(
    owner_client, project, sig, settings
):
    settings.CHATVIDEO_STREAMS_PER_USER = 0

    response = owner_client.get(f"/{project.id}/events/", headers={"Grip-Sig": sig})

    assert response.status_code == 429
