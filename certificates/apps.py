from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from trainees import access

        from .models import Certificate

        access.register_scope(Certificate, access.certificates_managed_by)
