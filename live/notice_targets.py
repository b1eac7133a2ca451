"""A live-session registration as a notice target (docs/notices.md): the iCal invitation sent on
registration, reminders before the start (the shared `notices.tasks.send_reminders` beat job) and
a change notice when the schedule moves."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.links import site_reverse
from notices.targets import CANCELLED, CONFIRMED, NoticeTarget, TargetType

from .models import Registration

RELATED = ("session", "user")


def describe(registration: Registration) -> NoticeTarget:
    """The registration as the person sees it, in the active language."""
    session = registration.session
    return NoticeTarget(
        uid=f"live-{session.uid}-{registration.user_id}@aeo-lms",
        sequence=session.ics_sequence,
        state=CANCELLED if session.cancelled else CONFIRMED,
        recipient=registration.user,
        title=session.localized_title,
        schedule=[(session.starts_at, session.ends_at)],
        location=_("Online (live stream)"),
        url=site_reverse("live:watch", args=[session.pk]),
        category=_("Live validation observation"),
        description=session.localized_description,
        details=((_("Observed enterprise"), session.observed_enterprise),),
    )


def upcoming(now: dt.datetime, until: dt.datetime):
    return Registration.objects.filter(
        session__cancelled=False, session__starts_at__gt=now, session__starts_at__lte=until
    ).select_related(*RELATED)


def feed(user_id: int):
    return Registration.objects.filter(user_id=user_id, session__cancelled=False).select_related(*RELATED)


LIVE_REGISTRATION = TargetType(
    model=Registration,
    describe=describe,
    related=RELATED,
    recipient_field="user",
    upcoming=upcoming,
    feed=feed,
    overview_url_name="live:session_list",
    headlines={"confirmation": gettext_lazy("You are registered for a live observation session")},
)
