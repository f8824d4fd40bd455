"""The scene frame view: one scene's code, served for the preview's sandboxed iframe."""

import base64
import hashlib
import re

import pytest
from django.conf import settings

from scenes.frame import FRAME_CSP, SEEK_SCRIPT, SEEK_TIMEOUT_MS, frame_document
from scenes.tools import add_scene

SEEK_JS = settings.BASE_DIR / "static" / "chatvideo" / "seek.js"


@pytest.fixture
def scene(project):
    return add_scene(project, props={"title": "One"}, duration_frames=60)


def frame_url(project, scene) -> str:
    return f"/{project.id}/scenes/{scene.id}/frame/"


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def test_the_owner_gets_the_code_with_the_seek_script_first(owner_client, project, scene):
    response = owner_client.get(frame_url(project, scene))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    # The seek script comes right after the doctype, before anything the scene
    # wrote, and the scene's body is all there after it.
    assert html.startswith(f'<!doctype html><meta charset="utf-8"><script>{SEEK_SCRIPT}</script>')
    body = scene.code.split("<body>")[1].split("</body>")[0]
    assert "One" in body and body in html
    assert html.endswith(scene.code[scene.code.index("</head>") :])
    assert html.count("<script>") == 1
    # The script is the static file, word for word.
    assert SEEK_JS.read_text(encoding="utf-8") == SEEK_SCRIPT
    assert 'data.type !== "seek"' in SEEK_SCRIPT and 'type: "seeked"' in SEEK_SCRIPT
    assert 'type: "ready"' in SEEK_SCRIPT
    assert "event.source !== parent" in SEEK_SCRIPT
    assert "getAnimations.call(doc)" in SEEK_SCRIPT


def test_the_headers_keep_the_frame_sandboxed_and_offline(owner_client, project, scene):
    response = owner_client.get(frame_url(project, scene))

    policy = response["Content-Security-Policy"]
    assert policy == FRAME_CSP
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["sandbox"] == "allow-scripts"
    assert directives["default-src"] == "'none'"
    # Exactly one script may run: the seek script, by its hash. No
    # 'unsafe-inline', so no scene script, event handler or javascript: URL.
    assert directives["script-src"] == f"'{script_hash(SEEK_SCRIPT)}'"
    assert "unsafe" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Framable by the project page, and only by pages of this site.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-cache" in response["Cache-Control"]


def test_the_scenes_own_policy_gives_way_to_the_frame_header(owner_client, project, scene):
    assert '<meta http-equiv="Content-Security-Policy"' in scene.code

    html = owner_client.get(frame_url(project, scene)).content.decode()

    # Only the header policy (no network, no script but the seek script)
    # governs the served frame, so the scene's own cannot block the seek script.
    # (Its keyword is renamed, not cut out: see tests/security/test_served_frame.py.)
    assert not re.search(r"http-equiv=[\"']?content-security-policy", html, re.I)
    assert 'http-equiv="x-scene-policy-not-applied"' in html
    assert f"<script>{SEEK_SCRIPT}</script>" in html


def test_a_scene_cannot_swallow_the_seek_script(owner_client, project):
    # An unclosed <textarea> or comment before </body> would have turned a
    # script placed there into text.
    broken = "<!doctype html><html><body><h1>Hi</h1><textarea><!--</body></html>"
    scene = add_scene(project, props={"title": "Broken"})
    scene.code = broken
    scene.save()

    html = owner_client.get(frame_url(project, scene)).content.decode()

    assert html.index(SEEK_SCRIPT) < html.index("<textarea>")


def test_the_script_goes_first_when_there_is_no_doctype():
    html = frame_document("<p>bare</p>")

    assert html == f'<meta charset="utf-8"><script>{SEEK_SCRIPT}</script><p>bare</p>'


def test_an_outsider_gets_404(outsider_client, project, scene):
    assert outsider_client.get(frame_url(project, scene)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, project, scene):
    response = client.get(frame_url(project, scene))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_scene_of_another_project_is_404_through_this_projects_url(
    owner_client, owner, project, scene
):
    other = owner.projects.create(title="Other")
    elsewhere = add_scene(other, props={"title": "Elsewhere"}, duration_frames=30)

    assert owner_client.get(f"/{project.id}/scenes/{elsewhere.id}/frame/").status_code == 404
    assert owner_client.get(f"/{other.id}/scenes/{scene.id}/frame/").status_code == 404
    assert owner_client.get(f"/{project.id}/scenes/999999/frame/").status_code == 404


def test_post_is_not_allowed(owner_client, project, scene):
    assert owner_client.post(frame_url(project, scene)).status_code == 405


def test_the_project_page_gives_each_scene_a_frame_url_and_loads_none_itself(
    owner_client, project, scene
):
    second = add_scene(project, props={"title": "Two"}, duration_frames=120)

    html = owner_client.get(f"/{project.id}/").content.decode()

    # player.js makes the iframes, for the playing scene and its neighbours
    # only (tests/test_player_browser.py checks them, sandbox included), so a
    # long project does not load every scene at once.
    assert "<iframe" not in html
    frame_urls = re.findall(r'data-frame-url="([^"]+)"', html)
    assert frame_urls == [frame_url(project, scene), frame_url(project, second)]
    player_js = (settings.BASE_DIR / "static" / "chatvideo" / "player.js").read_text()
    assert 'iframe.setAttribute("sandbox", "allow-scripts");' in player_js
    assert "allow-same-origin" not in html + player_js
    # The player's controls and one timeline segment per scene.
    assert 'aria-label="Scrubber"' in html
    assert "/static/chatvideo/player.js" in html
    segments = re.findall(r'data-segment-scene-id="(\d+)" data-duration-frames="(\d+)"', html)
    assert segments == [(str(scene.id), "60"), (str(second.id), "120")]
    # Only the scene list items carry data-scene-id.
    assert re.findall(r'data-scene-id="(\d+)"', html) == [str(scene.id), str(second.id)]


def test_the_scene_list_partial_renders_the_player_too(owner_client, project, scene):
    html = owner_client.get(f"/{project.id}/scenes/").content.decode()

    assert f'data-frame-url="{frame_url(project, scene)}"' in html
    assert "data-player" in html


def test_without_scenes_there_is_an_empty_state_and_no_player(owner_client, project):
    html = owner_client.get(f"/{project.id}/").content.decode()

    assert "<iframe" not in html
    assert "data-player " not in html and "data-player\n" not in html
    assert "No scenes yet. Ask for one in the chat." in html


def test_the_player_and_the_export_wait_as_long_for_a_seek():
    player_js = (settings.BASE_DIR / "static" / "chatvideo" / "player.js").read_text()

    waits = re.findall(r"var SEEK_TIMEOUT_MS = (\d+);", player_js)

    assert waits == [str(SEEK_TIMEOUT_MS)]
