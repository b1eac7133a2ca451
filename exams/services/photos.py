"""Candidate identity photos (issue 14 point 2: the invigilator sees name and photo at
check-in). Personal information under the PIPL (个人信息保护法): collected only with the person's
separate consent to the stated purpose, stored in private storage, re-encoded (metadata such as
location dropped), shown only to the person and to invigilators/officers, deleted on request."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from lms import uploads
from trainees.models import Consent
from trainees.services import consent_record, consent_withdraw

from ..models import CandidatePhoto

MAX_SIDE = 800


def _reencoded(data: bytes) -> bytes:
    """The picture as a JPEG of at most MAX_SIDE pixels a side, without metadata (EXIF, GPS)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise ValidationError(_("Upload a JPEG, PNG or WebP photo."))
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo.")) from exc


def candidate_photo_save(*, user, data: bytes, consent: bool) -> CandidatePhoto:
    """Store (or replace) `user`'s identity photo with their consent recorded in the person's
    consents under the privacy notice (`trainees.services.consent_record`, purpose EXAM_PHOTO:
    time and notice version). Raises ValidationError without consent, for a file too large or
    not a photo."""
    if not consent:
        raise ValidationError(_("Tick the consent to let invigilators see your photo at check-in."))
    uploads.check_size(len(data), settings.LMS_EXAM_PHOTO_MAX_BYTES)
    jpeg = _reencoded(data)
    with transaction.atomic():
        photo = CandidatePhoto.objects.select_for_update().filter(user=user).first()
        old_name = photo.photo.name if photo else None
        photo = photo or CandidatePhoto(user=user)
        photo.photo.save("photo.jpg", ContentFile(jpeg), save=False)
        photo.save()
        consent = consent_record(user=user, purpose=Consent.Purpose.EXAM_PHOTO)
        log(photo, "exams.photo", user=user, data={"notice_version": consent.notice_version})
    if old_name and old_name != photo.photo.name:
        photo.photo.storage.delete(old_name)
    return photo


def candidate_photo_delete(*, user) -> bool:
    """Delete the person's photo and its file, and withdraw the consent. Returns whether one existed."""
    photo = CandidatePhoto.objects.filter(user=user).first()
    if photo is None:
        return False
    name, storage = photo.photo.name, photo.photo.storage
    photo.delete()
    consent_withdraw(user=user, purpose=Consent.Purpose.EXAM_PHOTO)
    storage.delete(name)
    return True
