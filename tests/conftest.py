import importlib
import importlib.util
import os
import shutil

import pytest
from celery._state import _set_task_join_will_block
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import set_script_prefix, set_urlconf
from django.utils import timezone, translation

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    if IN_CI and (not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL")):
        raise pytest.UsageError("In CI the suite must run on PostgreSQL and Redis: set DATABASE_URL and REDIS_URL.")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("This test needs PostgreSQL, which CI must provide.")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    if item.get_closest_marker("worker") and not os.environ.get("REDIS_URL"):
        if IN_CI:
            pytest.fail("This test needs Redis and a Celery worker, which CI must provide.")
        pytest.skip("needs Redis (set REDIS_URL)")


@pytest.fixture(scope="session", autouse=True)
def _cache_per_worker():
    """Parallel workers (pytest-xdist) share one Redis: each gets its own key prefix, so one
    worker's cache writes and invalidations (Wagtail's site paths, sessions) never reach another."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield
        return
    caches = {
        name: {**conf, "KEY_PREFIX": f"{conf.get('KEY_PREFIX', '')}-{worker}"} for name, conf in settings.CACHES.items()
    }
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _reset_thread_state():
    """Leave no per-thread state behind for the next test, whatever order tests run in: a request
    to `/en/…` activates English, a view may activate a time zone or a URLconf; the next test must
    start in the default language (Simplified Chinese) and time zone (Asia/Shanghai)."""
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(settings.LANGUAGE_CODE)
    timezone.deactivate()
    set_urlconf(None)
    set_script_prefix("/")
    # Celery's process-wide "inside a task" flag: eager tasks run by several threads at once (the
    # concurrency tests) can leave it set, and a later `result.get()` would then be refused.
    _set_task_join_will_block(False)


def load_reference_data() -> None:
    """Recreate what data migrations put in every database (tables are flushed after
    transactional and live-server tests): each app's `reference_data.load`, then the site and
    the back-office permissions on it."""
    for config in apps.get_app_configs():
        name = f"{config.name}.reference_data"
        if importlib.util.find_spec(name) is not None and hasattr(module := importlib.import_module(name), "load"):
            module.load(apps)
    from cms.reference_data import grant_back_office_permissions
    from cms.setup import ensure_site

    grant_back_office_permissions(apps, ensure_site().pk)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With --reuse-db the database may come from a run whose last tests flushed it: put the
    reference data back before any test runs."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def site(transactional_db):
    """The Wagtail site with its Chinese and English home pages, for live-server tests."""
    load_reference_data()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(executable):
        pytest.fail(f"Chromium not found at {executable}: CI installs `chromium` (apt-get).", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
