"""Consent to the processing of personal information (PIPL, Articles 13-14): what a person agreed
to, under which version of the privacy notice, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """One explicit consent, kept as proof (PIPL Art. 14: informed, voluntary, explicit). A new
    notice version asks again; withdrawing sets `withdrawn_at` and keeps the row."""

    class Purpose(models.TextChoices):
        ACCOUNT = "account", _("Account, training and exam records (privacy notice)")
        EVIDENCE = "evidence", _("Evidence files uploaded for a self-assessment")
        EXAM_PHOTO = "exam_photo", _("Photos taken to identify exam candidates")
        SMS = "sms", _("Reminders by SMS to the mobile number")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose"], name="consent_user_purpose")]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.notice_version}"
