"""A training-session booking as a notice target (see docs/notices.md): what e-mails, calendar
files, reminders and digests say about a seat."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from lms.links import site_reverse
from notices import rules as notice_rules
from notices.targets import CANCELLED, CONFIRMED, WAITLISTED, NoticeTarget, TargetType

from .models import Booking

STATES = {Booking.Status.CONFIRMED: CONFIRMED, Booking.Status.WAITLISTED: WAITLISTED}
RELATED = ("session__base", "session__room", "user")


def training_type_label(value: str) -> str:
    from trainees.models import TrainingType

    try:
        return str(TrainingType(value).label)
    except ValueError:
        return value


def event_uid(booking: Booking) -> str:
    return f"booking-{booking.uid}@aeo-lms"


def describe(booking: Booking) -> NoticeTarget:
    """The booking as the person sees it, in the active language."""
    session = booking.session
    base = session.base
    training_type = training_type_label(session.training_type)
    status = booking.get_status_display()
    if booking.seat_number:
        status = f"{status} · {_('Seat')} {booking.seat_number}"
    details = [(_("Training type"), training_type), (_("Status"), status)]
    if session.cancellation_cutoff and booking.status == Booking.Status.CONFIRMED:
        details.append(
            (_("You can cancel until"), dateformat.format(localtime(session.cancellation_cutoff), "Y-m-d H:i"))
        )
    return NoticeTarget(
        uid=event_uid(booking),
        sequence=booking.ics_sequence,
        state=STATES.get(booking.status, CANCELLED),
        recipient=booking.user,
        title=session.title,
        schedule=notice_rules.daily_schedule(session.starts_at, session.ends_at),
        location=f"{base.name} · {session.room.name} · {base.address}",
        url=site_reverse("training_bases:session_detail", args=[session.pk]),
        category=training_type,
        description=_("Training type: %(type)s. Contact: %(phone)s %(email)s")
        % {"type": training_type, "phone": base.contact_phone, "email": base.contact_email},
        details=tuple(details),
        organizer_name=base.name,
        organizer_email=base.contact_email,
    )


def upcoming(now: dt.datetime, until: dt.datetime):
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED, session__starts_at__gt=now, session__starts_at__lte=until
    ).select_related(*RELATED)


def feed(user_id: int):
    from .selectors import feed_bookings

    return feed_bookings(user_id=user_id)


def reminded(bookings: list[Booking], now: dt.datetime) -> None:
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(reminder_sent_at=now)


BOOKING_TARGET = TargetType(
    model=Booking,
    describe=describe,
    related=RELATED,
    upcoming=upcoming,
    feed=feed,
    reminded=reminded,
    overview_url_name="training_bases:my_bookings",
)
