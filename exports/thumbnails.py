"""Scene thumbnails: each scene's poster frame, rendered once in the worker and reused.

A scene's thumbnail is its poster frame (scenes/poster.py) drawn by the
export's own camera (exports/chromium.FrameCamera: the scene's frame document
in a sandboxed iframe, moved there with the preview's seek protocol), so it
is the picture the paused player shows, only smaller.

Rendering never happens in a web request. A saved scene (any tool, undo, the
admin) or project queues `render_thumbnails` for its project once the
transaction commits; the worker renders the scenes whose thumbnail is missing
or was made from other code, stores each JPEG through default_storage, and
tells the project's open pages the scene's id ("thumbnail" event), which
fetch the new image. A page load only reads what is stored.
"""

import hashlib
import logging
import time
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django_tasks import task
from django_tasks.base import TaskResultStatus

from messages_app.events import send_project_event
from projects.models import Project
from scenes.models import Scene

from .chromium import FrameCamera, SceneFailed, find_chromium
from .models import Thumbnail

logger = logging.getLogger("chatvideo.exports")

# The long side of a thumbnail, in pixels: sharp at twice the size the
# scene list, the timeline and the project list show it.
LONG_SIDE = 320
EVENT = "thumbnail"
# Ahead of queued exports on the same worker (higher runs first).
PRIORITY = 10


def thumbnail_size(project: Project) -> tuple[int, int]:
    """The project's aspect ratio at a long side of LONG_SIDE pixels."""
    scale = LONG_SIDE / max(project.width, project.height)
    return max(2, round(project.width * scale)), max(2, round(project.height * scale))


def thumbnail_key(scene: Scene, project: Project) -> str:
    """What a thumbnail of this scene is made from; a change to any of it needs a new one."""
    width, height = thumbnail_size(project)
    made_from = f"{width}x{height}@{project.fps}/{scene.duration_frames}/{scene.poster_frame}\n"
    return hashlib.sha256((made_from + scene.code).encode()).hexdigest()[:32]


def fresh_thumbnail_urls(project: Project, scenes) -> dict[int, str]:
    """Scene id -> the URL of its current thumbnail, for the scenes the worker has
    drawn as they are now (one query); "" for a scene it could not draw."""
    scenes = list(scenes)
    stored = Thumbnail.objects.filter(scene__in=[s.id for s in scenes])
    made = {
        scene_id: (key, name)
        for scene_id, key, name in stored.values_list("scene_id", "key", "file")
    }
    urls = {}
    for scene in scenes:
        key, name = made.get(scene.id, (None, ""))
        if key is not None and key == thumbnail_key(scene, project):
            urls[scene.id] = name and reverse(
                "projects:thumbnail", args=[project.id, scene.id, key]
            )
    return urls


def stale_scenes(project: Project) -> list[Scene]:
    """The project's scenes whose thumbnail is missing or made from something else."""
    scenes = list(project.scenes.all())
    keys = dict(Thumbnail.objects.filter(scene__project=project).values_list("scene_id", "key"))
    return [s for s in scenes if keys.get(s.id) != thumbnail_key(s, project)]


def render_project_thumbnails(project_id: int) -> list[Thumbnail]:
    """Render the stale thumbnails of a project in one browser; returns those it stored.

    The one runner, used by the worker's task; a project with nothing stale
    starts no browser.
    """
    project = Project.objects.filter(id=project_id).first()
    if project is None:
        return []
    stale = stale_scenes(project)
    if not stale:
        return []
    executable = find_chromium()
    if executable is None:
        logger.error("no Chromium for thumbnails of project %s", project_id)
        return []
    width, height = thumbnail_size(project)
    done = []
    camera = FrameCamera(executable, width, height, begin_frames=True)
    try:
        for scene in stale:
            thumbnail = render_one(camera, project, scene, width, height)
            if thumbnail is not None:  # None: the scene was deleted meanwhile
                done.append(thumbnail)
    finally:
        camera.close()
    return done


def render_one(camera: FrameCamera, project: Project, scene: Scene, width: int, height: int):
    """Draw one scene's poster frame and store it (or why it could not be drawn);
    None when the scene was deleted meanwhile."""
    key = thumbnail_key(scene, project)
    started = time.monotonic()
    picture, error = None, ""
    try:
        camera.load(scene.order, f"Scene {scene.order} ({scene.name})", scene.code)
        picture = camera.capture(scene.poster_frame * 1000 / project.fps)
    except SceneFailed as exc:
        error = str(exc)
    render_ms = round((time.monotonic() - started) * 1000)
    name = ""
    if picture is not None:
        name = default_storage.save(
            f"thumbnails/{project.id}/scene-{scene.id}-{key}.jpg", ContentFile(picture)
        )
    try:
        thumbnail = store(scene, key, name, error, width, height, render_ms)
    except Exception:
        if name:  # no row will name the file
            default_storage.delete(name)
        raise
    if thumbnail is not None:
        send_project_event(project.id, EVENT, {"scene_id": scene.id})
    return thumbnail


def store(scene: Scene, key: str, name: str, error: str, width: int, height: int, render_ms: int):
    """Keep the new thumbnail and drop the file of the one it replaces."""
    with transaction.atomic():
        # The project's lock, which every scene change takes first: without it
        # a scene deleted (uncommitted) in a reply still looked here, and on
        # PostgreSQL the row below then failed its foreign key at commit.
        project = Project.objects.select_for_update().filter(id=scene.project_id)
        if not list(project.values_list("id", flat=True)) or not (
            Scene.objects.filter(id=scene.id).exists()
        ):
            # Deleted while it rendered: nothing to attach the file to.
            if name:
                transaction.on_commit(lambda: default_storage.delete(name))
            return None
        old = Thumbnail.objects.select_for_update().filter(scene_id=scene.id).first()
        old_name = old.file.name if old is not None else ""
        thumbnail, _ = Thumbnail.objects.update_or_create(
            scene_id=scene.id,
            defaults={
                "key": key,
                "file": name,
                "error": error,
                "width": width,
                "height": height,
                "render_ms": render_ms,
            },
        )
        if old_name and old_name != name:
            transaction.on_commit(lambda: default_storage.delete(old_name))
    return thumbnail


@task(queue_name="exports", priority=PRIORITY)
def render_thumbnails(project_id: int) -> int:
    """The worker's task: render a project's stale thumbnails; returns how many it stored."""
    return len(render_project_thumbnails(project_id))


def enqueue_thumbnails(project_id: int) -> None:
    """Queue a render for the project, unless one is already waiting (it will see this change)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=render_thumbnails.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args=[project_id],
    )
    try:
        if not waiting.exists():
            render_thumbnails.enqueue(project_id)
    except Exception:
        # A thumbnail is a nicety: a queue that is down must not fail the scene's save.
        logger.exception("could not queue thumbnails of project %s", project_id)


def enqueue_after_commit(project_id: int) -> None:
    """Queue the project's render once the transaction commits: once, however
    many of its scenes the transaction saved (a whole-video change saves them
    all, and each look at the queue is a query).

    Django drops a callback whose savepoint rolls back, so one still listed
    (connection.run_on_commit) will run.
    """
    queue = partial(enqueue_thumbnails, project_id)
    for _, waiting, _ in transaction.get_connection().run_on_commit:
        if isinstance(waiting, partial) and (waiting.func, waiting.args) == (
            queue.func,
            queue.args,
        ):
            return
    transaction.on_commit(queue)


@receiver(post_save, sender=Scene, dispatch_uid="thumbnails-scene-saved")
def scene_saved(sender, instance: Scene, **kwargs) -> None:
    enqueue_after_commit(instance.project_id)


@receiver(post_save, sender=Project, dispatch_uid="thumbnails-project-saved")
def project_saved(sender, instance: Project, created: bool, **kwargs) -> None:
    # Its size or rate may have changed, which every thumbnail is made for.
    if not created:
        enqueue_after_commit(instance.id)
