"""A consultation follower as a notice target (docs/notices.md, "Targets without a calendar
place"): every change of a consultation tells its followers through the shared notices, in their
language, at once or in their daily digest."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.links import site_reverse
from notices.targets import INFORMATIONAL, NoticeTarget, TargetType

from .models import ConsultationFollower

RELATED = ("consultation__customs_unit", "consultation__assignee", "user")

EVENTS = {
    "asked": gettext_lazy("A new question was asked"),
    "follow_up": gettext_lazy("The enterprise added to its question"),
    "replied": gettext_lazy("Customs replied"),
    "handed_over": gettext_lazy("The consultation was handed over to another coordinator"),
    "to_gacc": gettext_lazy("The consultation was handed over to GACC"),
    "closed": gettext_lazy("The consultation was closed"),
    "rated": gettext_lazy("The enterprise rated the answer"),
    "published": gettext_lazy("The question was published, anonymised, in the FAQ"),
    "overdue": gettext_lazy("The question is past its answer time"),
}


def describe(follower: ConsultationFollower) -> NoticeTarget:
    """The consultation as its follower sees it now, in the active language."""
    consultation = follower.consultation
    latest = consultation.messages.order_by("-created_at", "-id").first()
    details = [
        (_("What happened"), str(EVENTS.get(consultation.last_event, consultation.last_event))),
        (_("Status"), consultation.get_status_display()),
        (_("Customs district"), str(consultation.customs_unit)),
    ]
    if consultation.assignee_id:
        details.append((_("Coordinator"), str(consultation.assignee)))
    if latest is not None:
        details.append((_("Latest message"), Truncator(latest.body).chars(200)))
    return NoticeTarget(
        uid=f"consultation-{consultation.pk}-{follower.user_id}@aeo-lms",
        sequence=0,
        state=INFORMATIONAL,
        recipient=follower.user,
        title=consultation.subject,
        schedule=(),
        location="",
        url=site_reverse("consultations:detail", args=[consultation.pk]),
        details=tuple(details),
    )


CONSULTATION_FOLLOWER = TargetType(
    model=ConsultationFollower,
    describe=describe,
    related=RELATED,
    recipient_field="user",
    headlines={"change": gettext_lazy("News on a consultation with customs")},
)
