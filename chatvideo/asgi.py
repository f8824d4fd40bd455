"""ASGI entry point, served by daphne.

Static files are served by Django's ASGI static handler so one daphne process
is the whole app; put a reverse proxy in front for heavy traffic.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")

django_application = get_asgi_application()

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from messages_app.redis_listener import start_listening  # noqa: E402

static_and_django = ASGIStaticFilesHandler(django_application)


async def application(scope, receive, send):
    if scope["type"] == "http":
        # The library subscribes to Redis when the process's first event
        # stream opens, so an event published while that subscription is
        # being made would reach that page only when it next reconnects.
        # Subscribing on the first request of any kind (a page load comes
        # before its stream) closes that gap; the listener runs supervised,
        # so it also comes back after a Redis outage.
        start_listening()
    await static_and_django(scope, receive, send)
