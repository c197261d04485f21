"""Doitong settings, read from the environment through one ``environ.Env``.

The embedded defaults need no server: SQLite, kombu's filesystem broker and a
local-memory cache, all under ``DOITONG_VAR_DIR`` (``./var``). Production is a
matter of env vars (see the README's configuration table). Outside DEBUG there
is no default ``DJANGO_SECRET_KEY``: start-up fails instead of running insecurely.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# --- Core ----------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-secret-key"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
VAR_DIR = Path(env.str("DOITONG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "graphene_django",
    "django_celery_results",
    "billing",
    "providers",
    "generations",
    "portal",
]

MIDDLEWARE = [
    "doitong.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The portal's Content-Security-Policy (Django 5.2 has none built in).
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if env.bool("DOITONG_COUNT_QUERIES", default=False):
    MIDDLEWARE.insert(1, "doitong.querycount.QueryCountMiddleware")

ROOT_URLCONF = "doitong.urls"
WSGI_APPLICATION = "doitong.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "django.template.context_processors.i18n",
            ]
        },
    }
]

# --- Database --------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions and WAL let the web process and the worker share the
    # file without "database is locked" errors under the embedded defaults.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# --- Cache -----------------------------------------------------------------
# Rate-limit counters and provider health live here: Redis in production.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {"default": env.cache_url_config(_cache_url or "locmemcache://doitong")}
# django-ratelimit counts with the cache's atomic increment. The embedded locmem
# cache is per process, which is why ./scripts/run serves with one process.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "doitong:rl:"
if not _cache_url:
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Auth ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/dashboard/"

# --- Email -------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/email/
# Development prints mail (password resets) to the console; production sends SMTP.
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Doitong <no-reply@doitong.local>"
)

# --- I18n ------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/
# The portal's URLs carry the language (/en/, /pt-br/, …; see doitong/urls.py).
# Django's codes are lower-case; pages print the BCP 47 form (pt-BR, zh-Hans) in
# <html lang> and hreflang. The compiled catalogues (locale/*/LC_MESSAGES/django.mo)
# are committed; `manage.py portal_compilemessages` rebuilds them without GNU gettext.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("pt-br", "Português (Brasil)"),
    ("zh-hans", "简体中文"),
    ("hi", "हिन्दी"),
    ("ko", "한국어"),
    ("rm", "Rumantsch"),
]
# Django ships no Romansh; register it so get_language_info() and the switcher know it.
LANG_INFO["rm"] = {"bidi": False, "code": "rm", "name": "Romansh", "name_local": "Rumantsch"}
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and media --------------------------------------------------
# https://whitenoise.readthedocs.io/en/stable/django.html
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DOITONG_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Celery ------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
_broker_dir = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: producer and consumer share one folder.
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = False  # never eager by accident (Saleor's regret)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 150
CELERY_TASK_DEFAULT_QUEUE = "generations"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ROUTES = {"generations.tasks.webhook_deliver": {"queue": "webhooks"}}
CELERY_BEAT_SCHEDULE = {
    "webhooks-dispatch-due": {
        "task": "generations.tasks.webhooks_dispatch_due",
        "schedule": 15.0,
    },
    "generations-expire-stuck": {
        "task": "generations.tasks.generations_expire_stuck",
        "schedule": 60.0,
    },
    "idempotency-keys-purge": {
        "task": "generations.tasks.idempotency_keys_purge",
        "schedule": 3600.0,
    },
}

# --- Doitong -------------------------------------------------------------------
# Absolute base for output URLs built outside a request (webhooks); inside a
# request the URL is built from the request's host.
PUBLIC_BASE_URL = env.str(
    "DOITONG_PUBLIC_BASE_URL", default="http://localhost:8000" if DEBUG else ""
)
# Seconds a sandbox job takes to go from QUEUED to COMPLETED (progress is simulated).
SANDBOX_SECONDS = env.float("DOITONG_SANDBOX_SECONDS", default=6.0)
# First backoff, in seconds, after a transient provider error (doubles each time).
PROVIDER_RETRY_BASE_SECONDS = env.float("DOITONG_PROVIDER_RETRY_BASE_SECONDS", default=2.0)
# Largest output Doitong copies from a vendor, in bytes.
OUTPUT_MAX_BYTES = env.int("DOITONG_OUTPUT_MAX_BYTES", default=512 * 1024 * 1024)
# Largest input (image, audio, video) Doitong fetches for a vendor, in bytes.
INPUT_MAX_BYTES = env.int("DOITONG_INPUT_MAX_BYTES", default=20 * 1024 * 1024)
# A job still QUEUED or PROCESSING after this many seconds fails and is refunded.
GENERATION_TIMEOUT_SECONDS = env.int("DOITONG_GENERATION_TIMEOUT_SECONDS", default=3600)
# Test credits a new account starts with, and what the demo tops up to.
STARTER_TEST_CREDITS = env.int("DOITONG_STARTER_TEST_CREDITS", default=100_000)

# Development only: let webhooks go to loopback (localhost) receivers. Off by default.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("DOITONG_WEBHOOKS_ALLOW_LOOPBACK", default=False)

GRAPHENE = {"SCHEMA": "doitong.schema.schema", "ATOMIC_MUTATIONS": False}

# --- Security --------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/security/
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The portal's Content-Security-Policy (portal.middleware): everything from this
# origin, no inline scripts or styles. Extra sources (a CDN in front of /media/)
# go in DOITONG_CSP_EXTRA_MEDIA; PUBLIC_BASE_URL's origin is always allowed.
CSP_EXTRA_MEDIA_SOURCES = env.list("DOITONG_CSP_EXTRA_MEDIA", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DOITONG_LOG_LEVEL", default="INFO")},
}
