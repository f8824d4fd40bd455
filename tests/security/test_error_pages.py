"""No error page shows a secret, even with DEBUG on.

Before, a database outage's debug page showed REDIS_URL with its password.
Each test here makes a real connection fail (the hosts are in `.invalid`,
which never resolves) and renders the page Django shows for it, as HTML
(a browser) and as text (curl, and the error e-mails to ADMINS).
"""

import sys

import pytest
import redis
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import RequestFactory
from django.views.debug import technical_500_response

DB_HOST = "db.internal.invalid"
DB_PASSWORD = "db-pass-Zq81"
REDIS_HOST = "redis.internal.invalid"
REDIS_PASSWORD = "redis-pass-Hk27"
REDIS_URL = f"redis://:{REDIS_PASSWORD}@{REDIS_HOST}:6390/0"
OPENAI_API_KEY = "sk-openai-test-Vb55"
ANTHROPIC_API_KEY = "sk-ant-test-Lm09"


@pytest.fixture
def production_like_settings(db, settings, monkeypatch):
    """The settings a real deployment has: a remote database and Redis, model keys."""
    settings.DEBUG = True
    settings.REDIS_URL = REDIS_URL
    settings.EVENTSTREAM_REDIS = {
        "host": REDIS_HOST,
        "port": 6390,
        "db": 0,
        "password": REDIS_PASSWORD,
        "socket_connect_timeout": 1,
        "retry": None,  # one attempt: the outage is the point
    }
    settings.OPENAI_API_KEY = OPENAI_API_KEY
    settings.ANTHROPIC_API_KEY = ANTHROPIC_API_KEY
    # A second database alias, so the test's own database keeps working.
    remote = connections.configure_settings(
        {
            "default": {**settings.DATABASES["default"]},
            "remote": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "chatvideo",
                "USER": "chatvideo",
                "PASSWORD": DB_PASSWORD,
                "HOST": DB_HOST,
                "PORT": "5432",
                "OPTIONS": {"connect_timeout": 2},
            },
        }
    )["remote"]
    monkeypatch.setitem(settings.DATABASES, "remote", remote)
    return remote


def error_pages(exc_info) -> dict[str, str]:
    """The debug 500 page for this exception, as a browser and as curl get it."""
    pages = {}
    for kind, accept in [("html", "text/html"), ("text", "text/plain")]:
        request = RequestFactory().get("/1/", headers={"Accept": accept})
        response = technical_500_response(request, *exc_info)
        assert response.status_code == 500
        pages[kind] = response.content.decode()
    return pages


def assert_no_secret(page: str, exception_name: str, secret_key: str) -> None:
    # It is the real debug page, with what a developer needs.
    assert exception_name in page
    assert "********************" in page
    for secret in [
        DB_HOST,
        DB_PASSWORD,
        REDIS_HOST,
        REDIS_PASSWORD,
        OPENAI_API_KEY,
        ANTHROPIC_API_KEY,
        secret_key,
    ]:
        assert secret not in page


def test_a_database_outage_page_shows_no_secret(production_like_settings, settings):
    # Connected under an alias of its own: the test runner only lets a test
    # connect to databases it declared, and the page's settings still list it.
    remote = DatabaseWrapper(production_like_settings, alias="outage")
    try:
        remote.ensure_connection()
    except Exception:
        exc_info = sys.exc_info()
    else:
        pytest.fail(f"{DB_HOST} answered")

    for page in error_pages(exc_info).values():
        assert_no_secret(page, "OperationalError", settings.SECRET_KEY)


def test_a_redis_outage_page_shows_no_secret(production_like_settings, settings):
    client = redis.Redis(**settings.EVENTSTREAM_REDIS)
    try:
        client.publish("events_channel", "{}")
    except redis.RedisError:
        exc_info = sys.exc_info()
    else:
        pytest.fail(f"{REDIS_HOST} answered")
    finally:
        client.close()

    for page in error_pages(exc_info).values():
        assert_no_secret(page, "ConnectionError", settings.SECRET_KEY)
