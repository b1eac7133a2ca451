"""The application as the attempts benchmark serves it with gunicorn: DEBUG off (no query
log) and one trivial view (`/bench/trivial/`) to compare the answer save against."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

application = get_wsgi_application()
settings.DEBUG = False
settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

import lms.urls  # noqa: E402

lms.urls.urlpatterns.insert(0, path("bench/trivial/", lambda request: HttpResponse("ok")))
