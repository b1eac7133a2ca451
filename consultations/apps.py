from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_permissions(sender, app_config=None, using="default", apps=None, **kwargs):
    """Permissions exist only after migrations: create this app's, then give officers theirs."""
    if app_config is None or app_config.label != "consultations" or apps is None:
        return
    from django.contrib.auth.management import create_permissions

    from . import reference_data

    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    reference_data.grant_officer_permissions(apps)


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from notices import targets
        from trainees.access import is_coordinator, is_enterprise_staff

        from .notice_targets import CONSULTATION_FOLLOWER

        post_migrate.connect(_grant_permissions, dispatch_uid="consultations_officer_permissions")
        targets.register(CONSULTATION_FOLLOWER)
        register(
            NavItem(label=_("Consultations"), url_name="consultations:list", order=45, visible=is_enterprise_staff)
        )
        register(NavItem(label=_("Consultation desk"), url_name="consultations:desk", order=46, visible=is_coordinator))
