"""Issuing, rendering and revoking certificates. Courses, exams and validator qualification call
`certificate_issue`; the PDF is rendered by the Celery task `certificates.tasks.render_pdf`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms import exports

from . import rules
from .models import Certificate, CertificateSequence


def verification_url(certificate: Certificate) -> str:
    """Absolute address of the public verification page (the QR code points here)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certificates:verify", kwargs={"token": certificate.token})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _next_number(kind: str, year: int) -> str:
    sequence, _created = CertificateSequence.objects.get_or_create(kind=kind, year=year)
    sequence = CertificateSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return rules.certificate_number(prefix=Certificate.PREFIX[kind], year=year, sequence=sequence.last)


def certificate_issue(
    *,
    holder,
    kind: str,
    subject: str,
    title_zh: str,
    title_en: str = "",
    hours: Decimal | None = None,
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Certificate:
    """Issue the certificate for one achievement (kind + subject, e.g. "course" +
    "course:<uuid>") to `holder` (a user), numbered per kind and year; idempotent: issuing again
    returns the existing certificate. The PDF is rendered after commit in a Celery task."""
    if kind not in Certificate.Kind.values:
        raise ValidationError(_("Unknown kind of certificate."))
    existing = Certificate.objects.filter(kind=kind, subject=subject, holder=holder).first()
    if existing is not None:
        return existing
    issued_on = issued_on or timezone.localdate()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                number=_next_number(kind, issued_on.year),
                kind=kind,
                subject=subject,
                holder=holder,
                holder_name=holder.get_full_name() or holder.email,
                title_zh=title_zh,
                title_en=title_en,
                hours=hours,
                issued_on=issued_on,
                valid_until=valid_until,
            )
    except IntegrityError:  # issued concurrently for the same achievement
        return Certificate.objects.get(kind=kind, subject=subject, holder=holder)
    from .tasks import render_pdf

    transaction.on_commit(lambda: render_pdf.delay(certificate.pk))
    return certificate


def certificate_revoke(*, certificate_id: int, reason: str, actor=None, now: dt.datetime | None = None) -> Certificate:
    """Revoke a certificate for good (there is no way back): status, time and reason are kept,
    the public verification page then says "revoked", and the revocation is written to the
    audit log with the actor. Raises `ValidationError` without a reason or when the
    certificate is already revoked; `Certificate.DoesNotExist` for an unknown id. Who may
    revoke is decided by `trainees.access.certificates_managed_by` before calling."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking the certificate."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("This certificate was already revoked; a revocation cannot be changed."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = now or timezone.now()
        certificate.revocation_reason = reason[:300]
        certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
        log(
            certificate,
            "certificates.revoke",
            user=actor if getattr(actor, "is_authenticated", False) else None,
            data={"number": certificate.number, "reason": certificate.revocation_reason},
        )
    return certificate


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as an A4 PDF (WeasyPrint; Chinese text in Noto Sans CJK, embedded)."""
    url = verification_url(certificate)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "certificates/certificate_pdf.html",
            {"certificate": certificate, "verification_url": url, "qr": exports.qr_svg_data_uri(url)},
        )
    return exports.pdf_bytes(html)


def certificate_render(*, certificate_id: int) -> Certificate:
    """Render and store the PDF (idempotent: renders again, replacing the file)."""
    certificate = Certificate.objects.get(pk=certificate_id)
    content = certificate_pdf_bytes(certificate)
    if certificate.pdf:
        certificate.pdf.delete(save=False)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return certificate
