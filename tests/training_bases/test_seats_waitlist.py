"""Seats and the waitlist behave as users of booking systems expect (issue 8, points 1-7): faults
replayed from public bug reports of Moodle booking, pretix and cal.com."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from lms.bulk import INSERT_VALUES_MAX
from notices.models import Notice
from trainees.models import CustomsUnit, KeyListEntry, Position, TrainingType
from training_bases import rules, services
from training_bases.models import AllocationRun, AttendanceRecord, Booking, Room, TrainingSession
from training_bases.viewsets import TrainingSessionForm

from .factories import RoomFactory, SessionFactory, base, officer, publish_key_list, staff

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/training_session/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def book(user, session, **kwargs):
    return services.booking_create(user=user, session_id=session.pk, **kwargs)


def kinds(user):
    return sorted(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def statuses(session):
    return dict(Booking.objects.filter(session=session).values_list("user_id", "status"))


def snapshot():
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "seat_number", "session_id")),
        list(TrainingSession.objects.order_by("pk").values_list("pk", "status", "capacity")),
        Notice.objects.count(),
    )


# --- 1. More seats promote the waitlist ---------------------------------------------------------


def test_raising_capacity_promotes_the_waitlisted_trainee_before_anyone_else_can_book(db):
    """Demo session 4: one seat, taken; the priority-12 trainee waits; the officer makes it 2."""
    session = SessionFactory(capacity=1)
    holder, waiting, latecomer, actor = staff(), staff(), staff(), officer()
    book(holder, session)
    assert book(waiting, session, priority=12).status == Booking.Status.WAITLISTED
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL

    session.capacity = 2
    services.session_save(session=session, actor=actor)

    assert statuses(session)[waiting.pk] == Booking.Status.CONFIRMED
    assert Notice.Kind.PROMOTION in kinds(waiting)
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL
    # the next person to book, not on the list, waits behind nobody's seat
    assert book(latecomer, session).status == Booking.Status.WAITLISTED
    entry = ModelLogEntry.objects.get(action="training_bases.seats_changed", object_id=str(session.pk))
    assert entry.user_id == actor.pk
    assert entry.data["capacity"] == [1, 2]


def test_reopening_a_full_session_by_hand_tells_nobody_of_a_change(db):
    """The officer raises the seats and sets "open" too: the waitlisted trainee is promoted;
    the people already holding seats get no "session changed" e-mail (nothing changed for
    them), and open/full still follows the seats."""
    session = SessionFactory(capacity=1)
    holder, waiting = staff(), staff()
    book(holder, session)
    book(waiting, session)
    session.refresh_from_db()
    session.capacity, session.status = 2, TrainingSession.Status.OPEN
    services.session_save(session=session, actor=officer())
    assert kinds(holder) == [Notice.Kind.CONFIRMATION]
    assert Notice.Kind.PROMOTION in kinds(waiting)
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL
    session.status = TrainingSession.Status.OPEN  # by hand, seats unchanged
    services.session_save(session=session, actor=officer())
    assert kinds(holder) == [Notice.Kind.CONFIRMATION]
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL


def test_raising_capacity_promotes_more_people_than_one_insert_of_notices_holds(db):
    """Past `lms.bulk.INSERT_VALUES_MAX` promotions, the notices go by COPY after the promotion:
    everyone promoted is confirmed and told once."""
    session = SessionFactory(capacity=1, room=RoomFactory(capacity=200))
    book(staff(), session)
    waiting = [staff() for _ in range(INSERT_VALUES_MAX + 2)]
    for priority, user in enumerate(waiting, start=1):
        book(user, session, priority=priority)
    Notice.objects.all().delete()

    session.capacity = INSERT_VALUES_MAX + 3
    services.session_save(session=session, actor=officer())

    assert set(statuses(session).values()) == {Booking.Status.CONFIRMED}
    told = Notice.objects.filter(kind=Notice.Kind.PROMOTION)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in waiting)
    assert Booking.objects.filter(session=session, ics_sequence=1).count() == len(waiting)


def test_raising_capacity_in_a_computer_room_numbers_and_tells_more_people_than_one_insert_holds(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    """In a computer room the promotion writes seat numbers by itself, so past
    `lms.bulk.INSERT_VALUES_MAX` nothing is left for the last round trip but the notices, which
    go by COPY: everyone promoted gets a seat of their own and is told once, after commit."""
    session = SessionFactory(capacity=1, room=RoomFactory(capacity=200, kind=Room.Kind.COMPUTER_ROOM))
    book(staff(), session)
    waiting = [staff() for _ in range(INSERT_VALUES_MAX + 2)]
    for priority, user in enumerate(waiting, start=1):
        book(user, session, priority=priority)
    mailoutbox.clear()

    session.capacity = INSERT_VALUES_MAX + 3
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, actor=officer())

    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    assert sorted(confirmed.values_list("seat_number", flat=True)) == list(range(1, INSERT_VALUES_MAX + 4))
    told = Notice.objects.filter(kind=Notice.Kind.PROMOTION)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in waiting)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in waiting)
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL


def test_raising_capacity_without_a_waitlist_reopens_the_session(db):
    session = SessionFactory(capacity=1)
    book(staff(), session)
    session.refresh_from_db()
    session.capacity = 3
    services.session_save(session=session, actor=officer())
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.OPEN


def test_releasing_reserved_seats_promotes_the_waitlist(db):
    session = SessionFactory(capacity=2, reserved_leadership_seats=1)
    first, second = staff(), staff()
    book(first, session)
    assert book(second, session).status == Booking.Status.WAITLISTED  # the free seat is reserved
    session.refresh_from_db()
    session.reserved_leadership_seats = 0
    services.session_save(session=session, actor=officer())
    assert statuses(session)[second.pk] == Booking.Status.CONFIRMED
    assert Notice.Kind.PROMOTION in kinds(second)


def test_back_office_capacity_edit_promotes(client, db):
    session = SessionFactory(capacity=1)
    holder, waiting = staff(), staff()
    book(holder, session)
    book(waiting, session, priority=12)
    actor = officer(is_superuser=True, is_staff=True)
    client.force_login(actor)
    data = _admin_form(session, capacity="2")
    response = client.post(f"{SESSIONS}edit/{session.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert statuses(session)[waiting.pk] == Booking.Status.CONFIRMED
    assert ModelLogEntry.objects.filter(action="training_bases.seats_changed", user=actor).exists()


# --- 2. Fewer seats than confirmed bookings ----------------------------------------------------


@pytest.mark.parametrize(("capacity", "confirmed", "new_capacity"), [(20, 2, 1), (5, 5, 2), (3, 3, 2)])
def test_fewer_seats_than_confirmed_is_refused_and_changes_nothing(db, capacity, confirmed, new_capacity):
    session = SessionFactory(capacity=capacity)
    for _ in range(confirmed):
        book(staff(), session)
    book(staff(), session)  # one on the waitlist when full, else one more confirmed
    confirmed_now = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    before = snapshot()
    session.refresh_from_db()
    session.capacity = new_capacity
    with pytest.raises(ValidationError) as exc:
        services.session_save(session=session, actor=officer())
    text = " ".join(exc.value.message_dict["capacity"])
    assert f"{confirmed_now} people hold confirmed seats" in text
    assert snapshot() == before


def test_lowering_seats_to_the_confirmed_count_is_allowed(db):
    session = SessionFactory(capacity=5)
    book(staff(), session)
    book(staff(), session)
    session.refresh_from_db()
    session.capacity = 2
    services.session_save(session=session, actor=officer())
    session.refresh_from_db()
    assert (session.capacity, session.status) == (2, TrainingSession.Status.FULL)


def test_back_office_form_names_the_confirmed_count(client, db):
    session = SessionFactory(capacity=20)
    book(staff(), session)
    book(staff(), session)
    form = TrainingSessionForm(instance=session, data=_admin_form(session, capacity="1"))
    assert not form.is_valid()
    assert "2 people hold confirmed seats" in " ".join(form.errors["capacity"])
    client.force_login(officer(is_superuser=True, is_staff=True))
    response = client.post(f"{SESSIONS}edit/{session.pk}/", _admin_form(session, capacity="1"))
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.capacity == 20


def _admin_form(session, **overrides):
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    data = {
        "title_zh": session.title_zh,
        "title_en": session.title_en,
        "training_type": session.training_type,
        "course": "",
        "base": session.base_id,
        "room": session.room_id,
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "capacity": str(session.capacity),
        "reserved_leadership_seats": str(session.reserved_leadership_seats),
        "booking_opens_at": local(session.booking_opens_at),
        "booking_closes_at": local(session.booking_closes_at),
        "cancellation_cutoff": local(session.cancellation_cutoff),
        "status": session.status,
    }
    data.update(overrides)
    return data


# --- 3. No promotion once a session has started ------------------------------------------------


def _past_session(days_ago=2, **kwargs):
    session = SessionFactory(capacity=1, **kwargs)
    holder, waiting = staff(), staff()
    book(holder, session)
    book(waiting, session)
    starts = timezone.now() - dt.timedelta(days=days_ago)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=8),
        booking_opens_at=starts - dt.timedelta(days=9),
        booking_closes_at=starts - dt.timedelta(days=2),
        cancellation_cutoff=starts - dt.timedelta(days=2),
    )
    session.refresh_from_db()
    return session, holder, waiting


def test_cancelling_a_seat_of_an_ended_session_promotes_nobody(db):
    session, holder, waiting = _past_session()
    holding = Booking.objects.get(user=holder)
    services.booking_cancel(actor=officer(), booking_id=holding.pk)
    assert statuses(session)[waiting.pk] == Booking.Status.WAITLISTED
    assert kinds(waiting) == [Notice.Kind.WAITLIST]  # no promotion, no invitation


def test_cancelling_just_after_the_start_promotes_nobody(db):
    session, holder, waiting = _past_session(days_ago=0)
    holding = Booking.objects.get(user=holder)
    services.booking_cancel(actor=officer(), booking_id=holding.pk, now=session.starts_at + dt.timedelta(minutes=1))
    assert statuses(session)[waiting.pk] == Booking.Status.WAITLISTED
    assert Notice.Kind.PROMOTION not in kinds(waiting)


def test_more_seats_in_a_started_session_promote_nobody(db):
    session, _holder, waiting = _past_session()
    session.capacity = 2
    services.session_save(session=session, actor=officer())
    assert statuses(session)[waiting.pk] == Booking.Status.WAITLISTED
    assert Notice.Kind.PROMOTION not in kinds(waiting)


def test_a_digest_read_after_the_session_ended_invites_nobody_to_it(db, mailoutbox):
    """Promoted the morning of a one-day session, digest e-mailed in the evening: the session is
    over, so the digest holds no promotion and no calendar invitation for it."""
    from unittest import mock

    from notices import tasks
    from notices.models import NotificationPreference

    session = SessionFactory(capacity=1)
    holder, waiting = staff(), staff()
    NotificationPreference.objects.create(user=waiting, daily_digest=True)
    book(holder, session)
    book(waiting, session)
    Notice.objects.update(sent_at=timezone.now())  # the waitlist notice went out long ago
    session.refresh_from_db()
    session.capacity = 2
    services.session_save(session=session, actor=officer())
    assert statuses(session)[waiting.pk] == Booking.Status.CONFIRMED
    with mock.patch("django.utils.timezone.now", return_value=session.ends_at + dt.timedelta(hours=1)):
        assert tasks.send_daily_digests() == 0
    assert mailoutbox == []
    promotion = Notice.objects.get(recipient=waiting, kind=Notice.Kind.PROMOTION)
    assert promotion.superseded and promotion.sent_at is not None


def test_a_digest_read_after_the_start_tells_no_one_they_wait(db, mailoutbox):
    """Put on the waitlist in the morning, digest e-mailed after the session began: the waitlist
    no longer moves, so "you are on the waitlist" is not sent."""
    from unittest import mock

    from notices import tasks
    from notices.models import NotificationPreference

    session = SessionFactory(capacity=1)
    holder, waiting = staff(), staff()
    NotificationPreference.objects.create(user=waiting, daily_digest=True)
    book(holder, session)
    book(waiting, session)
    with mock.patch("django.utils.timezone.now", return_value=session.starts_at + dt.timedelta(hours=1)):
        assert tasks.send_daily_digests() == 0
    assert mailoutbox == []
    assert Notice.objects.get(recipient=waiting, kind=Notice.Kind.WAITLIST).superseded


def test_releasing_an_enterprise_promotes_nobody_into_a_started_session(db):
    session, holder, waiting = _past_session()
    services.enterprise_bookings_release(enterprise_id=holder.enterprise_id, reason="suspended")
    assert statuses(session)[waiting.pk] == Booking.Status.WAITLISTED


def _two_day_session():
    starts = (timezone.now() + dt.timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    session = SessionFactory(capacity=1, starts_at=starts, ends_at=starts + dt.timedelta(days=1, hours=8))
    absent, waiting = staff(), staff()
    book(absent, session)
    book(waiting, session)
    return session, absent, waiting


@pytest.mark.parametrize(
    ("recorded_after", "released"),
    [
        (dt.timedelta(hours=2), True),  # during the first day: the seat goes to the waitlist
        (dt.timedelta(hours=23, minutes=59), True),
        (dt.timedelta(days=1), False),  # the second day has begun: too late to fill the seat
        (dt.timedelta(days=5), False),  # register filled in days later
    ],
)
def test_first_day_no_show_releases_only_while_the_second_day_is_ahead(db, recorded_after, released):
    session, absent, waiting = _two_day_session()
    days = rules.session_days(session.starts_at, session.ends_at)
    booking = Booking.objects.get(user=absent)
    services.attendance_record(
        actor=officer(),
        booking_id=booking.pk,
        day=days[0],
        status=AttendanceRecord.Status.ABSENT,
        now=session.starts_at + recorded_after,
    )
    state = statuses(session)
    assert AttendanceRecord.objects.get(booking=booking).status == AttendanceRecord.Status.ABSENT
    if released:
        assert state == {absent.pk: Booking.Status.NO_SHOW, waiting.pk: Booking.Status.CONFIRMED}
        assert Notice.Kind.PROMOTION in kinds(waiting)
    else:
        assert state == {absent.pk: Booking.Status.CONFIRMED, waiting.pk: Booking.Status.WAITLISTED}
        assert Notice.Kind.PROMOTION not in kinds(waiting)


@pytest.mark.parametrize(
    ("offset", "moves"),
    [(-dt.timedelta(seconds=1), True), (dt.timedelta(0), False), (dt.timedelta(days=2), False)],
)
def test_waitlist_moves_only_before_the_start(offset, moves):
    start = dt.datetime(2027, 3, 1, 9, tzinfo=rules.SHANGHAI)
    assert rules.waitlist_moves(now=start + offset, until=start) is moves


def test_no_show_deadline_is_the_second_day_start():
    start = dt.datetime(2027, 3, 1, 9, tzinfo=rules.SHANGHAI)
    days = rules.session_days(start, start + dt.timedelta(days=2, hours=8))
    assert rules.no_show_deadline(days, start) == dt.datetime(2027, 3, 2, 9, tzinfo=rules.SHANGHAI)
    assert rules.no_show_deadline(days[:1], start) == start


@pytest.mark.parametrize(
    ("capacity", "confirmed", "problem"),
    [(1, 2, True), (2, 5, True), (4, 5, True), (5, 5, False), (20, 2, False), (None, 3, False)],
)
def test_seat_problems(capacity, confirmed, problem):
    found = rules.seat_problems(capacity=capacity, confirmed_total=confirmed)
    assert bool(found) is problem
    if problem:
        assert found == [("capacity", "capacity_below_confirmed", {"capacity": capacity, "confirmed": confirmed})]


# --- 4. Allocation follows the published list's base -------------------------------------------


def _sessions_at(*slugs, capacity=2):
    return {slug: SessionFactory(capacity=capacity, room=RoomFactory(base=base(slug))) for slug in slugs}


def _propose(user, slug):
    KeyListEntry.objects.filter(nominee__user=user).update(base_slug=slug)


def test_allocation_books_the_proposed_base_not_the_first_preference(db):
    sessions = _sessions_at("suzhou", "shenzhen")
    zhang = staff()
    publish_key_list([(zhang, 10, ("suzhou", "shenzhen"), zhang.position)])
    _propose(zhang, "shenzhen")
    run = services.allocation_preview(actor=officer(), training_type="compliance")
    (decision,) = run.plan["decisions"]
    assert (decision["outcome"], decision["session_id"]) == ("placed", sessions["shenzhen"].pk)
    assert services.decision_reason(decision) == (
        "Placed at Shenzhen, the base the published key training list proposes."
    )
    services.allocation_confirm(actor=officer(), run_id=run.pk)
    assert Booking.objects.get(user=zhang).session_id == sessions["shenzhen"].pk


def test_the_enterprise_page_and_the_allocation_name_the_same_base(client, db):
    """张恒信 · priority 10 · Shenzhen on the list: his enterprise's page and the allocation run
    both say Shenzhen, though Suzhou is the enterprise's first preference."""
    sessions = _sessions_at("suzhou", "shenzhen")
    zhang = staff()
    publish_key_list([(zhang, 10, ("suzhou", "shenzhen"), zhang.position)])
    _propose(zhang, "shenzhen")
    client.force_login(zhang)
    page = client.get(reverse("trainees:my_enterprise")).content.decode()
    assert "priority 10 · Shenzhen" in page.replace("\n", " ") and "Suzhou" not in page
    actor = officer(is_superuser=True)
    run = services.allocation_preview(actor=actor, training_type="compliance")
    client.force_login(actor)
    detail = client.get(reverse("training_bases:allocation_detail", args=[run.pk])).content.decode()
    assert "Placed at Shenzhen, the base the published key training list proposes." in detail
    services.allocation_confirm(actor=actor, run_id=run.pk)
    assert Booking.objects.get(user=zhang).session.base.slug == "shenzhen" == sessions["shenzhen"].base.slug


def test_a_full_proposed_base_waitlists_there_and_takes_no_other_base_seat(db):
    sessions = _sessions_at("suzhou", "shenzhen", capacity=1)
    book(staff(), sessions["shenzhen"])
    zhang = staff()
    publish_key_list([(zhang, 10, ("suzhou",), zhang.position)])
    _propose(zhang, "shenzhen")
    run = services.allocation_preview(actor=officer(), training_type="compliance")
    (decision,) = run.plan["decisions"]
    assert (decision["outcome"], decision["session_id"]) == ("waitlisted", sessions["shenzhen"].pk)
    assert "Shenzhen" in services.decision_reason(decision)


def _candidate(key, priority, prefs=("suzhou",), proposed=""):
    return rules.Candidate(
        key=key,
        user_id=int(key),
        person_name=key,
        enterprise_id=int(key),
        position="customs_affairs",
        priority=priority,
        base_preferences=prefs,
        proposed_base=proposed,
    )


def _slot(session_id, slug, capacity):
    return rules.SessionSlot(
        session_id=session_id,
        base_slug=slug,
        starts_at=dt.datetime(2027, 3, 1, tzinfo=rules.SHANGHAI),
        capacity=capacity,
    )


@pytest.mark.parametrize(
    ("proposed", "slots", "expected"),
    [
        ("shenzhen", [(1, "suzhou", 5), (2, "shenzhen", 5)], ("placed", 2, "placed_proposed_base")),
        ("shenzhen", [(1, "suzhou", 5), (2, "shenzhen", 0)], ("waitlisted", 2, "proposed_base_full")),
        ("guangzhou", [(1, "suzhou", 5)], ("skipped", None, "no_sessions_at_proposed_base")),
        ("", [(1, "suzhou", 5), (2, "shenzhen", 5)], ("placed", 1, "placed_first_choice")),
    ],
)
def test_allocate_follows_the_proposed_base(proposed, slots, expected):
    capacity_slots = [_slot(i, slug, max(cap, 1)) for i, slug, cap in slots]
    # a zero-capacity slot is modelled as one seat already taken
    capacity_slots = [
        rules.SessionSlot(**{**s.__dict__, "confirmed_total": 1}) if cap == 0 else s
        for s, (_i, _slug, cap) in zip(capacity_slots, slots, strict=True)
    ]
    plan = rules.allocate([_candidate("1", 10, proposed=proposed)], capacity_slots)
    (d,) = plan.decisions
    assert (d.outcome, d.session_id, d.reason) == expected


# --- 6. A waitlisted booking is converted, not a reason to skip --------------------------------


def test_waitlisted_trainee_is_placed_by_allocation(db):
    full = SessionFactory(capacity=1)
    book(staff(), full)
    waiting = staff()
    assert book(waiting, full).status == Booking.Status.WAITLISTED
    free = SessionFactory(capacity=3)
    publish_key_list([(waiting, 1, ("suzhou",), waiting.position)])
    run = services.allocation_preview(actor=officer(), training_type="compliance")
    (decision,) = run.plan["decisions"]
    assert decision["outcome"] == "placed", decision
    services.allocation_confirm(actor=officer(), run_id=run.pk)
    active = Booking.objects.filter(user=waiting, status__in=Booking.ACTIVE)
    assert list(active.values_list("session_id", "status", "source")) == [
        (free.pk, Booking.Status.CONFIRMED, Booking.Source.ALLOCATION)
    ]
    assert Notice.Kind.CONFIRMATION in kinds(waiting)


def test_confirmed_trainee_is_still_skipped(db):
    session = SessionFactory(capacity=3)
    holder = staff()
    book(holder, session)
    publish_key_list([(holder, 1, ("suzhou",), holder.position)])
    run = services.allocation_preview(actor=officer(), training_type="compliance")
    assert [d["reason"] for d in run.plan["decisions"]] == ["already_booked"]
    (decision,) = run.plan["decisions"]
    assert services.decision_reason(decision) == "Already holds a confirmed seat for this training type."


# --- 7. The allocation form offers the officer's published rounds ------------------------------


def _unit(code):
    return CustomsUnit.objects.get(code=code)


def test_allocation_form_offers_the_officers_rounds_and_refuses_others(client, db):
    SessionFactory(capacity=3)
    mine = publish_key_list([(staff(), 1, ("suzhou",), Position.CUSTOMS_AFFAIRS)])  # Shenzhen district (5300)
    theirs = publish_key_list([(staff(), 1, ("suzhou",), Position.CUSTOMS_AFFAIRS)])
    theirs.customs_unit = _unit("2200")
    theirs.save()
    client.force_login(officer(customs_unit=_unit("5300")))
    with translation.override("en"):
        url = reverse("training_bases:allocation")
    page = client.get(url).content.decode()
    assert f'value="{mine.pk}"' in page and mine.name in page
    assert f'value="{theirs.pk}"' not in page
    for bad in ("999", str(theirs.pk)):
        response = client.post(url, {"training_type": "compliance", "round_id": bad})
        assert response.status_code == 400  # the form re-renders with the field's error
        assert "Select a valid choice" in response.content.decode()
    assert not AllocationRun.objects.exists()
    with pytest.raises(ValidationError):
        services.allocation_preview(actor=officer(customs_unit=_unit("5300")), training_type="compliance", round_id=999)

    response = client.post(url, {"training_type": "compliance", "round_id": str(mine.pk)}, follow=True)
    page = response.content.decode()
    run = AllocationRun.objects.get()
    assert run.round_id == mine.pk
    assert f"Key training list of {mine.name}, training type {TrainingType.COMPLIANCE.label}" in page
    listing = client.get(url).content.decode()
    assert mine.name in listing and str(TrainingType.COMPLIANCE.label) in listing
    assert ">compliance<" not in listing


def test_empty_round_means_the_latest_list_and_is_named(db):
    SessionFactory(capacity=3)
    publish_key_list([(staff(), 1, ("suzhou",), Position.CUSTOMS_AFFAIRS)])
    latest = publish_key_list([(staff(), 1, ("suzhou",), Position.CUSTOMS_AFFAIRS)])
    run = services.allocation_preview(actor=officer(), training_type="compliance")
    assert run.round_id == latest.pk
    assert run.plan["round"] == {"id": latest.pk, "name": latest.name}


def test_a_training_type_without_a_list_is_refused(db):
    publish_key_list([(staff(), 1, ("suzhou",), Position.CUSTOMS_AFFAIRS)])
    with pytest.raises(ValidationError) as exc:
        services.allocation_preview(actor=officer(), training_type=TrainingType.AEO_CERTIFICATION)
    assert "no published key training list" in " ".join(exc.value.messages)
