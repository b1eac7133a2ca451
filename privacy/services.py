"""Use cases of personal information: asking for deletion, carrying it out (anonymisation),
and purging what passed its retention period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import DeletionRequest


def deletion_request_create(*, user, reason: str = "") -> DeletionRequest:
    """Record the person's request to delete their personal information. ValidationError when
    one is already waiting for an officer."""
    if DeletionRequest.objects.filter(user=user, status=DeletionRequest.Status.PENDING).exists():
        raise ValidationError(_("Your deletion request is already waiting for an officer."))
    try:
        with transaction.atomic():
            return DeletionRequest.objects.create(user=user, reason=(reason or "").strip()[:2000])
    except IntegrityError as exc:  # a second click raced the first
        raise ValidationError(_("Your deletion request is already waiting for an officer.")) from exc


def deletion_request_handle(*, request_id: int, actor, carry_out: bool, note: str = "") -> DeletionRequest:
    """An officer carries out (anonymises the person) or refuses (with a note) a waiting request.
    PermissionDenied for someone who may not handle requests; ValidationError for a request no
    longer waiting or a refusal without a note."""
    from trainees.access import may_handle_deletion_requests

    if not may_handle_deletion_requests(actor):
        raise PermissionDenied
    note = (note or "").strip()
    if not carry_out and not note:
        raise ValidationError(_("Say why the request is refused: the person reads it."))
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request_id)
        if request.status != DeletionRequest.Status.PENDING:
            raise ValidationError(_("This request was already handled."))
        if carry_out:
            person_anonymise(user_id=request.user_id)
        request.status = DeletionRequest.Status.DONE if carry_out else DeletionRequest.Status.REFUSED
        request.handled_by, request.handled_at, request.officer_note = actor, timezone.now(), note
        request.save(update_fields=["status", "handled_by", "handled_at", "officer_note"])
    return request


def person_anonymise(*, user_id: int) -> None:
    """Delete what identifies the person and keep the records the law requires without it
    (PIPL Art. 47; training, attendance and exam records and the audit trail are kept as the
    Measures on Enterprise Credit Cultivation Management and exam rules require): name, e-mail,
    mobile number, password, e-mail addresses, two-factor devices, notice preferences and
    notices, client addresses of attendance records, the name/e-mail copies of nominations and
    the exam identity photo (a biometric picture: its row and its file). The account is
    deactivated and can no longer sign in."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from exams.models import CandidatePhoto
    from notices.models import Notice, NotificationPreference
    from trainees.models import Consent, NominatedTrainee, User
    from training_bases.models import AttendanceRecord

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        last, first = rules.anonymised_name()
        user.email = rules.anonymised_email(user.pk)
        user.first_name, user.last_name = first, last
        user.phone, user.phone_verified = "", False
        user.is_active = False
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        NotificationPreference.objects.filter(user=user).delete()
        Notice.objects.filter(recipient=user).delete()
        AttendanceRecord.objects.filter(booking__user=user).update(client_address=None)
        NominatedTrainee.objects.filter(user=user).update(name=f"{last}{first}", email="")
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
        photo = CandidatePhoto.objects.filter(user=user).first()
        if photo is not None:
            name, storage = photo.photo.name, photo.photo.storage
            photo.delete()
            transaction.on_commit(lambda: storage.delete(name))  # the file goes once the row is gone for good


def purge_expired(*, now: dt.datetime) -> dict[str, int]:
    """Remove what passed its retention period (`LMS_RETENTION_DAYS`): sent notices, handled
    deletion requests, and (when set) anonymise accounts unused for that long, back-office
    accounts excepted. Returns the count per kind; idempotent."""
    from notices.models import Notice
    from trainees.models import User

    days = settings.LMS_RETENTION_DAYS
    done = {"sent_notices": 0, "handled_requests": 0, "inactive_accounts": 0}
    if cutoff := rules.retention_cutoff(now=now, days=days.get("sent_notices", 0)):
        done["sent_notices"], _ = Notice.objects.filter(sent_at__lt=cutoff).delete()
    if cutoff := rules.retention_cutoff(now=now, days=days.get("handled_requests", 0)):
        done["handled_requests"], _ = (
            DeletionRequest.objects.exclude(status=DeletionRequest.Status.PENDING)
            .filter(handled_at__lt=cutoff)
            .delete()
        )
    if cutoff := rules.retention_cutoff(now=now, days=days.get("inactive_accounts", 0)):
        # Last signed in long ago, or never since joining long ago.
        idle = (
            User.objects.filter(is_active=True, is_superuser=False, is_staff=False)
            .exclude(email__endswith="@deleted.invalid")
            .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
            .exclude(groups__permissions__codename="access_admin")
            .exclude(user_permissions__codename="access_admin")
            .values_list("pk", flat=True)
        )
        for user_id in list(idle):
            person_anonymise(user_id=user_id)
            done["inactive_accounts"] += 1
    return done
