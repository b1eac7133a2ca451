"""Per-candidate extra time of an exam (issue 14 point 1: an accommodation), set and removed by
officers in the back office, audited. It is added to each attempt when it starts; an attempt
already running gets more time from the invigilator's console."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from trainees import access

from .. import rules
from ..models import Exam, ExtraTime
from .ticket_batches import AUDIENCE_ROLES


def extra_time_person(*, exam: Exam, actor, contact: str):
    """The candidate named by an e-mail address or mobile number, among the people `actor` may
    see and of the exam's audience. Raises ValidationError saying which it is not."""
    lines = rules.contact_lines(contact)
    if len(lines) != 1 or lines[0].kind == "invalid":
        raise ValidationError(_("Give one e-mail address or mainland mobile number."))
    line = lines[0]
    people = access.people_visible_to(actor, get_user_model().objects.all())
    if line.kind == "email":
        person = people.annotate(email_lower=Lower("email")).filter(email_lower=line.value).first()
    else:
        person = people.filter(phone=line.value).first()
    if person is None:
        raise ValidationError(_("Nobody with “%(text)s” is registered in your district.") % {"text": line.text})
    if not person.has_role(AUDIENCE_ROLES[exam.audience]):
        raise ValidationError(
            _("%(name)s is not among the exam's candidates (%(audience)s).")
            % {"name": person.get_full_name() or person.email, "audience": exam.get_audience_display()}
        )
    return person


def extra_time_set(*, exam: Exam, user, minutes: int, actor) -> ExtraTime:
    """Give `user` `minutes` extra minutes at `exam` (replacing any earlier figure), audited."""
    if not 1 <= minutes <= 600:
        raise ValidationError(_("Give between 1 and 600 extra minutes."))
    with transaction.atomic():
        extra, _created = ExtraTime.objects.update_or_create(exam=exam, user=user, defaults={"minutes": minutes})
        log(exam, "exams.extra_time", user=actor, data={"user": user.pk, "minutes": minutes})
    return extra


def extra_time_remove(*, extra: ExtraTime, actor) -> None:
    """Take a candidate's extra time away, audited."""
    with transaction.atomic():
        log(extra.exam, "exams.extra_time", user=actor, data={"user": extra.user_id, "minutes": 0})
        extra.delete()
