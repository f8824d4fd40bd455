"""Settings for chatvideo, read from the environment.

Every setting has a default that works on a laptop (SQLite, no Redis, the
offline brain). Production sets DEBUG=0 and a real SECRET_KEY; with DEBUG off
the app refuses to start without one. On a laptop the key is made per install
and kept in .secret_key (chatvideo/secret.py).
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chatvideo.dbpool import forget_pools_after_fork
from chatvideo.secret import PUBLIC_SECRET_KEYS, development_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envfloat(name: str, default: str) -> float:
    return float(os.environ.get(name, default))


# CHATVIDEO_PRODUCTION=1 marks a real deployment: DEBUG defaults to off there
# and may not be turned on, and SECRET_KEY must come from the environment.
PRODUCTION = envbool("CHATVIDEO_PRODUCTION", "0")
DEBUG = envbool("DEBUG", "0" if PRODUCTION else "1")
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG is on but CHATVIDEO_PRODUCTION=1. Unset DEBUG.")
if SECRET_KEY in PUBLIC_SECRET_KEYS:
    raise ImproperlyConfigured(
        "SECRET_KEY is the old development default, which is public. "
        "Set SECRET_KEY to a long random value (or unset it on a laptop)."
    )
if not SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set but DEBUG is off. "
        "Set SECRET_KEY to a long random value (or DEBUG=1 on a laptop)."
    )
if not SECRET_KEY:
    # A laptop: a random key of this install's own, in a file git ignores.
    SECRET_KEY = development_secret_key(BASE_DIR / ".secret_key")

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_eventstream",
    "django_htmx",
    "axes",
    "projects",
    "scenes",
    "messages_app",
    "django_tasks",
    "django_tasks_db",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request from a page whose session ended goes to the login page.
    "chatvideo.login_redirect.htmx_login_redirect",
    "chatvideo.middleware.content_security_policy",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chatvideo.urls"
ASGI_APPLICATION = "chatvideo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
# One test database per test run, so two runs on one machine do not drop each
# other's database. SQLite's is a file: the live-server tests run daphne in a
# second process, which cannot see an in-memory database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}
    # Wait for the writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One small pool per process, shared by requests, streams and reply
    # runners: closing a connection returns it here. A request that finds all
    # of them in use waits for one (up to the timeout) instead of failing, so
    # open pages can never use up PostgreSQL's max_connections. Open streams
    # hold none between events (messages_app/stream.py).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("CHATVIDEO_DB_POOL_MAX", "5"),
        "timeout": envfloat("CHATVIDEO_DB_POOL_TIMEOUT_SECONDS", "30"),
    }
    forget_pools_after_fork()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login attempts are throttled per account and per address (chatvideo/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "chatvideo.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "chatvideo.login_throttle.LoginThrottleHandler"
# An account is locked per address, never from anywhere: a lock on the name
# alone would let anyone keep a known user out with a few wrong passwords.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = envint("CHATVIDEO_LOGIN_FAILURES_PER_ACCOUNT", "5")
CHATVIDEO_LOGIN_FAILURES_PER_ADDRESS = envint("CHATVIDEO_LOGIN_FAILURES_PER_ADDRESS", "20")
AXES_COOLOFF_TIME = timedelta(minutes=envint("CHATVIDEO_LOGIN_COOLOFF_MINUTES", "15"))
# Tries during a lockout (the right password included) do not push its end back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "chatvideo.login_throttle.lockout_response"
# The address is REMOTE_ADDR, IPv6 counted by /64: a client cannot forge it with a
# header. Behind a reverse proxy, daphne --proxy-headers makes it the client's; see README.
AXES_CLIENT_IP_CALLABLE = "chatvideo.login_throttle.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Exported videos are saved through default_storage (here MEDIA_ROOT; an
# S3-compatible bucket with django-storages, see the README). MEDIA_URL is
# never served: downloads go through an owner-checked view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Background work (video exports, replies whose task call never came) runs in
# `manage.py db_worker` processes through Django's Tasks API (the django-tasks
# backport) with its database backend: any number of workers, on any machine
# that shares the database.
# Renders go to their own queue, so a worker can be kept for chat replies
# (`db_worker --queue-name default`) that a long render never holds up.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "exports"],
    }
}
# A rendering export whose worker has not renewed its lease for this long is
# taken back by `manage.py recover_exports` (re-queued, or failed after too many tries).
CHATVIDEO_EXPORT_LEASE_SECONDS = envint("CHATVIDEO_EXPORT_LEASE_SECONDS", "60")
CHATVIDEO_EXPORT_MAX_ATTEMPTS = envint("CHATVIDEO_EXPORT_MAX_ATTEMPTS", "2")
# Where a worker writes the video while it renders; stale files are swept.
CHATVIDEO_EXPORT_TMP_DIR = Path(
    os.environ.get("CHATVIDEO_EXPORT_TMP_DIR", BASE_DIR / "tmp-exports")
)
# A pending reply nobody has claimed this long after its submit is answered by a worker;
# while its user's replies already take CHATVIDEO_REPLIES_PER_USER runners, the worker
# looks again after this long each time.
CHATVIDEO_ORPHAN_REPLY_SECONDS = envint("CHATVIDEO_ORPHAN_REPLY_SECONDS", "5")

# Events: stored in the database so a reconnecting page can catch up from its
# last event id. With REDIS_URL set, events cross processes (several daphne
# workers, or `manage.py chat` talking to open pages). Old events are pruned by
# `recover_messages`, never in the request that publishes; progress events are
# not stored (messages_app/event_storage.py).
EVENTSTREAM_STORAGE_CLASS = "messages_app.event_storage.EventStorage"
CHATVIDEO_EVENT_RETENTION_HOURS = envint("CHATVIDEO_EVENT_RETENTION_HOURS", "24")
EVENTSTREAM_CHANNELMANAGER_CLASS = "messages_app.events.ProjectChannelManager"


def redis_options(url: str) -> dict:
    """django-eventstream's Redis client options (EVENTSTREAM_REDIS) for a redis:// URL."""
    parts = urlparse(url)
    options = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": int((parts.path or "/0").lstrip("/") or 0),
        # Publishing must not hold a request up while Redis is away (the event
        # is stored, and pages catch up when the bus returns): connect and
        # write quickly or fail, and no retries (redis-py 8 otherwise retries
        # ten times with backoff). The listener's blocking read has no timeout.
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "retry": None,
    }
    if parts.password:
        options["password"] = parts.password
    return options


REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    EVENTSTREAM_REDIS = redis_options(REDIS_URL)

# Behind Pushpin (deploy/pushpin/), the proxy holds the open streams and daphne
# answers only their first request (django-eventstream's GRIP support); events
# are published to Pushpin's control port as well. GRIP_URL is that port with
# Pushpin's signing key, e.g. http://127.0.0.1:5561?iss=pushpin&key=SECRET: a
# request counts as Pushpin's only when signed with that key, so a client
# cannot claim to be the proxy.
GRIP_URL = os.environ.get("GRIP_URL", "")
if GRIP_URL:
    if "key=" not in GRIP_URL:
        raise ImproperlyConfigured("GRIP_URL needs Pushpin's signing key: ...?iss=pushpin&key=...")
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django_htmx.middleware.HtmxMiddleware"), "django_grip.GripMiddleware"
    )
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django_grip.GripMiddleware") + 1,
        "messages_app.stream.RecheckProxiedStreams",
    )
# Pushpin's ZeroMQ PUSH socket (its push_in_spec, e.g. tcp://127.0.0.1:5560):
# set, events go to Pushpin there instead of by HTTP to GRIP_URL's control
# port, leaving the moment they commit (messages_app/pushpin_push.py).
PUSHPIN_PUSH_SPEC = os.environ.get("PUSHPIN_PUSH_SPEC", "") if GRIP_URL else ""
# How often Pushpin asks daphne whether a stream it holds may go on (its next
# link); one request per open stream per period, so at 1,000 open pages the
# default costs daphne about 17 requests a second.
CHATVIDEO_PUSHPIN_RECHECK_SECONDS = envint("CHATVIDEO_PUSHPIN_RECHECK_SECONDS", "60")
if CHATVIDEO_PUSHPIN_RECHECK_SECONDS <= 0:
    raise ImproperlyConfigured("CHATVIDEO_PUSHPIN_RECHECK_SECONDS must be more than 0.")

# Which brain answers messages: "offline" (no network) or a dotted path to a
# class with a decide(context) method.
CHATVIDEO_BRAIN = os.environ.get("CHATVIDEO_BRAIN", "offline")
# How long a claimed message belongs to its runner before another trigger may
# take it over (a runner that died must not leave the dots spinning forever).
CHATVIDEO_CLAIM_LEASE_SECONDS = envint("CHATVIDEO_CLAIM_LEASE_SECONDS", "120")
# A pending message older than this is given up on by `manage.py recover_messages`.
CHATVIDEO_HARD_LIMIT_SECONDS = envint("CHATVIDEO_HARD_LIMIT_SECONDS", "600")
CHATVIDEO_MAX_MESSAGE_CHARS = 4000
# Scenes one project may hold: the add tool refuses more, so a project's page
# (its timeline and scene list) stays quick to render and open.
CHATVIDEO_MAX_SCENES = envint("CHATVIDEO_MAX_SCENES", "500")
# Replies answered at once by one process; more wait their turn.
CHATVIDEO_REPLY_RUNNERS = envint("CHATVIDEO_REPLY_RUNNERS", "8")
# Of those, how many one user's replies may take; the rest wait their turn, so
# one user's slow replies cannot hold up everyone else's (messages_app/runners.py).
CHATVIDEO_REPLIES_PER_USER = envint("CHATVIDEO_REPLIES_PER_USER", "2")
# Messages one user may send (or retry) per minute, over all their projects (0: no limit).
CHATVIDEO_MESSAGES_PER_MINUTE = envint("CHATVIDEO_MESSAGES_PER_MINUTE", "20")
# How often an open event stream checks that its reader may still read it
# (logged in, active, still the project's owner); it ends when not.
CHATVIDEO_STREAM_RECHECK_SECONDS = envfloat("CHATVIDEO_STREAM_RECHECK_SECONDS", "5")
if CHATVIDEO_STREAM_RECHECK_SECONDS <= 0:
    raise ImproperlyConfigured("CHATVIDEO_STREAM_RECHECK_SECONDS must be more than 0.")
# Event streams (open tabs) one user may hold open in one daphne process; one
# more is refused with a 429 the page explains. Behind Pushpin, not counted.
CHATVIDEO_STREAMS_PER_USER = envint("CHATVIDEO_STREAMS_PER_USER", "10")

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS, send cookies only over HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "1" if PRODUCTION else "0")
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
# Error pages (DEBUG) and error e-mails show no secret: chatvideo/reporting.py.
DEFAULT_EXCEPTION_REPORTER = "chatvideo.reporting.SecretSafeExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "chatvideo.reporting.SecretSafeExceptionReporterFilter"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "chatvideo": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django_eventstream": {"handlers": ["console"], "level": "WARNING"},
    },
}

# --- Real AI brains --------------------------------------------------------------
# CHATVIDEO_BRAIN="openai" talks to any server that speaks OpenAI's chat
# completions API (OpenAI itself, Ollama, vLLM, llama.cpp, LM Studio: set
# OPENAI_BASE_URL); CHATVIDEO_BRAIN="anthropic" talks to Anthropic's messages
# API. Nothing here is contacted unless one of those brains is chosen.
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "https://api.openai.com/v1")
# Required for api.openai.com; a local server that checks no key needs none.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
ANTHROPIC_API_KEY = os.environ.get("ANTHROPIC_API_KEY", "")
# Empty: https://api.anthropic.com.
ANTHROPIC_BASE_URL = os.environ.get("ANTHROPIC_BASE_URL", "")
# Empty: the brain's default model (see assistant/llm/openai.py, anthropic.py).
CHATVIDEO_MODEL = os.environ.get("CHATVIDEO_MODEL", "")
# How long to wait for the model server to start answering (and between two
# pieces of a streamed answer), and how often a 429 or 5xx is retried.
CHATVIDEO_LLM_TIMEOUT_SECONDS = envfloat("CHATVIDEO_LLM_TIMEOUT_SECONDS", "60")
CHATVIDEO_LLM_MAX_RETRIES = envint("CHATVIDEO_LLM_MAX_RETRIES", "3")
