"""Security headers on pages, and escaping of everything users type."""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command

from tests.helpers import send

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


class ScriptFinder(HTMLParser):
    """Every <script> tag (its attributes and body) and every on* handler attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self.tags = 0
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]
        if tag == "script":
            self.scripts.append({"attrs": dict(attrs), "body": ""})
            self.in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1]["body"] += data


def test_the_page_has_no_inline_scripts(owner_client, project):
    call_command("chat", str(project.id), "add a title scene that says Hi", stdout=StringIO())
    html = owner_client.get(f"/{project.id}/").content.decode()
    finder = ScriptFinder()

    finder.feed(html)
    finder.close()

    assert finder.tags > 50, "the page did not parse"
    assert finder.scripts, "the page loads its scripts with <script src=...>"
    for script in finder.scripts:
        assert script["attrs"].get("src"), f"a script without src: {script}"
        assert script["body"].strip() == "", f"a script with an inline body: {script}"
    assert finder.handlers == []


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
