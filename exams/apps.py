from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        from notices import targets

        from .notice_targets import EXAM_TICKET

        targets.register(EXAM_TICKET)
