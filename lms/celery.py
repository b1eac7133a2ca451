"""Celery application. Without REDIS_URL tasks run in-process (eager), so a laptop needs no
broker; with it, a worker (`celery -A lms worker`) consumes them from Redis."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
