"""A tab whose session was ended in another tab goes to the login page.

Two tabs of one project in one browser; the user logs out in tab A. Before,
tab B's stream just stopped, B kept showing the project, and its next send
swapped the login page into the composer (the message lost); a scene's
Delete put the login page's HTML in the scene status. Now B goes to the
login page with next= the project, by itself once its stream is re-checked
(chatvideo/login_redirect.py, static/chatvideo/app.js) or at once when it
sends; after logging in it is back on the project with its typed text in
the composer, and nothing of the login page was ever put into the project page.

Each case runs with DEBUG off and on (as `make run` has it): with DEBUG on,
django-htmx's debug script puts a 403's body in place of the whole page, and
before app.js heard the HX-Redirect first, the typed text went with it.
"""

import re

from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings
from playwright.sync_api import Page, expect

from messages_app.models import Message
from projects.models import Project
from scenes.tools import add_scene
from tests.browser import BrowserTestCase
from tests.helpers import PASSWORD

# Records, for the test to read after the page has gone and come back, any
# login form or login HTML put into a page after it loaded (a swap).
SWAP_WATCH = """
document.addEventListener("DOMContentLoaded", function () {
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        var form = "input[type=password]";
        var html = node.nodeType === 1 && (node.matches(form) || node.querySelector(form));
        var text = node.nodeType === 3 && node.data.indexOf("csrfmiddlewaretoken") !== -1;
        if (html || text) sessionStorage.setItem("login-swapped-into", location.pathname);
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
});
"""
DRAFT = "add a title scene that says Welcome\nand make it blue"


class LoggedOutTab(BrowserTestCase):
    init_script = SWAP_WATCH
    scenes = 0

    def two_tabs(self, with_scene: bool = False) -> tuple[Page, Page, Project]:
        """Tabs A and B on one project, B's event stream open, and text typed in B's composer."""
        alice = User.objects.create_user("alice", password=PASSWORD)
        project = Project.objects.create(owner=alice, title="Launch video")
        if with_scene:
            add_scene(project, props={"title": "Keep me"})
        self.url = f"{self.live_server_url}/{project.id}/"
        tab_a = self.new_page()
        self.log_in(tab_a, self.url)
        tab_b = self.new_page()
        with tab_b.expect_response(lambda r: "/events/" in r.url and r.status == 200):
            tab_b.goto(self.url)
        tab_b.locator("#composer textarea").fill(DRAFT)
        return tab_a, tab_b, project

    def log_out(self, tab: Page) -> None:
        tab.get_by_role("button", name="Log out").click()
        expect(tab).to_have_url(re.compile(r"/accounts/login/$"))

    def assert_back_with_the_draft(
        self, tab: Page, project: Project, within_ms: float | None = None
    ) -> None:
        """B is on the login page for the project; logging in brings it back, text and all."""
        login = f"{self.live_server_url}/accounts/login/?next=/{project.id}/"
        expect(tab).to_have_url(login, timeout=within_ms)
        tab.get_by_label("Username", exact=True).fill("alice")
        tab.get_by_label("Password", exact=True).fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        expect(tab).to_have_url(self.url)
        expect(tab.locator("#composer textarea")).to_have_value(DRAFT)
        self.assertIsNone(tab.evaluate("sessionStorage.getItem('login-swapped-into')"))
        self.assertFalse(Message.objects.filter(project=project).exists())
        self.assertEqual(project.scenes.count(), self.scenes)
        self.assertEqual(self.page_errors, [])


class FollowsItsStream:
    def test_the_other_tab_goes_to_the_login_page_by_itself(self) -> None:
        tab_a, tab_b, project = self.two_tabs()

        self.log_out(tab_a)

        # No action in B: its stream's re-check ends it, and B goes, within
        # one re-check and the usual wait (a bound on "by itself", not a
        # measure of speed).
        within = (settings.CHATVIDEO_STREAM_RECHECK_SECONDS + 10) * 1000
        self.assert_back_with_the_draft(tab_b, project, within_ms=within)


@override_settings(CHATVIDEO_STREAM_RECHECK_SECONDS=1.0)
class LoggedOutTabFollowsItsStreamTests(FollowsItsStream, LoggedOutTab):
    pass


# As `make run` has it: DEBUG on, and a re-check close to the default 5 s.
@override_settings(DEBUG=True, CHATVIDEO_STREAM_RECHECK_SECONDS=3.0)
class LoggedOutTabFollowsItsStreamDebugTests(FollowsItsStream, LoggedOutTab):
    pass


class Sends:
    def test_a_send_from_the_other_tab_goes_to_the_login_page_keeping_the_text(self) -> None:
        tab_a, tab_b, project = self.two_tabs()
        self.log_out(tab_a)

        tab_b.locator("#composer textarea").press("Enter")

        self.assert_back_with_the_draft(tab_b, project)
        expect(tab_b).to_have_title(re.compile("Launch video"))

    def test_a_scene_delete_from_the_other_tab_goes_to_the_login_page(self) -> None:
        tab_a, tab_b, project = self.two_tabs(with_scene=True)
        self.scenes = 1
        self.log_out(tab_a)

        tab_b.get_by_role("button", name="Delete scene 1").click()

        # The refused post (403) reloads the scene list, whose htmx request goes to log in.
        self.assert_back_with_the_draft(tab_b, project)


# Long enough that B's stream is not re-checked before B sends.
@override_settings(CHATVIDEO_STREAM_RECHECK_SECONDS=60.0)
class LoggedOutTabSendsTests(Sends, LoggedOutTab):
    pass


@override_settings(DEBUG=True, CHATVIDEO_STREAM_RECHECK_SECONDS=60.0)
class LoggedOutTabSendsDebugTests(Sends, LoggedOutTab):
    pass
