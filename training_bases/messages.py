"""User-facing texts for the codes returned by `rules`: rules stay pure, people read sentences
in their own language."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Session validation
    "end_before_start": _("The session must end after it starts."),
    "capacity_above_room": _(
        "The session has %(capacity)s seats but the room holds only %(room_capacity)s. Lower the seats or choose a larger room."
    ),
    "reserved_above_capacity": _("Reserved seats cannot exceed the %(capacity)s seats of the session."),
    "window_reversed": _("Booking must close after it opens."),
    "cutoff_after_start": _("The cancellation cut-off must be before the session starts."),
    "room_overlap": _(
        "%(room)s is already used by “%(title)s” (from %(starts)s) at that time. Choose another room or time."
    ),
    "trainer_overlap": _(
        "%(trainer)s already teaches “%(title)s” (from %(starts)s) at that time. Choose another trainer or time."
    ),
    "capacity_below_confirmed": _(
        "%(confirmed)s people hold confirmed seats, so the session cannot have only %(capacity)s seats. Keep at least %(confirmed)s seats, or cancel bookings first."
    ),
    "room_other_base": _("This room belongs to another training base."),
    "room_base_has_sessions": _("This room has sessions at its training base: it cannot move to another base."),
    "room_capacity_below_sessions": _(
        "The room cannot have only %(capacity)s seats: sessions that have not ended need up to %(needed)s. %(sessions)s Lower those sessions' seats or move them to another room first."
    ),
    # Booking
    "not_enterprise_staff": _("Only enterprise staff can book a seat. Ask your enterprise to add you to its staff."),
    "cultivation_blocked": _(
        "Your enterprise's credit cultivation is suspended or terminated, so no seat can be booked. Contact your customs officer."
    ),
    "session_not_open": _("This session is not open for booking."),
    "window_not_open": _("Booking for this session opens on %(opens)s."),
    "window_closed": _("Booking for this session has closed."),
    "already_booked_type": _(
        "You already have a booking for this training type. Cancel it first if you want another session."
    ),
    "not_active": _("This booking is no longer active."),
    "after_cutoff": _("The cancellation cut-off (%(cutoff)s) has passed; contact the training base to cancel."),
    "not_your_booking": _("This is not your booking."),
    # Allocation decisions
    "no_account": _("No account yet: the seat is allocated when the person signs up and the run is repeated."),
    "already_booked": _("Already holds a confirmed seat for this training type."),
    "no_sessions": _("No session of this training type is scheduled."),
    "enterprise_suspended": _(
        "The enterprise's credit cultivation is suspended: no seat is allocated while it stays suspended."
    ),
    "enterprise_terminated": _("The enterprise's credit cultivation is terminated: no seat is allocated."),
    "placed_first_choice": _("Placed at the enterprise's first-choice base."),
    "placed_lower_choice": _("Placed at preference %(rank)s: the bases ranked higher are full."),
    "placed_no_preference": _("No base preference given: placed in the earliest session with a free seat."),
    "placed_outside_preferences": _(
        "No session of this type at the preferred bases: placed in the earliest session with a free seat."
    ),
    "preferred_bases_full": _("Every session at the preferred bases is full: waitlist position %(position)s."),
    "all_sessions_full": _("Every session is full: waitlist position %(position)s."),
    "placed_proposed_base": _("Placed at %(base)s, the base the published key training list proposes."),
    "proposed_base_full": _(
        "Every session at %(base)s, the base the published key training list proposes, is full: waitlist position %(position)s."
    ),
    "no_sessions_at_proposed_base": _(
        "No session of this training type is scheduled at %(base)s, the base the published key training list proposes."
    ),
    "round_unknown": _("Choose one of your published selection rounds."),
    "round_has_no_list": _("This round has no published key training list for that training type."),
    "plan_changed": _(
        "Seats, the key training list or an enterprise's cultivation status changed since this preview. Run a new preview."
    ),
    "no_published_round": _("Your district has no published key training list of this type yet."),
    "round_not_in_district": _("This selection round belongs to another customs district."),
    "run_not_preview": _("This allocation run was already confirmed or replaced."),
    # Attendance and check-in
    "checkin_invalid": _("This check-in code is invalid or has expired. Scan the code shown at the base again."),
    "checkin_no_booking": _("You have no confirmed seat in this session."),
    "checkin_outside_base": _(
        "Check-in works only from the base's own network: connect to the base's Wi-Fi and scan the code again."
    ),
    "not_a_session_day": _("The session does not take place on that day."),
    "invalid_attendance_status": _("Choose present, late or absent."),
    "day_not_come": _("Attendance can be recorded only for days that have come, not for %(day)s."),
}


def _display(value):
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(localtime(value), "DATETIME_FORMAT")
    return value


# At most this many sessions are named in one message; the rest are counted.
NAMED_SESSIONS = 5


def session_list(sessions) -> str:
    """“Title” (from start, N seats) for each of `sessions` (objects with `title`, `starts_at`,
    `capacity`), the first `NAMED_SESSIONS` named and the rest counted, in the active language."""
    named = [
        str(_("“%(title)s” (from %(starts)s, %(seats)s seats)"))
        % {"title": s.title, "starts": _display(s.starts_at), "seats": s.capacity}
        for s in list(sessions)[:NAMED_SESSIONS]
    ]
    text = str(_("Sessions concerned: %(sessions)s.")) % {"sessions": str(_("; ")).join(named)}
    more = len(sessions) - len(named)
    if more > 0:
        text = f"{text} {str(_('And %(count)s more.')) % {'count': more}}"
    return text


def message(code: str, **params) -> str:
    text = str(MESSAGES[code])
    if params:
        text = text % {k: _display(v) for k, v in params.items()}
    return text
