"""Poster frames and scene thumbnails: where the poster is, and thumbnails drawn
once by the worker's task (real Chromium), reused, renewed on a change, owner-only.

tests/test_thumbnails_browser.py watches the same from the page, with a real
db_worker.
"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageChops, ImageStat

from exports.chromium import FrameCamera, find_chromium
from exports.models import Thumbnail
from exports.thumbnails import render_project_thumbnails, render_thumbnails, thumbnail_size
from projects.models import Project
from scenes.catalog import TEMPLATES
from scenes.check import check_scene_code
from scenes.poster import entrance_end_ms, poster_frame
from scenes.render import render_scene_code, scene_props
from scenes.tools import add_scene, edit_scene
from tests.exports_support import small_project
from tests.helpers import answer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

CUSTOM = """<!doctype html><html><head>{meta}<style>
body {{ margin: 0; background: #101820; }}
h1 {{ color: #fff; animation: pop 1000ms linear 500ms both; }}
@keyframes pop {{ from {{ opacity: 0; }} to {{ opacity: 1; }} }}
</style></head><body><h1>Hi</h1></body></html>"""


@pytest.fixture
def small(owner) -> Project:
    return small_project(owner, scenes=0, title="Small")


def queued_renders(project: Project) -> int:
    return DBTaskResult.objects.filter(
        task_path=render_thumbnails.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args=[project.id],
    ).count()


def stored(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def changed_pixels(a: Image.Image, b: Image.Image) -> int:
    mask = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return mask.histogram()[255]


def bright_pixels(image: Image.Image) -> int:
    return image.convert("L").point(lambda v: 255 if v > 200 else 0).histogram()[255]


def image_urls(html: str) -> list[str]:
    return re.findall(r'<img class="thumb[^"]*" src="([^"]+)"', html)


# --- where the poster is ------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.key)
def test_every_template_poster_shows_its_entrance_done(template) -> None:
    props = scene_props(template=template.key, **template.example_props)
    code = render_scene_code(props, 150, 30)
    frame = poster_frame(code, props, False, 150, 30)
    # Not frame 0 (the background alone), and not before the last element has entered.
    assert frame > 0
    assert frame * 1000 / 30 >= entrance_end_ms(code) * template.poster
    # ... but before the exit starts fading it out (the last sixth).
    assert frame < 125


def test_a_fast_short_scene_still_has_its_poster_inside_it() -> None:
    props = scene_props(template="bullets", title="Why", items=["a", "b", "c"], speed=0.25)
    code = render_scene_code(props, 10, 30)
    assert 0 < poster_frame(code, props, False, 10, 30) <= 9


def test_model_written_code_declares_its_poster() -> None:
    meta = '<meta name="chatvideo-poster" content="1200">'
    code = check_scene_code(CUSTOM.format(meta=meta))  # the checker lets it through
    assert poster_frame(code, {"template": "title"}, True, 90, 30) == 36
    # Past the end: the last frame.
    assert poster_frame(code, {"template": "title"}, True, 30, 30) == 29


def test_model_written_code_without_one_is_shown_in_its_middle() -> None:
    code = CUSTOM.format(meta='<meta name="chatvideo-poster" content="soon">')
    assert poster_frame(code, {"template": "title"}, True, 90, 30) == 45


# --- thumbnails -----------------------------------------------------------------


def test_the_poster_frame_is_not_the_blank_frame_0(small, tmp_path) -> None:
    scene = add_scene(small, props={"title": "Launch Day", "subtitle": "March 3"})
    [thumbnail] = render_project_thumbnails(small.id)
    assert (thumbnail.width, thumbnail.height) == thumbnail_size(small) == (320, 180)
    poster = picture(stored(thumbnail.file.name))

    camera = FrameCamera(find_chromium(), 320, 180, begin_frames=True)
    try:
        camera.load(1, "frame 0", scene.code)
        blank = picture(camera.capture(0))
    finally:
        camera.close()
    poster.save(tmp_path / "poster.png")  # for a person to look at
    blank.save(tmp_path / "frame-0.png")
    # Frame 0 is the background alone: dark, nearly one colour. The poster has
    # the white title on it: a thousand pixels and more changed, hundreds white.
    assert max(ImageStat.Stat(blank).stddev) < 12
    assert bright_pixels(blank) == 0
    assert bright_pixels(poster) > 500
    assert changed_pixels(blank, poster) > 1000


def test_a_thumbnail_is_rendered_once_and_reused(small, owner_client) -> None:
    add_scene(small, props={"title": "Once"})
    assert len(render_project_thumbnails(small.id)) == 1
    stored = Thumbnail.objects.get()
    # Nothing is stale: a second run draws nothing and starts no browser.
    assert render_project_thumbnails(small.id) == []

    tasks_before = DBTaskResult.objects.count()
    for _ in range(3):
        page = owner_client.get(f"/{small.id}/").content.decode()
        assert image_urls(page)[0] == image_urls(page)[1]  # the list's and the timeline's
        image = owner_client.get(image_urls(page)[0])
        assert image.status_code == 200
        assert image["Content-Type"] == "image/jpeg"
        assert "immutable" in image["Cache-Control"]
        assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    listed = owner_client.get("/").content.decode()
    assert image_urls(listed) == [image_urls(page)[0]]  # the project list shows it too
    # Page loads queued nothing and changed nothing.
    assert DBTaskResult.objects.count() == tasks_before
    again = Thumbnail.objects.get()
    assert (again.file.name, again.rendered_at) == (stored.file.name, stored.rendered_at)


def test_a_scene_change_makes_a_fresh_one(small, owner_client) -> None:
    scene = add_scene(small, props={"title": "Before", "background": "#112233"})
    render_project_thumbnails(small.id)
    old = Thumbnail.objects.get()
    old_url = image_urls(owner_client.get(f"/{small.id}/scenes/").content.decode())[0]
    old_bytes = stored(old.file.name)
    DBTaskResult.objects.all().delete()  # the render the add queued has run (above)

    edit_scene(small, scene_id=scene.id, props={"background": "#7c2d12", "title": "After"})

    # The change queued a render; until it has run, the page shows a placeholder.
    assert queued_renders(small) == 1
    html = owner_client.get(f"/{small.id}/scenes/").content.decode()
    assert image_urls(html) == []
    assert f'data-thumbnail-for="{scene.id}"' in html and "thumb-pending" in html
    assert owner_client.get(f"/{small.id}/thumbnails/").json() == {"thumbnails": {}}

    [fresh] = render_project_thumbnails(small.id)
    new_url = image_urls(owner_client.get(f"/{small.id}/scenes/").content.decode())[0]
    assert new_url != old_url and fresh.key != old.key
    assert owner_client.get(f"/{small.id}/thumbnails/").json() == {
        "thumbnails": {str(scene.id): new_url}
    }
    new_bytes = stored(fresh.file.name)
    assert changed_pixels(picture(old_bytes), picture(new_bytes)) > 1000
    # The old file went with the old thumbnail.
    assert not default_storage.exists(old.file.name)


def test_a_deleted_scene_takes_its_thumbnail_file_along(small, owner_client) -> None:
    scene = add_scene(small, props={"title": "Gone soon"})
    [thumbnail] = render_project_thumbnails(small.id)
    assert default_storage.exists(thumbnail.file.name)
    scene.delete()
    assert not default_storage.exists(thumbnail.file.name)


def test_other_users_get_404(small, owner_client, outsider_client) -> None:
    add_scene(small, props={"title": "Mine"})
    render_project_thumbnails(small.id)
    url = image_urls(owner_client.get(f"/{small.id}/").content.decode())[0]
    assert owner_client.get(url).status_code == 200
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.get(f"/{small.id}/thumbnails/").status_code == 404
    # A key the scene does not have is no image either.
    assert (
        owner_client.get(re.sub(r"/[0-9a-f]{32}\.jpg$", "/" + "0" * 32 + ".jpg", url)).status_code
        == 404
    )


def test_a_scene_added_in_a_request_is_drawn_by_the_worker_not_the_request(
    project, owner_client
) -> None:
    reply = answer(owner_client, project, "add a title scene that says Hello")
    assert reply.status == "success", reply.content
    answer(owner_client, project, "add a quote: Less is more")
    # The requests queued one render (the second found it still waiting) and drew nothing.
    assert Thumbnail.objects.count() == 0
    assert queued_renders(project) == 1
    html = owner_client.get(f"/{project.id}/").content.decode()
    assert html.count("thumb-pending") >= 4  # two scenes, in the list and the timeline

    # What the worker runs: the queued task itself.
    task = DBTaskResult.objects.get(
        task_path=render_thumbnails.module_path, status=TaskResultStatus.READY
    )
    assert task.queue_name == "exports"
    assert task.task.call(*task.args_kwargs["args"]) == 2
    assert Thumbnail.objects.exclude(file="").count() == 2


def test_the_command_draws_what_is_missing_once(small) -> None:
    from io import StringIO

    from django.core.management import call_command

    # A scene no worker has drawn yet (as those made before thumbnails existed).
    add_scene(small, props={"title": "Old one"})
    out = StringIO()
    call_command("render_thumbnails", str(small.id), stdout=out)
    assert out.getvalue().startswith("Drew 1 thumbnails")
    out = StringIO()
    call_command("render_thumbnails", stdout=out)
    assert out.getvalue().startswith("Drew 0 thumbnails")


def test_a_new_aspect_ratio_makes_fresh_ones_in_its_shape(small, owner_client) -> None:
    from scenes.projects import do_change_project

    add_scene(small, props={"title": "Turn me"})
    render_project_thumbnails(small.id)
    DBTaskResult.objects.all().delete()

    do_change_project(small, title=small.title, width=1080, height=1920, fps=small.fps)

    assert queued_renders(small) == 1
    assert image_urls(owner_client.get(f"/{small.id}/scenes/").content.decode()) == []
    [fresh] = render_project_thumbnails(small.id)
    assert (fresh.width, fresh.height) == (180, 320)
    assert picture(stored(fresh.file.name)).size == (180, 320)


def test_the_player_is_told_each_scene_poster_frame(small, owner_client) -> None:
    meta = '<meta name="chatvideo-poster" content="1200">'
    add_scene(small, props={"title": "Own code"}, code=CUSTOM.format(meta=meta))
    template_scene = add_scene(small, props={"title": "Template"})
    html = owner_client.get(f"/{small.id}/scenes/").content.decode()
    posters = re.findall(r'data-poster-frame="(\d+)"', html)
    # 1200 ms at 15 fps; the template's at the end of its entrance.
    assert posters == ["18", str(template_scene.poster_frame)]
    assert int(posters[1]) > 0
