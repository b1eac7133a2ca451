"""Load demo data. Idempotent: running it twice changes nothing the second time.

Every app may provide a `demo.py` with `seed(log)`; they run in INSTALLED_APPS order, so the
ground floor (`trainees`) comes before the apps built on it."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from lms.celery import tasks_in_process


class Command(BaseCommand):
    help = "Create or refresh the demo content, accounts and data (safe to run repeatedly)."

    def handle(self, *args, **options):
        # Demo bookings and invitations notify nobody: made-up addresses get no e-mail, not even
        # later from a worker, so the tasks they queue run (and are marked done) right here.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            tasks_in_process(),
        ):
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                with transaction.atomic():
                    importlib.import_module(module_name).seed(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
