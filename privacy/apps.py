from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal information (PIPL): the privacy notice, a person's copy of their data, deletion
    requests handled by officers, and retention. Reads every app's `selectors.personal_data`;
    no app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Personal information")

    def ready(self) -> None:
        from trainees import access

        from .models import DeletionRequest

        access.register_scope(DeletionRequest, access.deletion_requests_visible_to)
