from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = _("AEO readiness")

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from trainees.access import may_see_readiness_dashboard, rectification_tasks_visible_to, register_scope

        from .models import RectificationTask
        from .receivers import connected_signals

        connected_signals()
        register_scope(RectificationTask, rectification_tasks_visible_to)
        register(
            NavItem(
                label=_("AEO readiness"),
                url_name="readiness:report_mine",
                order=40,
                visible=lambda user: getattr(user, "enterprise_id", None) is not None,
            )
        )
        register(
            NavItem(
                label=_("Readiness dashboard"),
                url_name="readiness:dashboard",
                order=41,
                visible=may_see_readiness_dashboard,
            )
        )
