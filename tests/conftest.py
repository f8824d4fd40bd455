"""Fixtures shared by the suite; shared helpers (send, answer...) are in tests/helpers.py."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from projects.models import Project
from tests.helpers import PASSWORD


def pytest_configure(config) -> None:
    # A fast hasher: the suite creates hundreds of users, and the security of
    # test passwords is not under test. Set before any live server forks, so
    # daphne checks passwords the same way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db) -> User:
    return User.objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def outsider(db) -> User:
    return User.objects.create_user("mallory", password=PASSWORD)


@pytest.fixture
def project(owner) -> Project:
    return Project.objects.create(owner=owner, title="Launch video")


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def outsider_client(outsider) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Files (exports, thumbnails) go to this test's own folders; returns MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHATVIDEO_EXPORT_TMP_DIR = tmp_path / "tmp-exports"
    return settings.MEDIA_ROOT
