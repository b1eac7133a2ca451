"""Settings of the gunicorn the crash and restart tests start: the test settings, with static
files served from the apps' folders (no collectstatic) as the live server serves them."""

import os

from lms.settings.test import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A parallel test worker keeps its cache and sessions under its own key prefix (tests/conftest.py);
# the server it starts must read the sessions that worker wrote.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    CACHES = {name: {**conf, "KEY_PREFIX": f"{conf.get('KEY_PREFIX', '')}-{_worker}"} for name, conf in CACHES.items()}  # noqa: F405
