"""A thumbnail is reached only through its own project: the outsider's own
project URL with someone else's scene id and key is no image, and the
ready-list of a project names only its own scenes.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from exports.thumbnails import store, thumbnail_key
from projects.models import Project
from scenes.tools import add_scene

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0 a secret picture"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def drawn(project: Project, title: str):
    """A scene with a stored, current thumbnail (as the worker leaves it)."""
    scene = add_scene(project, props={"title": title})
    key = thumbnail_key(scene, project)
    name = default_storage.save(f"thumbnails/{project.id}/scene-{scene.id}.jpg", ContentFile(JPEG))
    store(scene, key, name, "", 320, 180, 5)
    return scene, key


def test_another_project_s_thumbnail_is_not_reached_through_your_own(
    owner, project, outsider, outsider_client
):
    secret, key = drawn(project, "Secret")
    theirs = Project.objects.create(owner=outsider, title="Mallory's")
    own, own_key = drawn(theirs, "Mine")

    # Their own image works; alice's scene id and key under their own project do not.
    assert (
        outsider_client.get(f"/{theirs.id}/scenes/{own.id}/thumbnail/{own_key}.jpg").status_code
        == 200
    )
    response = outsider_client.get(f"/{theirs.id}/scenes/{secret.id}/thumbnail/{key}.jpg")
    assert response.status_code == 404
    assert JPEG not in response.content
    assert (
        outsider_client.get(f"/{project.id}/scenes/{secret.id}/thumbnail/{key}.jpg").status_code
        == 404
    )

    ready = outsider_client.get(f"/{theirs.id}/thumbnails/").json()["thumbnails"]
    assert list(ready) == [str(own.id)]


def test_thumbnail_urls_only_answer_get(owner_client, project):
    scene, key = drawn(project, "Mine")
    url = f"/{project.id}/scenes/{scene.id}/thumbnail/{key}.jpg"

    assert owner_client.get(url).status_code == 200
    assert owner_client.post(url).status_code == 405
    assert owner_client.post(f"/{project.id}/thumbnails/").status_code == 405
