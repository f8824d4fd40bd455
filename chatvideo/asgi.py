"""ASGI entry point, served by daphne.

Static files are served by Django's ASGI static handler so one daphne process
is the whole app; put a reverse proxy in front for heavy traffic.
"""

import asyncio
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")

django_application = get_asgi_application()

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django_eventstream.views import get_listener_manager  # noqa: E402

static_and_django = ASGIStaticFilesHandler(django_application)


def listen_to_redis_early() -> None:
    """Subscribe this process to django-eventstream's Redis channel now.

    The library subscribes when the process's first event stream opens, so
    an event published while that subscription is being made would reach
    that page only when it next reconnects. Doing it on the first request of
    any kind (a page load comes before its stream) closes that gap. Uses the
    listener manager's own flag and lock, so the library never subscribes
    twice; django-eventstream is pinned.
    """
    manager = get_listener_manager()
    if manager.redis_listener is None or manager.redis_listener_started:
        return
    with manager.lock:
        if not manager.redis_listener_started:
            asyncio.get_running_loop().create_task(manager.start_redis_listener())
            manager.redis_listener_started = True


async def application(scope, receive, send):
    if scope["type"] == "http":
        listen_to_redis_early()
    await static_and_django(scope, receive, send)
