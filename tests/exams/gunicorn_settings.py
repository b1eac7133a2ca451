"""Settings of the gunicorn the crash and restart tests start: the test settings, with static
files served from the apps' folders (no collectstatic) as the live server serves them."""

from lms.settings.test import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
