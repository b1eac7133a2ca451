"""Test settings: fast hashing, e-mails kept in memory, tasks run in-process unless a test asks
for the real worker (tests/test_celery.py)."""

from .base import *  # noqa: F403
from .base import LOGGING

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LMS_SMS_BACKEND = "lms.sms.LocmemBackend"
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
WATCH_HEARTBEAT_SECONDS = 2
# Off by default: a page or menu cached by one test must not be seen by another (tests that
# exercise the caches turn them on and start a new generation).
LMS_PAGE_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["handlers"]["console"]["formatter"] = "plain"
LOGGING["root"]["level"] = "WARNING"
LIVE_STREAM_HTTP_HOSTS = ["127.0.0.1", "localhost"]
