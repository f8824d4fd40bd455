"""What a scene frame serves is what the checker approved, tag for tag.

Found in review of issue 10: the frame view cut a scene's own
`<meta http-equiv="Content-Security-Policy">` out of the text, so markup
written around it was spliced together after the check. The checker read
`<me<meta http-equiv=content-security-policy>ta http-equiv="refresh" ...>` as
a harmless tag named "me<meta" and some text, and accepted it; the frame then
served a real meta refresh, and in Chromium the scene's frame navigated away
from the scene (the project page's frame-src stopped it reaching the network,
and left an error page where the scene was).
"""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import html5lib
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from projects.models import Project
from scenes.check import check_scene_code
from scenes.frame import SEEK_SCRIPT, frame_document
from scenes.models import Scene
from scenes.tools import add_scene

from ..browser import BrowserTestCase
from ..helpers import PASSWORD
from .scene_attacks import scene_document

CSP_META = "<meta http-equiv=content-security-policy>"


def spliced(port: int = 9) -> dict[str, str]:
    """Scene code that becomes another tag if the CSP meta inside it is cut out."""
    return {
        "meta refresh": scene_document(
            f'<h1>Spliced</h1><me{CSP_META}ta http-equiv="refresh" '
            f'content="0;url=http://127.0.0.1:{port}/leak?what=secret">'
        ),
        "script": scene_document(
            f"<h1>Spliced</h1><scr{CSP_META}ipt>document.title = 'ran'</scr{CSP_META}ipt>"
        ),
        "iframe": scene_document(
            f'<h1>Spliced</h1><ifr{CSP_META}ame src="http://127.0.0.1:{port}/"></iframe>'
        ),
    }


def start_tags(document: str) -> list[tuple[str, dict]]:
    """Every element as a browser builds it (html5lib), with its attributes."""
    tree = html5lib.parse(document, namespaceHTMLElements=False)
    return [(element.tag, dict(element.attrib)) for element in tree.iter()]


def served_without_seek_script(code: str) -> str:
    return frame_document(code).replace(
        f'<meta charset="utf-8"><script>{SEEK_SCRIPT}</script>', "", 1
    )


@pytest.mark.parametrize("name", list(spliced()))
def test_the_frame_serves_no_tag_the_checker_did_not_see(name):
    code = spliced()[name]
    assert check_scene_code(code) == code  # the checker sees no such tag here

    served = served_without_seek_script(code)

    tags = [tag for tag, _ in start_tags(served)]
    assert "script" not in tags and "iframe" not in tags
    assert not any(
        tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh"
        for tag, attrs in start_tags(served)
    )
    # The served document passes the same check as the stored one.
    check_scene_code(served)


def test_a_scenes_own_policy_is_still_switched_off():
    code = scene_document("<h1>Own policy</h1>", head=CSP_META.replace(">", ' content="x">'))

    served = frame_document(code)

    assert not any(
        tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"
        for tag, attrs in start_tags(served)
    )
    assert "<h1>Own policy</h1>" in served


class Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class SplicedMetaRefreshBrowserTests(BrowserTestCase):
    def test_a_spliced_meta_refresh_does_not_take_the_scene_away(self) -> None:
        server = HTTPServer(("127.0.0.1", 0), Counter)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        Counter.hits = []
        owner = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=owner, title="Spliced")
        scene = add_scene(project, props={"title": "One"}, duration_frames=30)
        code = spliced(server.server_address[1])["meta refresh"]
        Scene.objects.filter(id=scene.id).update(code=check_scene_code(code), custom_code=True)

        page = self.new_page()
        self.log_in(page, f"{self.live_server_url}/{project.id}/")

        player = page.locator("[data-player]")
        expect(player).to_have_attribute("data-rendered-frame", "0")
        page.wait_for_timeout(1500)  # a refresh with content=0 fires at once
        frame = page.locator(f'iframe[data-frame-scene-id="{scene.id}"]')
        expect(page.frame_locator("iframe").locator("h1")).to_have_text("Spliced")
        self.assertTrue(
            frame.element_handle().content_frame().url.endswith(f"/scenes/{scene.id}/frame/")
        )
        self.assertEqual(Counter.hits, [])
        expect(page.locator("[data-player-problem]")).to_have_count(0)
