"""The Celery app. Configuration is read from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doitong.settings")

app = Celery("doitong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
