"""Settings of the Celery worker the worker tests start (`celery_worker_process`, tests/conftest.py):
the test settings, with e-mails written as files to LMS_WORKER_MAIL_DIR, so the test reads what
the worker sent."""

import os

from lms.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["LMS_WORKER_MAIL_DIR"]
