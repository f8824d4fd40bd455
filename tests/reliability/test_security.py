"""Security headers on pages, and escaping of everything users type."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import send

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</textarea><script>alert(1)</script>",
]


def test_pages_carry_security_headers(owner_client, project):
    response = owner_client.get(f"/{project.id}/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp
    assert "script-src 'self' 'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_page_has_no_inline_scripts(owner_client, project):
    html = owner_client.get(f"/{project.id}/").content.decode()

    assert "<script>" not in html
    assert " onclick=" not in html and " onload=" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_message_content_is_escaped(owner_client, project, payload):
    send(owner_client, project, f"hello {payload}")

    html = owner_client.get(f"/{project.id}/messages/").content.decode()

    assert payload not in html
    assert "alert(1)" in html  # shown as text, not run


@pytest.mark.parametrize("payload", PAYLOADS)
def test_scene_names_are_escaped(owner_client, project, payload):
    call_command(
        "chat", str(project.id), f"add a title scene that says X{payload}", stdout=StringIO()
    )
    assert project.scenes.exists()

    scenes_html = owner_client.get(f"/{project.id}/scenes/").content.decode()
    chat_html = owner_client.get(f"/{project.id}/messages/").content.decode()

    assert payload not in scenes_html
    assert payload not in chat_html
    assert "alert(1)" in scenes_html
