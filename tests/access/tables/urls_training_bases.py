"""URL table rows of `training_bases`: calendar, bookings, rosters, exports, QR check-in,
allocation, JSON API and back office."""

from notices.forms import NotificationPreferenceForm
from training_bases.forms import AllocationForm

from . import (
    ADMIN,
    GACC,
    OFFICER,
    OFFICERS,
    OTHER_OFFICER,
    OTHER_STAFF,
    STAFF,
    TRAINER,
    Row,
    Rule,
    answers,
    only,
    signed_in,
)


def _session(w):
    return {"session_id": w.session.pk}


def _booking(w):
    return {"booking_id": w.booking.pk}


# Who keeps a session's register: its trainer and the officers of the base's district.
REGISTER = only((TRAINER, OFFICER, GACC)) | {OTHER_OFFICER: 404}
# Who may act on a booking: the trainee and the officers of the district; others find nothing.
BOOKING = signed_in(404)

ROWS = [
    Row("training_bases:calendar", answers(200), params=("view", "date", "base", "type")),
    Row("training_bases:session_detail", answers(200), kwargs=_session),
    Row("training_bases:session_book", signed_in(302), method="POST", kwargs=_session),
    Row("training_bases:roster", REGISTER, kwargs=_session, params=("day",)),
    Row(
        "training_bases:roster",
        REGISTER | {TRAINER: 302, OFFICER: 302, GACC: 302},
        method="POST",
        kwargs=_session,
        data=lambda w: {"day": w.day.isoformat(), f"attendance-{w.booking.pk}": "present"},
        params=("day",),
        note="a future day: refused with a message, nothing recorded",
    ),
    Row(
        "training_bases:roster_export",
        REGISTER,
        kwargs=lambda w: {"session_id": w.session.pk, "kind": "roster", "fmt": "xlsx"},
    ),
    Row(
        "training_bases:checkin_qr",
        REGISTER,
        kwargs=lambda w: {"session_id": w.session.pk, "day": w.day.isoformat()},
    ),
    Row(
        "training_bases:my_bookings",
        signed_in(200),
        form=NotificationPreferenceForm,
        data={"language": "zh-hans", "reminder_days": "2"},
    ),
    Row(
        "training_bases:booking_cancel",
        BOOKING | {STAFF: 302, OFFICER: 302, GACC: 302},
        method="POST",
        kwargs=_booking,
        params=("next",),
    ),
    Row("training_bases:booking_ics", BOOKING | {STAFF: 200, OFFICER: 200, GACC: 200}, kwargs=_booking),
    Row("training_bases:feed_rotate", signed_in(302), method="POST"),
    Row("training_bases:ical_feed", answers(200), kwargs=lambda w: {"token": w.feed_token}),
    Row(
        "training_bases:checkin",
        signed_in(400),
        kwargs=lambda w: {"token": w.checkin_token},
        note="the demo session is not today: the code is refused with a message",
    ),
    Row("training_bases:allocation", only(OFFICERS), form=AllocationForm, data={"training_type": "compliance"}),
    Row(
        "training_bases:allocation_detail",
        only((OFFICER, GACC)) | {OTHER_OFFICER: 404},
        kwargs=lambda w: {"run_id": w.allocation_run.pk},
    ),
    # JSON API (anonymous: 401 where a login is needed)
    Row("api:list_sessions", answers(200), api=True, params=("start", "end", "base", "training_type")),
    Row("api:get_session", answers(200), api=True, kwargs=_session),
    Row("api:book", signed_in(400, **{ADMIN: 201, OTHER_STAFF: 201}), method="POST", api=True, kwargs=_session),
    Row("api:my_bookings", signed_in(200), api=True),
    Row(
        "api:cancel",
        signed_in(404, **{STAFF: 200, OFFICER: 200, GACC: 200}),
        method="POST",
        api=True,
        kwargs=_booking,
    ),
]

# Back office: bases and rooms are read by trainers; sessions are scoped like the register.
RULES = [
    Rule(
        r"^admin/training_session/",
        only((OFFICER, GACC, TRAINER)) | {OTHER_OFFICER: 404},
        lambda w: f"/admin/training_session/inspect/{w.session.pk}/",
    ),
    Rule(
        r"^admin/(training_base|room)/",
        only((OFFICER, GACC, TRAINER, OTHER_OFFICER)),
        "/admin/training_base/",
    ),
]
