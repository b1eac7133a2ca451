"""A survey invitation as a notice target (docs/notices.md): the invitation e-mail when the survey
opens and a reminder `reminder_days` before the person's deadline (the shared
`notices.tasks.send_reminders` job), both only while the person has not answered. The calendar
entry of the invitation is the half hour before the deadline."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.links import site_reverse
from notices.targets import CANCELLED, CONFIRMED, NoticeTarget, TargetType

from .models import ResponseReceipt, SurveyInvitation

RELATED = ("survey", "user")


def _answered(invitation: SurveyInvitation) -> bool:
    annotated = getattr(invitation, "answered", None)
    if annotated is not None:
        return annotated
    return ResponseReceipt.objects.filter(survey_id=invitation.survey_id, user_id=invitation.user_id).exists()


def describe(invitation: SurveyInvitation) -> NoticeTarget:
    """Confirmed while the person may still answer; cancelled once answered or closed."""
    from django.utils import timezone

    survey = invitation.survey
    deadline = min(invitation.closes_at, survey.closes_at)
    open_ = not _answered(invitation) and timezone.now() < deadline
    return NoticeTarget(
        uid=f"survey-{survey.pk}-{invitation.user_id}@aeo-lms",
        sequence=0,
        state=CONFIRMED if open_ else CANCELLED,
        recipient=invitation.user,
        title=_("Survey: %(title)s") % {"title": survey.title},
        schedule=[(deadline - dt.timedelta(minutes=30), deadline)],
        location=_("Online"),
        url=site_reverse("surveys:respond", args=[survey.pk]),
        category=_("Survey"),
        description=survey.intro,
        details=((_("Anonymous"), _("yes") if survey.anonymous else _("no")),),
    )


def _open_invitations():
    return SurveyInvitation.objects.filter(notified_at__isnull=False).annotate(
        answered=Exists(ResponseReceipt.objects.filter(survey=OuterRef("survey"), user=OuterRef("user")))
    )


def upcoming(now: dt.datetime, until: dt.datetime):
    """Invitations not answered whose deadline lies in (now, until]: the reminder candidates."""
    return (
        _open_invitations()
        .filter(answered=False, closes_at__gt=now, closes_at__lte=until, survey__closes_at__gt=now)
        .select_related(*RELATED)
    )


SURVEY_INVITATION = TargetType(
    model=SurveyInvitation,
    describe=describe,
    related=RELATED,
    recipient_field="user",
    upcoming=upcoming,
    overview_url_name="surveys:my_surveys",
    headlines={
        "confirmation": gettext_lazy("Please tell us what you thought: a short survey"),
        "reminder": gettext_lazy("Reminder: your survey closes soon"),
        "cancellation": gettext_lazy("Your survey is closed"),
    },
)
