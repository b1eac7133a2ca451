from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys and publicity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.signals import course_completed
        from live.signals import live_attendance_credited
        from lms.navigation import NavItem, register
        from notices.targets import register as register_notice_target
        from trainees import access
        from training_bases.signals import attendance_recorded

        from . import receivers
        from .models import Survey
        from .notice_targets import SURVEY_INVITATION

        register_notice_target(SURVEY_INVITATION)
        access.register_scope(Survey, access.surveys_managed_by)
        attendance_recorded.connect(receivers.invite_after_training_session, dispatch_uid="surveys.training_session")
        live_attendance_credited.connect(receivers.invite_after_live_session, dispatch_uid="surveys.live_session")
        course_completed.connect(receivers.invite_after_course, dispatch_uid="surveys.course")
        register(
            NavItem(
                label=_("My surveys"),
                url_name="surveys:my_surveys",
                order=40,
                visible=access.may_answer_surveys,
            )
        )
        register(
            NavItem(
                label=_("Survey results"),
                url_name="surveys:results",
                order=41,
                visible=access.may_see_survey_results,
            )
        )
