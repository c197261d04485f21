"""Settings for the test suite: the real settings with DEBUG off and a test secret.

Every service still comes from the environment, so the same suite runs on the
embedded defaults (SQLite, filesystem broker, local memory cache) and against
PostgreSQL and Redis (``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CACHE_URL``).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DOITONG_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))

from doitong.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SANDBOX_SECONDS = 0.0
PROVIDER_RETRY_BASE_SECONDS = 0.0
SECURE_SSL_REDIRECT = False
