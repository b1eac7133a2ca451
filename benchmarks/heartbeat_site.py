"""Settings and URLs for the heartbeat benchmark's gunicorn: production-like (DEBUG off, sessions
in Redis) plus a trivial view to compare with, measured in the same run."""

from lms.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "benchmark-only-secret-key-not-used-elsewhere"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "heartbeat_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
