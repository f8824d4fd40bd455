"""The development secret key: random per install, kept in a file git ignores.

A key written in the source is public, and SECRET_KEY signs sessions,
password-reset links and CSRF tokens. So a laptop without SECRET_KEY gets a
key of its own, made on first use and readable only by its owner.
Production never uses this: it must set SECRET_KEY (chatvideo/settings.py).
"""

import os
import secrets
from contextlib import suppress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The key this app once shipped with; it is public, so it is refused everywhere.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-insecure-secret-key"})


def development_secret_key(path: Path) -> str:
    """The key stored at path, created (mode 0600) with a random key if there is none.

    The new key is written to a private temporary file, then linked into
    place, so two processes starting at once agree on one complete key.
    """
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        # If another process got there first, its key wins.
        with suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; delete it and a new key is made.")
    return key
