"""ASGI entry point, served by daphne.

Static files are served by Django's ASGI static handler so one daphne process
is the whole app; put a reverse proxy in front for heavy traffic.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatvideo.settings")

django_application = get_asgi_application()

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

application = ASGIStaticFilesHandler(django_application)
