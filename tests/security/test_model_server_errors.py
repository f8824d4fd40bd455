"""A model server URL's credentials never reach the chat (issue 10: errors carry no passwords).

OPENAI_BASE_URL / ANTHROPIC_BASE_URL may be written https://user:pass@host/v1
(or carry ?key=... for a proxy). The errors that name the server are shown
to the user in the chat, so they show the URL without those parts. Real
client libraries over real sockets on 127.0.0.1.
"""

import socket

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import Project
from tests.helpers import answer
from tests.llm_servers import OPENAI_PATH, ScriptedServer, openai_error

pytestmark = pytest.mark.django_db(transaction=True)

USER, PASSWORD, QUERY_KEY = "svc-user", "hunter2-model-pass", "q-key-981"


def closed_port() -> int:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_openai(settings, base_url: str) -> None:
    settings.CHATVIDEO_BRAIN = "openai"
    settings.OPENAI_BASE_URL = base_url
    settings.OPENAI_API_KEY = "test-key"
    settings.CHATVIDEO_MODEL = "gpt-test"
    settings.CHATVIDEO_LLM_TIMEOUT_SECONDS = 5
    settings.CHATVIDEO_LLM_MAX_RETRIES = 0


def project_page(client: Client, project: Project) -> str:
    response = client.get(reverse("projects:detail", args=[project.id]))
    assert response.status_code == 200
    return response.content.decode()


def assert_no_credentials(text: str) -> None:
    for secret in (USER, PASSWORD, QUERY_KEY):
        assert secret not in text


def test_an_unreachable_server_is_named_without_its_password(owner_client, project, settings):
    port = closed_port()
    use_openai(settings, f"http://{USER}:{PASSWORD}@127.0.0.1:{port}/v1?key={QUERY_KEY}")

    reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert reply.error == f"Could not reach the model server at http://127.0.0.1:{port}/v1."
    assert_no_credentials(project_page(owner_client, project))


def test_an_unknown_model_names_the_server_without_its_password(owner_client, project, settings):
    with ScriptedServer(OPENAI_PATH) as server:
        host_and_port = server.url.removeprefix("http://")
        use_openai(settings, f"http://{USER}:{PASSWORD}@{host_and_port}/v1")
        server.script(openai_error(404, "model not found"))

        reply = answer(owner_client, project, "add a title")

    assert reply.status == "error"
    assert f"OPENAI_BASE_URL ({server.url}/v1)" in reply.error
    assert_no_credentials(project_page(owner_client, project))


def test_a_gateways_refusal_quoting_a_url_shows_no_password(owner_client, project, settings):
    with ScriptedServer(OPENAI_PATH) as server:
        use_openai(settings, f"{server.url}/v1")
        server.script(
            openai_error(
                400, f"upstream https://{USER}:{PASSWORD}@llm.internal/v1 refused the model"
            )
        )

        reply = answer(owner_client, project, "add a title")

    assert reply.error == (
        "The provider refused the request (HTTP 400): "
        "upstream https://llm.internal/v1 refused the model"
    )
    assert_no_credentials(project_page(owner_client, project))
