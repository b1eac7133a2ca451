"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Production-Like-Secret-Key-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "aeo.example.cn",
    "WAGTAILADMIN_BASE_URL": "https://aeo.example.cn",
    "DATABASE_URL": "postgres://lms@db:5432/lms",
    "REDIS_URL": "redis://redis:6379/0",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_language_time_and_user_model():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.AUTH_USER_MODEL == "trainees.User"
    assert "allauth.mfa" in settings.INSTALLED_APPS


def test_production_deploy_check_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_redis():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_keeps_no_state_in_the_process():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER)",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.contrib.sessions.backends.cache",
        "lms.redis_cache.RedisCache",
        "False",
    ]


@pytest.mark.django_db
def test_postgresql_connections_start_in_utc_without_a_set_time_zone():
    """Each new connection would otherwise spend a round trip on SET TIME ZONE when the server's
    zone is spelled differently (Debian: Etc/UTC)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no session time zone")
    connection.ensure_connection()
    assert connection.connection.info.parameter_status("TimeZone") == "UTC"
    with CaptureQueriesContext(connection) as ran:
        assert connection._configure_timezone(connection.connection) is False
    assert len(ran) == 0


def test_the_redis_cache_keeps_one_client_and_pool_for_every_thread_and_still_reads_and_writes(settings):
    """One redis-py client and connection pool per server for the process, shared by every call
    and every thread (Django builds a client per call and a pool per thread's backend)."""
    import threading

    from django.core.cache import caches

    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    cache = caches["default"]
    assert type(cache).__module__ == "lms.redis_cache"
    cache.set("client-reuse", {"seats": 3}, 30)
    assert cache.get("client-reuse") == {"seats": 3}
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    seen = {}

    def other_thread():
        other = caches["default"]
        seen["backend"] = other
        seen["client"] = other._cache.get_client(write=True)
        seen["value"] = other.get("client-reuse")

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["backend"] is not cache  # Django's backend per thread...
    assert seen["client"] is cache._cache.get_client(write=True)  # ...on the one client and pool
    assert seen["value"] == {"seats": 3}
    cache.delete("client-reuse")
    assert cache.get("client-reuse") is None


def test_the_compose_environment_gives_a_safe_password_and_separate_redis_databases():
    """docker-compose.yml's app environment under production settings: a password with @ : / #
    reaches PostgreSQL unchanged (separate variables, no URL to encode), and cache, sessions,
    broker and results each use their own Redis database."""
    import re

    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    password = "p@ss:w/rd#1%"
    given = {
        "DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "aeo.example.cn",
        "WAGTAILADMIN_BASE_URL": "https://aeo.example.cn",
        "POSTGRES_PASSWORD": password,
    }

    def interpolate(value):  # ${NAME:?message} and ${NAME:-default}, as Compose does
        return re.sub(
            r"\$\{(\w+)(?::([?-])([^}]*))?\}",
            lambda m: given.get(m.group(1)) or (m.group(3) if m.group(2) == "-" else ""),
            str(value),
        )

    env = {name: interpolate(value) for name, value in compose["x-app"]["environment"].items()}
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; import json; print(json.dumps([s.DATABASES['default']['PASSWORD'],"
        " s.DATABASES['default']['HOST'], s.CACHES['default']['LOCATION'], s.CACHES['sessions']['LOCATION'],"
        " s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND]))",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    import json

    db_password, host, *redis = json.loads(result.stdout.strip().splitlines()[-1])
    assert (db_password, host) == (password, "db")
    assert len({url.rsplit("/", 1)[-1] for url in redis}) == 4, redis
