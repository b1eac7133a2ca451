import email
import email.policy
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

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


ROOT = Path(__file__).resolve().parent.parent
# What Django's file e-mail backend writes after each message.
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class Worker:
    """A `celery worker` process started for one test: the queue it consumes and the directory
    its e-mails are written to (tests/worker_settings.py)."""

    process: subprocess.Popen
    queue: str
    mail_dir: Path

    def log(self) -> str:
        """Stop the worker and return the end of what it printed (for a failure message)."""
        self.process.terminate()
        return self.process.communicate(timeout=15)[0].decode(errors="replace")[-3000:]

    def sent_mail(self) -> list[email.message.EmailMessage]:
        """Every e-mail the worker has finished writing (files of one second in no particular order)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            *complete, _being_written = path.read_bytes().split(MAIL_SEPARATOR)
            messages.extend(email.message_from_bytes(raw, policy=email.policy.default) for raw in complete)
        return messages

    def wait_for(self, done, *, timeout: float = 60):
        """Poll `done()` until it returns something true (returned); fail with the worker's log
        when the worker has not got there within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := done():
                return result
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"The worker did not get there:\n{self.log()}")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on Redis, using the test database: it consumes a private
    queue, to which every task queued during the test is routed (tasks run in the worker, not
    in-process), and writes its e-mails as files (`Worker.sent_mail`)."""
    from lms.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "worker-mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "LMS_WORKER_MAIL_DIR": str(mail_dir),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else os.environ.get("DATABASE_URL", ""),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", queue, "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    routes = app.conf.task_routes
    app.conf.update(task_routes={"*": {"queue": queue}})
    app.conf.task_always_eager = False
    try:
        yield Worker(process, queue, mail_dir)
    finally:
        app.conf.task_always_eager = True
        app.conf.update(task_routes=routes)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
