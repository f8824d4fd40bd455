"""Error reports that never show a secret, even with DEBUG on.

With DEBUG on, Django's 500 page lists the settings, the request and every
frame's local variables; the error e-mails to ADMINS carry the same. Django
hides settings named like KEY or PASS, but not REDIS_URL, DATABASES' hosts,
EVENTSTREAM_REDIS, or a connection string in a local variable, and the
exception's own message can name the database host. So:

- settings named like URL, REDIS or DATABASE are hidden too;
- a frame variable whose value contains a known secret is hidden;
- as a last net, the known secrets (the secret key, API keys, the passwords
  and hosts in the database and Redis settings) are blotted out of the
  finished report, wherever they appear.
"""

import html
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

SUBSTITUTE = SafeExceptionReporterFilter.cleansed_substitute
# A loopback address tells a visitor nothing, and blotting it out would blot
# out the page's own URL on a laptop.
LOOPBACK_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def _host(value: object) -> list[str]:
    host = str(value or "").strip("[]")
    # A one-word host ("db") is no secret worth mangling the page for
    # ("django.db..."): only names with a dot or colon (FQDNs, addresses).
    if host.lower() in LOOPBACK_HOSTS or not re.search(r"[.:]", host):
        return []
    return [host]


def _from_url(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
        found = [url] if "@" in url else []
        if parts.password:
            found += [parts.password, unquote(parts.password)]
        return found + _host(parts.hostname)
    except ValueError:
        return [url]


def secret_strings() -> set[str]:
    """Every value from the settings that a report must not show."""
    found: list[str] = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        found.append(getattr(settings, name, ""))
    for name in ("REDIS_URL", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
        found += _from_url(getattr(settings, name, "") or "")
    redis = getattr(settings, "EVENTSTREAM_REDIS", {}) or {}
    found += [str(redis.get("password") or ""), *_host(redis.get("host"))]
    for database in settings.DATABASES.values():
        found += [str(database.get("PASSWORD") or ""), *_host(database.get("HOST"))]
    return {str(value) for value in found if value}


def _variants(secret: str) -> Iterable[str]:
    """The secret as a report may print it: raw, inside a repr, HTML-escaped."""
    in_repr = repr(secret)[1:-1]
    for form in {secret, in_repr}:
        yield form
        yield html.escape(form)
        yield html.escape(form, quote=False)


def blot_out(text: str, secrets: Iterable[str]) -> str:
    """text with every form of every secret replaced by stars; longest first."""
    forms = {form for secret in secrets for form in _variants(secret) if form}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, SUBSTITUTE)
    return text


class SecretSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|REDIS|DATABASE", flags=re.I
    )

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        secrets = secret_strings()
        return [
            (name, SUBSTITUTE if self._is_secret(name, value, secrets) else value)
            for name, value in variables
        ]

    def _is_secret(self, name: str, value: object, secrets: set[str]) -> bool:
        # By value, not by name: hiding every local called `url` or `key`
        # would hide what a developer needs, and a secret can hide in any name.
        try:
            shown = repr(value)
        except Exception:
            return False  # the report prints its own note for an unprintable value
        return any(secret in shown or repr(secret)[1:-1] in shown for secret in secrets)


class SecretSafeExceptionReporter(ExceptionReporter):
    """Django's reporter, with every known secret blotted out of what it writes."""

    def get_traceback_html(self) -> str:
        return blot_out(super().get_traceback_html(), secret_strings())

    def get_traceback_text(self) -> str:
        return blot_out(super().get_traceback_text(), secret_strings())
