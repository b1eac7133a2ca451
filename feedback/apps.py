from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback and outcomes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from trainees.access import experts_visible_to, may_manage_experts, may_see_appraisal, register_scope

        from .models import Expert

        register_scope(Expert, experts_visible_to)
        register(NavItem(label=_("Appraisal"), url_name="feedback:appraisal", order=60, visible=may_see_appraisal))
        register(
            NavItem(label=_("Expert roster"), url_name="feedback:expert_roster", order=61, visible=may_manage_experts)
        )
