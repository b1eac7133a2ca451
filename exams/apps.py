from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from notices import targets
        from trainees import access

        from .models import Sitting
        from .notice_targets import EXAM_TICKET

        targets.register(EXAM_TICKET)
        # Sittings in the back office (lists, choosers, every view with a pk): the bases of the
        # officer's district.
        access.register_scope(Sitting, access.sittings_managed_by)
