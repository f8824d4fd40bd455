"""The development secret key: random per install, kept in a file git ignores.

A key written in the source is public, and SECRET_KEY signs sessions,
password-reset links and CSRF tokens. So a laptop without SECRET_KEY gets a
key of its own, made on first use and readable only by its owner.
Production never uses this: it must set SECRET_KEY (chatvideo/settings.py).
"""

import os
import secrets
import tempfile
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
    # A random name (mode 0600), not one made from the pid: a process killed
    # mid-write would leave it behind, and in a container the next start has
    # the same pid, so it would fail on that file for good.
    descriptor, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
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
    if path.stat().st_mode & 0o077:
        # Made or copied by hand with a loose mode: only its owner may read it.
        path.chmod(0o600)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; delete it and a new key is made.")
    return key
