"""Deleting an export: its card goes from every open tab of the project, and the page stays.

Every tab fetches the card of an export its stream names, deletion included
(static/chatvideo/exports.js); the card view answers an export that is gone
with "remove the card" (pages/exports.py), not with a 404, which under DEBUG
django-htmx would show as the whole page.
"""

import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from exports.models import Export
from exports.request import request_export

from .browser import BrowserTestCase
from .exports_support import files_in, small_project
from .helpers import PASSWORD

FILES = Path(tempfile.mkdtemp(prefix="chatvideo-export-delete-"))


def ended_export(project, status: str) -> Export:
    """An export row that has ended (done, with a small file, or cancelled): no render."""
    export = request_export(project, enqueue=False)
    fields = {"status": status, "finished_at": timezone.now()}
    if status == "done":
        content = b"not really a video"
        fields["file"] = default_storage.save(
            f"exports/{project.id}/{export.download_name}", ContentFile(content)
        )
        fields.update(size_bytes=len(content), duration_seconds=1.0)
    Export.objects.filter(id=export.id).update(**fields)
    export.refresh_from_db()
    return export


# DEBUG as `make run` has it: django-htmx then shows an htmx error response
# (a 404 for the card) as the whole page. The live server forks after the
# class's settings apply, so it runs with them too.
@override_settings(DEBUG=True)
@files_in(FILES)
class ExportDeleteBrowserTests(BrowserTestCase):
    debug = True

    def setUp(self) -> None:
        super().setUp()
        self.owner = User.objects.create_user("alice", password=PASSWORD)
        self.project = small_project(self.owner, scenes=1, title="Launch video")
        self.project_url = f"{self.live_server_url}/{self.project.id}/"
        self.done = ended_export(self.project, "done")
        self.cancelled = ended_export(self.project, "cancelled")

    def assert_page_stays(self, page: Page) -> None:
        """Still the project page, chat and all: not an error page in its place."""
        expect(page).to_have_title("Launch video · chatvideo")
        expect(page.locator("#chat-log")).to_be_attached()
        expect(page.get_by_label("Message", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Export MP4")).to_be_enabled()

    def test_a_deleted_export_leaves_every_tab_and_the_page_stays(self) -> None:
        tab_a = self.new_page()
        self.log_in(tab_a, self.project_url)
        tab_b = self.new_page()
        tab_b.goto(self.project_url)
        for tab in (tab_a, tab_b):
            # Under DEBUG, the handler that turned the 404 into the whole page is there.
            expect(tab.locator("script[src$='django-htmx.js']")).to_have_count(int(self.debug))
            expect(tab.locator(".export-card")).to_have_count(2)
        file_name = self.done.file.name
        self.assertTrue(default_storage.exists(file_name))

        # Tab A deletes the cancelled export: the card goes in both tabs.
        tab_a.locator(f"#export-{self.cancelled.id}").get_by_role("button", name="Delete").click()
        for tab in (tab_a, tab_b):
            expect(tab.locator(f"#export-{self.cancelled.id}")).to_have_count(0)
            expect(tab.locator(f"#export-{self.done.id}")).to_be_visible()
        self.assertFalse(Export.objects.filter(id=self.cancelled.id).exists())

        # Then the done one, the last: both tabs show an empty list and the button.
        tab_a.locator(f"#export-{self.done.id}").get_by_role("button", name="Delete").click()
        for tab in (tab_a, tab_b):
            expect(tab.locator(".export-card")).to_have_count(0)
            expect(tab.locator("#export-items")).to_be_empty()
            self.assert_page_stays(tab)
        self.assertFalse(Export.objects.exists())
        self.assertFalse(default_storage.exists(file_name))

        # Each tab still works: a new export shows in both.
        tab_b.get_by_role("button", name="Export MP4").click()
        expect(tab_b.locator(".export-card")).to_have_count(1)
        export = Export.objects.get()
        for tab in (tab_a, tab_b):
            expect(tab.locator(f"#export-{export.id}")).to_be_visible()
            self.assert_page_stays(tab)
        self.assertEqual(self.page_errors, [])


# Without DEBUG, a 404 left the other tab's card in place, for an export gone.
@override_settings(DEBUG=False)
class ExportDeleteWithoutDebugBrowserTests(ExportDeleteBrowserTests):
    debug = False


@pytest.mark.django_db
class TestCardOfAGoneExport:
    """The contract behind it, over HTTP: the owner's page removes the card; others get 404."""

    @pytest.fixture(autouse=True)
    def files(self, media) -> None:
        pass

    def card(self, client, project_id: int, export_id: int, action: str = "", htmx: bool = True):
        url = f"/{project_id}/exports/{export_id}/{action}"
        headers = {"HX-Request": "true"} if htmx else {}
        method = client.post if action else client.get
        return method(url, headers=headers)

    def test_the_page_is_told_to_remove_the_card_of_a_deleted_export(self, owner, owner_client):
        project = small_project(owner, scenes=1)
        export = ended_export(project, "cancelled")
        assert self.card(owner_client, project.id, export.id, "delete/").status_code == 200

        for action in ("", "cancel/", "delete/"):
            response = self.card(owner_client, project.id, export.id, action)
            assert (response.status_code, response.content) == (200, b""), action
            assert response["HX-Reswap"] == "delete", action

    def test_outside_htmx_a_deleted_export_is_still_404(self, owner, owner_client):
        project = small_project(owner, scenes=1)
        export = ended_export(project, "cancelled")
        export.delete()

        assert self.card(owner_client, project.id, export.id, htmx=False).status_code == 404

    def test_an_outsider_gets_404_for_a_live_or_deleted_export(self, owner, outsider_client):
        project = small_project(owner, scenes=1)
        live = ended_export(project, "done")
        deleted = ended_export(project, "cancelled")
        deleted.delete()

        for export in (live, deleted):
            for action in ("", "cancel/", "delete/"):
                response = self.card(outsider_client, project.id, export.id, action)
                assert response.status_code == 404, (export.status, action)
                assert "HX-Reswap" not in response
        assert Export.objects.filter(id=live.id, status="done").exists()

    def test_an_export_of_another_project_looks_like_none_at_all(self, owner, owner_client):
        project = small_project(owner, scenes=1)
        elsewhere = ended_export(small_project(owner, scenes=1, title="Other"), "done")

        response = self.card(owner_client, project.id, elsewhere.id, "delete/")
        never_made = self.card(owner_client, project.id, elsewhere.id + 1000, "delete/")

        assert (response.status_code, response.content) == (200, b"")
        assert (never_made.status_code, never_made.content) == (200, b"")
        assert Export.objects.filter(id=elsewhere.id, status="done").exists()
