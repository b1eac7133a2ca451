from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from notices import targets
        from trainees import access

        from .models import Sitting
        from .notice_targets import EXAM_TICKET

        targets.register(EXAM_TICKET)
        # Sittings in the back office (lists, choosers, every view with a pk): the bases of the
        # officer's district.
        access.register_scope(Sitting, access.sittings_managed_by)
        register(NavItem(label=_("My exams"), url_name="exams:list", order=42, visible=access.may_open_my_exams))
        register(NavItem(label=_("Answers to mark"), url_name="exams:marking", order=43, visible=access.may_mark_exams))
        register(
            NavItem(
                label=_("Validator qualification"),
                url_name="exams:qualification",
                order=44,
                visible=access.is_validator_candidate,
            )
        )
