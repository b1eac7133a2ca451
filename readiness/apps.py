from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = _("AEO readiness")

    def ready(self) -> None:
        from .receivers import connected_signals

        connected_signals()
