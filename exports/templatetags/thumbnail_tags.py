"""Thumbnails in templates: which scenes have one ready, read once per list."""

from django import template

from projects.models import Project

from ..thumbnails import fresh_thumbnail_urls

register = template.Library()


def attach(project: Project, scenes: list) -> list:
    """Give each scene `thumbnail_url` (None until the worker has drawn it as it
    is now) and `thumbnail_failed` (it could not be drawn)."""
    urls = fresh_thumbnail_urls(project, scenes)
    for scene in scenes:
        scene.thumbnail_url = urls.get(scene.id) or None
        scene.thumbnail_failed = urls.get(scene.id) == ""
    return scenes


@register.simple_tag
def with_thumbnails(scenes, project: Project) -> list:
    """The scenes with their thumbnails (one query); the scene list and the timeline read them."""
    return attach(project, list(scenes))


@register.inclusion_tag("scenes/_thumbnail.html")
def project_thumbnail(project: Project) -> dict:
    """A project's thumbnail: its first scene's, or a placeholder."""
    first = project.scenes.first()
    scene = attach(project, [first])[0] if first is not None else None
    return {"scene": scene, "thumb_class": "thumb-project"}
