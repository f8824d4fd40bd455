"""Talking to a provider: its configuration, its failures in words, and retries with backoff."""

import json
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import httpx2
from django.conf import settings

from assistant.decision import BrainError
from scenes.values import shorten

from .streaming import Answer

logger = logging.getLogger("chatvideo.llm")

# Backoff between retries of a 429 or 5xx: base * 2**n seconds, at most
# MAX_RETRY_SECONDS, less up to a quarter at random. A Retry-After header is
# followed when it asks for at most MAX_RETRY_AFTER_SECONDS; a longer wait is
# not retried (the reply would outlive its claim), the user is told instead.
RETRY_BASE_SECONDS = 0.5
MAX_RETRY_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 30.0
# While it waits (a backoff), a brain renews its claim at least this often, so
# no other runner takes the reply over.
KEEP_ALIVE_SECONDS = 10.0


# --- Configuration and failures ----------------------------------------------------


@dataclass(frozen=True)
class LLMConfig:
    """One brain's settings, read when it decides (so override_settings works)."""

    key_setting: str  # the setting a person fixes when the key is refused
    base_url_setting: str
    api_key: str
    base_url: str
    model: str
    timeout: float
    max_retries: int

    @property
    def shown_url(self) -> str:
        """base_url as errors and logs may show it: no user, password, query or fragment.

        A model server URL can carry credentials (https://user:pass@host/v1,
        or ?key=... for some proxies), and errors are shown in the chat.
        """
        return public_url(self.base_url)

    @classmethod
    def from_settings(cls, *, key_setting: str, base_url_setting: str, base_url: str, model: str):
        return cls(
            key_setting=key_setting,
            base_url_setting=base_url_setting,
            api_key=(getattr(settings, key_setting, "") or "").strip(),
            base_url=base_url.rstrip("/"),
            model=(settings.CHATVIDEO_MODEL or "").strip() or model,
            timeout=float(settings.CHATVIDEO_LLM_TIMEOUT_SECONDS),
            max_retries=max(0, int(settings.CHATVIDEO_LLM_MAX_RETRIES)),
        )


@dataclass(frozen=True)
class Failure:
    """A provider failure, sorted into what a person can act on."""

    kind: str  # auth, rate, server, timeout, connect, broken, not_found, refused, unreadable
    status: int | None = None
    detail: str = ""
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        if self.kind not in ("rate", "server"):
            return False
        return self.retry_after is None or self.retry_after <= MAX_RETRY_AFTER_SECONDS

    def sentence(self, config: LLMConfig, retries: int) -> str:
        retried = f"; retried {times(retries)}" if retries else ""
        if self.kind == "auth":
            return f"The API key was refused (check {config.key_setting})."
        if self.kind == "rate":
            return f"Rate limited by the provider{retried}. Try again in a minute."
        if self.kind == "server":
            status = f" (HTTP {self.status})" if self.status else ""
            if not self.status and self.detail:
                status = f" ({self.detail.rstrip('.')})"
            return f"The provider had an error{status}{retried}."
        if self.kind == "timeout":
            return f"The model did not answer in {config.timeout:g} s."
        if self.kind == "connect":
            return f"Could not reach the model server at {config.shown_url}."
        if self.kind == "broken":
            return (
                f"The connection to the model server at {config.shown_url} broke "
                "before the answer was complete."
            )
        if self.kind == "not_found":
            return (
                f"The model server answered 404 Not Found: check CHATVIDEO_MODEL "
                f"({config.model}) and {config.base_url_setting} ({config.shown_url})."
            )
        if self.kind == "unreadable":
            return "The model server sent an answer that could not be read."
        detail = f": {self.detail}" if self.detail else "."
        return f"The provider refused the request (HTTP {self.status}){detail}"


def public_url(url: str) -> str:
    """url without its user info, query and fragment (where credentials travel)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(the configured URL)"  # unparseable: show none of it
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def classify(exc: Exception, library: ModuleType) -> Failure | None:
    """Sort an exception from the openai or anthropic library (same class names)."""
    if isinstance(exc, library.APITimeoutError | httpx2.TimeoutException):
        return Failure("timeout")
    if isinstance(exc, library.APIConnectionError | httpx2.TransportError):
        cause = exc if isinstance(exc, httpx2.TransportError) else exc.__cause__
        if isinstance(cause, httpx2.ConnectError | httpx2.UnsupportedProtocol):
            return Failure("connect")
        return Failure("broken")
    if isinstance(exc, library.APIStatusError):
        status = exc.status_code
        detail = error_detail(getattr(exc, "body", None)) or ""
        error_type = error_kind(getattr(exc, "body", None))
        if status == 200:
            # An error event in the middle of a stream (Anthropic's overloaded_error).
            if error_type == "rate_limit_error":
                return Failure("rate", 429, detail)
            return Failure("server", None, detail)
        headers = exc.response.headers if exc.response is not None else {}
        if status in (401, 403):
            return Failure("auth", status, detail)
        if status == 429:
            return Failure("rate", status, detail, retry_after(headers))
        if status >= 500:
            return Failure("server", status, detail, retry_after(headers))
        if status == 404:
            return Failure("not_found", status, detail)
        return Failure("refused", status, detail)
    if isinstance(exc, library.APIResponseValidationError | json.JSONDecodeError):
        return Failure("unreadable")
    if isinstance(exc, library.APIError):
        # An error object in the middle of an OpenAI-style stream.
        return Failure("server", None, error_detail(getattr(exc, "body", None)) or exc.message)
    return None


# user:password@ in a URL: a gateway's error may quote the URL it was given.
URL_USERINFO = re.compile(r"(?<=://)[^/\s@]+@")


def error_detail(body: object) -> str:
    """The provider's own message from an error body, shortened for the chat (no passwords)."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return shorten(URL_USERINFO.sub("", str(message)), 300)
    elif isinstance(body, str) and body.strip():
        return shorten(URL_USERINFO.sub("", body), 300)
    return ""


def error_kind(body: object) -> str:
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("type", ""))
    return ""


def retry_after(headers) -> float | None:
    """Seconds the server asks us to wait (retry-after-ms, or Retry-After)."""
    try:
        if value := headers.get("retry-after-ms"):
            return max(0.0, float(value) / 1000)
        if value := headers.get("retry-after"):
            try:
                return max(0.0, float(value))
            except ValueError:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None
    return None


def backoff(retries: int, failure: Failure) -> float:
    if failure.retry_after is not None:
        return failure.retry_after
    delay = min(RETRY_BASE_SECONDS * 2**retries, MAX_RETRY_SECONDS)
    return delay * (1 - 0.25 * random.random())


def call_with_retries(
    config: LLMConfig,
    attempt: Callable[[], Answer],
    library,
    keep_alive: Callable[[], None] = lambda: None,
) -> Answer:
    """Run one request, retrying a 429 or 5xx up to max_retries times.

    The clients are built with max_retries=0, so each attempt here is one real
    HTTP request and the count in the error message is exact. `keep_alive`
    (BrainContext's) renews the claim before each attempt and while waiting.
    """
    retries = 0
    while True:
        keep_alive()
        try:
            return attempt()
        except BrainError:
            raise
        except Exception as exc:
            failure = classify(exc, library)
            if failure is None:
                raise
            if failure.retryable and retries < config.max_retries:
                delay = backoff(retries, failure)
                retries += 1
                logger.warning(
                    "%s from %s; retry %d of %d in %.2f s",
                    failure.status or failure.kind,
                    config.shown_url,
                    retries,
                    config.max_retries,
                    delay,
                )
                wait(delay, keep_alive)
                continue
            raise BrainError(failure.sentence(config, retries)) from exc


def wait(seconds: float, keep_alive: Callable[[], None]) -> None:
    """Sleep, renewing the claim every KEEP_ALIVE_SECONDS of it."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, KEEP_ALIVE_SECONDS))
        if deadline - time.monotonic() > 0:
            keep_alive()
