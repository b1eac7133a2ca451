"""The one certificate mechanism (ARCHITECTURE.md "Certificates"): course completion, passed
exams and validator qualification all get a numbered certificate, a PDF and a public
verification page reached by an unguessable token."""

import secrets

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.translation import TranslatedField


def new_token() -> str:
    """A random, unguessable verification token (never a sequential number)."""
    return secrets.token_urlsafe(24)


def private_storage():
    """Certificates are personal: kept in the private storage (never served by the proxy), streamed
    only by the permission-checked download view."""
    return storages["evidence"]


class Certificate(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course completion")
        EXAM = "exam", _("Exam passed")
        VALIDATOR = "validator", _("Validator qualification")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    PREFIX = {Kind.COURSE: "C", Kind.EXAM: "E", Kind.VALIDATOR: "V"}

    number = models.CharField(_("number"), max_length=30, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    subject = models.CharField(
        pgettext_lazy("certificate", "subject"),
        max_length=120,
        help_text=_("What was achieved, e.g. course:<translation key>."),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("holder's name"), max_length=150)
    title_zh = models.CharField(pgettext_lazy("certificate", "title (Chinese)"), max_length=200)
    title_en = models.CharField(pgettext_lazy("certificate", "title (English)"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="certificates/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    title = TranslatedField("title_zh", "title_en")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "holder"], name="one_certificate_per_achievement")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


class CertificateSequence(models.Model):
    """Last number used per kind and year; locked while a number is drawn."""

    kind = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_sequence_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
