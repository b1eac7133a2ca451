from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live observation")

    def ready(self) -> None:
        from courses.signals import enrolled
        from lms.navigation import NavItem, register
        from notices import targets

        from . import receivers
        from .notice_targets import LIVE_REGISTRATION

        enrolled.connect(receivers.credit_attendance_before_enrolment, dispatch_uid="live.attendance_before_enrolment")

        targets.register(LIVE_REGISTRATION)
        register(
            NavItem(
                label=_("Live observation"),
                url_name="live:session_list",
                order=22,
                visible=lambda user: user.is_authenticated,
            )
        )
