"""axe-core over the pages people use, in headless Chromium at phone and desktop size.

The vendored axe-core (static/vendor/axe-core/, refreshed with
scripts/vendor-axe-core) is run in the login page, the project list and a
project page with scenes and a chat (both of a phone's tabs); any serious or
critical violation fails the test, named with the elements it found, and
so does a view without a level-one heading. Pages
never load axe: the test evaluates it through the browser's devtools
protocol, which the page's script policy does not govern.
"""

from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from messages_app.models import Message
from projects.models import Project
from scenes.tools import add_scene

from .browser import ARTIFACTS, BrowserTestCase
from .helpers import PASSWORD

VENDORED = settings.BASE_DIR / "static" / "vendor" / "axe-core"
AXE = (VENDORED / "axe.min.js").read_text()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
FAILING_IMPACTS = ("serious", "critical")
# Moderate, but every view (a phone's Preview tab too) must say what page it is.
FAILING_RULES = ("page-has-heading-one",)
# Findings not fixed yet, each with why; it may only shrink (an entry that no
# page shows any more fails the test, so it is removed once fixed).
KNOWN: set[tuple[str, str]] = set()
# The scene frames hold the user's video, not the editor's controls; they are
# sandboxed documents of their own, which axe cannot enter.
RUN_AXE = """async () => {
  const results = await axe.run(document, {
    iframes: false,
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


class AccessibilityTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = Project.objects.create(owner=owner, title="Launch video")
        Project.objects.create(owner=owner, title="An empty one")
        first = add_scene(self.project, props={"title": "Launch Day"}, duration_frames=60)
        add_scene(self.project, props={"title": "Thanks", "template": "quote"})
        chat = [
            ("user", "success", "Add a title scene that says Launch Day", ""),
            ("assistant", "success", "Added scene 1, a title card reading Launch Day.", ""),
            ("user", "success", "make it dance", ""),
            ("assistant", "error", "Sorry, I couldn't do that.", "The brain is not answering."),
            ("assistant", "success", "Duplicated scene 1 as scene 2.", ""),
        ]
        for seq, (role, status, content, error) in enumerate(chat, start=1):
            Message.objects.create(
                project=self.project,
                seq=seq,
                role=role,
                status=status,
                content=content,
                error=error,
                scene=first if role == "assistant" else None,
            )

    def violations(self, page: Page, name: str) -> list[str]:
        page.evaluate(AXE)
        found = page.evaluate(RUN_AXE)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"axe-{name}.png")
        problems = []
        for v in found:
            targets = []
            for target in v["targets"]:
                known = [k for k in KNOWN if k[0] == v["id"] and target.startswith(k[1])]
                self.known_seen.update(known)
                if not known:
                    targets.append(target)
            if targets and (v["impact"] in FAILING_IMPACTS or v["id"] in FAILING_RULES):
                problems.append(
                    f"{name}: {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(targets)
                )
        return problems

    def check_pages(self, viewport: dict, size: str) -> None:
        self.known_seen: set[tuple[str, str]] = set()
        page = self.new_page()
        page.set_viewport_size(viewport)
        problems = []

        page.goto(f"{self.live_server_url}/accounts/login/")
        problems += self.violations(page, f"{size}-login")

        self.log_in(page, f"{self.live_server_url}/")
        expect(page.get_by_role("link", name="Launch video", exact=True)).to_be_visible()
        problems += self.violations(page, f"{size}-project-list")

        page.goto(f"{self.live_server_url}/{self.project.id}/")
        page.wait_for_load_state("load")
        expect(page.locator("li.scene")).to_have_count(2)
        problems += self.violations(page, f"{size}-project")
        if viewport is PHONE:
            page.get_by_role("tab", name="Preview").click()
            expect(page.locator("[data-player]")).to_be_visible()
            problems += self.violations(page, f"{size}-project-preview")

        self.assertEqual(problems, [], "\n" + "\n".join(problems))
        self.assertEqual(self.known_seen, KNOWN, "a known finding is fixed: remove it from KNOWN")
        self.assertEqual(self.page_errors, [])

    def test_no_serious_violations_on_a_phone(self) -> None:
        self.check_pages(PHONE, "phone")

    def test_no_serious_violations_on_a_desktop(self) -> None:
        self.check_pages(DESKTOP, "desktop")


def test_the_vendored_axe_is_the_pinned_version() -> None:
    version = (VENDORED / "VERSION").read_text()
    assert AXE.startswith(f"/*! axe v{version.split()[1]}")
