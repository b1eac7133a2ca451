from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_officer_permissions(sender, app_config=None, using="default", apps=None, **kwargs):
    """Permissions exist only after migrations: create this app's, then give officers theirs."""
    if app_config is None or app_config.label != "trainees" or apps is None:
        return
    from django.contrib.auth.management import create_permissions

    from . import reference_data

    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    reference_data.grant_officer_permissions(apps)


class TraineesConfig(AppConfig):
    name = "trainees"
    verbose_name = _("Enterprises and trainees")

    def ready(self) -> None:
        from lms.exports import protect_wagtail_csv_exports
        from lms.navigation import NavItem, register
        from lms.wagtail_patches import scope_chooser_lookups

        protect_wagtail_csv_exports()
        scope_chooser_lookups()

        from .access import is_customs_officer

        post_migrate.connect(_grant_officer_permissions, dispatch_uid="trainees_officer_permissions")
        register(
            NavItem(
                label=_("My enterprise"),
                url_name="trainees:my_enterprise",
                order=20,
                visible=lambda user: getattr(user, "is_authenticated", False) and user.enterprise_id is not None,
            )
        )
        register(
            NavItem(
                label=_("Key training list"),
                url_name="trainees:round_list",
                order=20,
                visible=is_customs_officer,
            )
        )
        register(
            NavItem(label=_("Enterprises"), url_name="trainees:enterprise_list", order=21, visible=is_customs_officer)
        )
