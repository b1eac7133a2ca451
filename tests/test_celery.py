"""Tasks run in-process by default and in a real Celery worker on Redis when REDIS_URL is set."""

import importlib
import os
import time

import pytest

from lms.tasks import ping
from tests.factories import UserFactory


def test_without_redis_tasks_run_in_process(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    from lms.settings import base

    settings = importlib.reload(base)
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.CELERY_BROKER_URL == "memory://"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_with_redis_tasks_go_to_the_broker(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    from lms.settings import base

    try:
        settings = importlib.reload(base)
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        assert settings.CELERY_BROKER_URL == "redis://127.0.0.1:6379/3"
        assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_task_runs_in_this_process_by_default():
    result = ping.delay()
    # Run synchronously, here: the result is already there (no .get(), which Celery refuses
    # when another thread left its process-wide "inside a task" flag set).
    assert result.successful()
    assert result.result["pid"] == os.getpid()


@pytest.mark.worker
@pytest.mark.postgres
def test_task_runs_in_a_real_worker_on_redis(celery_worker_process):
    worker = celery_worker_process
    user = UserFactory(email="worker-check@example.com")
    started = time.monotonic()
    result = ping.apply_async(kwargs={"user_id": user.pk}, queue=worker.queue)
    try:
        payload = result.get(timeout=60)
    except Exception:  # noqa: BLE001 - any failure: show the worker log
        pytest.fail(f"The worker did not run the task:\n{worker.log()}")
    assert payload["pid"] == worker.process.pid != os.getpid()
    assert payload["email"] == "worker-check@example.com"
    assert time.monotonic() - started < 60
