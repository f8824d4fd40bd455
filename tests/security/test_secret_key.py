"""The secret key is never public: per install on a laptop, from the environment in production.

Before, DEBUG (the default) ran on a key written in the source, and with it
anyone could forge what SECRET_KEY signs (sessions, the stream's es-meta).
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chatvideo.secret import PUBLIC_SECRET_KEYS, development_secret_key

ROOT = Path(__file__).resolve().parent.parent.parent
OLD_DEFAULT = "dev-only-insecure-secret-key"


def settings_in_a_new_process(**env: str) -> subprocess.CompletedProcess:
    """Load the settings as a fresh `manage.py` would, printing the secret key."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "CHATVIDEO_PRODUCTION"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="chatvideo.settings")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_a_development_key_is_made_once_and_readable_only_by_its_owner(tmp_path):
    path = tmp_path / ".secret_key"

    key = development_secret_key(path)

    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(path) == key
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_temporary_file_left_by_a_killed_start_does_not_stop_the_next(tmp_path):
    # A start killed mid-write (same pid next time, as in a container).
    (tmp_path / f".secret_key.{os.getpid()}.tmp").write_text("half")
    path = tmp_path / ".secret_key"

    key = development_secret_key(path)

    assert len(key) >= 50 and path.read_text().strip() == key


def test_a_key_file_others_can_read_is_made_private(tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("a-key-copied-in-by-hand-" + "x" * 40 + "\n")
    path.chmod(0o644)

    key = development_secret_key(path)

    assert key == "a-key-copied-in-by-hand-" + "x" * 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_each_install_gets_its_own_key(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()

    one = development_secret_key(tmp_path / "one" / ".secret_key")
    two = development_secret_key(tmp_path / "two" / ".secret_key")

    assert one != two
    assert not {one, two} & PUBLIC_SECRET_KEYS


def test_an_empty_key_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("\n")

    with pytest.raises(ImproperlyConfigured, match="is empty; delete it and a new key is made"):
        development_secret_key(path)


def test_the_laptop_key_comes_from_the_git_ignored_file():
    result = settings_in_a_new_process(DEBUG="1")

    assert result.returncode == 0, result.stderr
    key_file = ROOT / ".secret_key"
    assert result.stdout.strip() == key_file.read_text().strip()
    assert result.stdout.strip() not in PUBLIC_SECRET_KEYS
    ignored = subprocess.run(["git", "check-ignore", "-q", str(key_file)], cwd=ROOT)
    assert ignored.returncode == 0, ".secret_key is not ignored by git"


@pytest.mark.parametrize("debug", ["0", "1"])
def test_the_old_public_key_is_refused_in_any_mode(debug):
    result = settings_in_a_new_process(DEBUG=debug, SECRET_KEY=OLD_DEFAULT)

    assert result.returncode != 0
    assert "SECRET_KEY is the old development default, which is public" in result.stderr


def test_production_uses_the_key_from_the_environment():
    key = "a-real-production-key-" + "x7Q" * 16

    result = settings_in_a_new_process(CHATVIDEO_PRODUCTION="1", SECRET_KEY=key)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


def test_production_without_a_key_refuses_to_start():
    result = settings_in_a_new_process(CHATVIDEO_PRODUCTION="1")

    assert result.returncode != 0
    assert "SECRET_KEY is not set but DEBUG is off" in result.stderr
