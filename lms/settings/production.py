"""Production settings: every secret must come from the environment (no defaults), so a
missing one stops the process at start-up."""

import os

from .base import *  # noqa: F403
from .base import PRIVATE_MEDIA_ROOT, env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = os.environ["WAGTAILADMIN_BASE_URL"]
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", True)
if not (os.environ.get("DATABASE_URL") or os.environ.get("POSTGRES_HOST")) or not os.environ.get("REDIS_URL"):
    raise RuntimeError("Production needs DATABASE_URL (or POSTGRES_HOST, POSTGRES_PASSWORD…) and REDIS_URL.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage for media, so web replicas share uploads without a volume.
    # django-storages reads AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, … itself.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Evidence stays private: its own prefix, signed URLs only (views stream it as attachments).
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "private-evidence", "default_acl": "private", "querystring_auth": True},
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
