"""Celery application. Without REDIS_URL tasks run in-process (eager), so a laptop needs no
broker; with it, a worker (`celery -A lms worker`) consumes them from Redis."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@contextmanager
def tasks_in_process() -> Iterator[None]:
    """Run tasks queued inside the block right here instead of sending them to a worker."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
