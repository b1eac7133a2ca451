"""Confirming an allocation (issue 9, point 2): the previewed plan is written without being
computed again when nothing it was computed from has changed, in a constant number of
statements; any change to the key list, the seats or the sessions is noticed, and then the plan
is computed again: written if its decisions are the same, refused otherwise."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from notices.models import Notice
from trainees.models import KeyListEntry, NominatedTrainee, Position
from training_bases import allocation_inputs, services
from training_bases.models import AllocationRun, Booking, Room, TrainingBase, TrainingSession

from .factories import RoomFactory, SessionFactory, base, officer, publish_key_list, staff
from .test_booking_queries import extend_key_list

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# BEGIN, lock the run, digest of the list, the list's enterprises (FOR SHARE), lock the
# sessions, their rooms (read once the locks are granted), digest of the bookings,
# people already waiting, ids of the bookings, the sessions' status, the notices (one insert, or
# their ids past lms.bulk.INSERT_VALUES_MAX), the run, COMMIT. The COPY streams of the bookings
# (and of many notices) are not in Django's query log: one more statement each.
CONFIRM_STATEMENTS = 13


def computed_again(monkeypatch) -> list:
    """Record each time the confirmation computes the plan again."""
    calls = []
    real = services._plan

    def plan(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_plan", plan)
    return calls


def written(run_id: int) -> list[tuple]:
    return sorted(
        Booking.objects.filter(allocation_run_id=run_id).values_list(
            "user_id", "session_id", "status", "priority", "position", "enterprise_id", "seat_number", "reason"
        )
    )


@pytest.mark.parametrize("extra", [2, 150])
def test_confirm_runs_a_constant_number_of_statements_and_never_recomputes_an_unchanged_plan(
    extra, monkeypatch, django_assert_max_num_queries
):
    SessionFactory(room=RoomFactory(capacity=200), capacity=200)
    first = staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), "customs_affairs")])
    extend_key_list(round_, extra, with_users=True)
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    recomputed = computed_again(monkeypatch)
    with django_assert_max_num_queries(CONFIRM_STATEMENTS):
        services.allocation_confirm(actor=actor, run_id=run.pk)
    assert not recomputed
    assert Booking.objects.filter(allocation_run=run, status=Booking.Status.CONFIRMED).count() == extra + 1
    assert Notice.objects.filter(kind=Notice.Kind.CONFIRMATION).count() == extra + 1


def _scenario():
    """Two bases' sessions (one a computer room), a reserved seat, a waiting person, eight
    listed people of whom two lead their enterprise and one has no account."""
    computer = RoomFactory(base=base("shenzhen"), kind=Room.Kind.COMPUTER_ROOM, capacity=3)
    sessions = [
        SessionFactory(capacity=3, reserved_leadership_seats=1),
        SessionFactory(room=computer, base=computer.base, capacity=3, status=TrainingSession.Status.DRAFT),
    ]
    waiting = staff()
    holder = staff()
    services.booking_create(user=holder, session_id=sessions[0].pk, priority=50)
    full = SessionFactory(capacity=1)  # another session, full, where `waiting` waits
    services.booking_create(user=staff(), session_id=full.pk)
    services.booking_create(user=waiting, session_id=full.pk, priority=3)
    people = [
        (staff(Position.LEGAL_REPRESENTATIVE), 1, ("suzhou",), Position.LEGAL_REPRESENTATIVE),
        (staff(), 2, ("suzhou", "shenzhen"), "customs_affairs"),
        (waiting, 3, ("shenzhen",), "customs_affairs"),
        (staff(), 4, ("suzhou",), "customs_affairs"),
        (None, 5, ("suzhou",), "customs_affairs"),
        (staff(Position.SENIOR_MANAGEMENT), 6, ("suzhou",), Position.SENIOR_MANAGEMENT),
        (staff(), 7, ("shenzhen",), "finance"),
        (staff(), 8, (), "customs_affairs"),
    ]
    return publish_key_list(people)


def test_the_previewed_plan_written_as_is_equals_the_plan_computed_again(monkeypatch):
    """Same database state twice (rolled back in between): once the confirmation writes the
    stored plan, once it is made to compute the plan again; the bookings are the same."""
    from django.db import transaction

    round_ = _scenario()
    actor = officer()
    results = []
    for force in (False, True):
        with transaction.atomic():
            run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
            if force:
                AllocationRun.objects.filter(pk=run.pk).update(inputs={})
            recomputed = computed_again(monkeypatch)
            services.allocation_confirm(actor=actor, run_id=run.pk)
            monkeypatch.undo()
            assert bool(recomputed) == force
            results.append(
                (
                    [row[1:] for row in written(run.pk)],
                    sorted(TrainingSession.objects.values_list("pk", "status")),
                    sorted(Notice.objects.values_list("recipient_id", "kind")),
                )
            )
            transaction.set_rollback(True)
    assert results[0] == results[1]
    bookings = results[0][0]
    assert len(bookings) == 7 and any(seat for *_, seat, _reason in bookings)


def test_a_booking_made_after_the_preview_that_changes_nothing_in_the_plan_is_written_anyway(monkeypatch):
    session = SessionFactory(capacity=10)
    listed = staff()
    round_ = publish_key_list([(listed, 1, ("suzhou",), listed.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    services.booking_create(user=staff(), session_id=session.pk)  # an unlisted person takes a seat
    recomputed = computed_again(monkeypatch)
    services.allocation_confirm(actor=actor, run_id=run.pk)
    assert recomputed
    assert Booking.objects.get(user=listed).status == Booking.Status.CONFIRMED


def test_a_person_removed_from_the_list_after_the_preview_refuses_the_confirmation():
    SessionFactory(capacity=10)
    first, second = staff(), staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), first.position), (second, 2, ("suzhou",), second.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    KeyListEntry.objects.filter(nominee__user=second).update(removed_at=timezone.now())
    with pytest.raises(ValidationError, match="changed since this preview"):
        services.allocation_confirm(actor=actor, run_id=run.pk)
    assert not Booking.objects.exists()


def test_an_account_linked_to_a_nominee_after_the_preview_refuses_the_confirmation():
    SessionFactory(capacity=10)
    first = staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), first.position), (None, 2, ("suzhou",), "customs_affairs")])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    NominatedTrainee.objects.filter(entry__round=round_, entry__priority=2).update(user=staff())
    with pytest.raises(ValidationError, match="changed since this preview"):
        services.allocation_confirm(actor=actor, run_id=run.pk)


def test_a_session_that_started_after_the_preview_refuses_the_confirmation():
    session = SessionFactory(capacity=10)
    listed = staff()
    round_ = publish_key_list([(listed, 1, ("suzhou",), listed.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    later = session.starts_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="changed since this preview"):
        services.allocation_confirm(actor=actor, run_id=run.pk, now=later)
    assert not Booking.objects.exists()


def test_fewer_seats_after_the_preview_refuse_the_confirmation():
    session = SessionFactory(capacity=2)
    people = [staff(), staff()]
    round_ = publish_key_list([(u, i, ("suzhou",), u.position) for i, u in enumerate(people, start=1)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    TrainingSession.objects.filter(pk=session.pk).update(capacity=1)
    with pytest.raises(ValidationError, match="changed since this preview"):
        services.allocation_confirm(actor=actor, run_id=run.pk)


def test_the_digests_change_with_what_the_plan_reads():
    session = SessionFactory(capacity=3)
    listed = staff()
    round_ = publish_key_list([(listed, 1, ("suzhou",), listed.position)])
    entry = KeyListEntry.objects.get(round=round_)

    def list_digest():
        return allocation_inputs.list_digest(round_id=round_.pk, training_type="compliance")

    def bookings_digest():
        return allocation_inputs.bookings_digest(training_type="compliance")

    before = list_digest(), bookings_digest()
    assert list_digest() == before[0]
    KeyListEntry.objects.filter(pk=entry.pk).update(base_slug="shenzhen")
    assert list_digest() != before[0]
    booking = services.booking_create(user=staff(), session_id=session.pk)
    assert bookings_digest() != before[1]
    with_booking = bookings_digest()
    Booking.objects.filter(pk=booking.pk).update(priority=7)
    assert bookings_digest() != with_booking
    sessions = list(TrainingSession.objects.all())
    digest = allocation_inputs.sessions_digest(sessions)
    sessions[0].capacity += 1
    assert allocation_inputs.sessions_digest(sessions) != digest
    sessions[0].capacity -= 1
    sessions[0].base_id = TrainingBase.objects.exclude(pk=sessions[0].base_id).first().pk
    assert allocation_inputs.sessions_digest(sessions) != digest


def test_the_enterprises_digest_changes_when_an_enterprise_of_the_list_is_suspended_or_resumed():
    from django.db import transaction

    from trainees import services as trainees_services
    from trainees.models import CultivationStatus, Enterprise

    listed, unlisted = staff(), staff()
    Enterprise.objects.filter(pk__in=[listed.enterprise_id, unlisted.enterprise_id]).update(
        cultivation_status=CultivationStatus.LISTED
    )
    round_ = publish_key_list([(listed, 1, ("suzhou",), listed.position)])
    actor = officer()

    def digest(lock=False):
        with transaction.atomic():
            blocked = allocation_inputs.blocked_enterprises(round_id=round_.pk, training_type="compliance", lock=lock)
        return allocation_inputs.enterprises_digest(blocked)

    def transition(user, action):
        trainees_services.cultivation_transition(
            enterprise_id=user.enterprise_id, action=action, actor=actor, ground="being_audited", reason="稽查"
        )

    before = digest()
    assert digest() == before == digest(lock=True)
    transition(unlisted, "suspend")  # not on this list: nothing the plan reads
    assert digest() == before
    transition(listed, "suspend")
    suspended = digest()
    assert suspended != before and digest(lock=True) == suspended
    transition(listed, "resume")
    assert digest() == before != suspended


def _swap_priorities(first, second):
    a, b = first.priority, second.priority
    KeyListEntry.objects.filter(pk=first.pk).update(priority=10_000)
    KeyListEntry.objects.filter(pk=second.pk).update(priority=a)
    KeyListEntry.objects.filter(pk=first.pk).update(priority=b)


LIST_CHANGES = {
    "two people swap places": lambda first, second: _swap_priorities(first, second),
    "preferred bases": lambda first, second: (
        type(first.application).objects.filter(pk=first.application_id).update(preferred_bases=["guangzhou"])
    ),
    "account linked": lambda first, second: NominatedTrainee.objects.filter(pk=second.nominee_id).update(user=staff()),
    "nominee name": lambda first, second: NominatedTrainee.objects.filter(pk=first.nominee_id).update(name="新名字"),
    "nominee position": lambda first, second: NominatedTrainee.objects.filter(pk=first.nominee_id).update(
        position=Position.LEGAL_REPRESENTATIVE
    ),
    "account position": lambda first, second: (
        type(first.nominee.user).objects.filter(pk=first.nominee.user_id).update(position=Position.LEGAL_REPRESENTATIVE)
    ),
    "proposed base": lambda first, second: KeyListEntry.objects.filter(pk=second.pk).update(base_slug="shenzhen"),
    "removed": lambda first, second: KeyListEntry.objects.filter(pk=second.pk).update(removed_at=timezone.now()),
}


@pytest.mark.parametrize("change", LIST_CHANGES)
def test_the_list_digest_changes_with_every_value_the_plan_reads(change):
    listed = staff()
    round_ = publish_key_list(
        [(listed, 1, ("suzhou",), listed.position), (None, 2, ("suzhou",), Position.CUSTOMS_AFFAIRS)]
    )
    first, second = KeyListEntry.objects.filter(round=round_).select_related("nominee__user").order_by("priority")

    def digest():
        return allocation_inputs.list_digest(round_id=round_.pk, training_type="compliance")

    before = digest()
    assert digest() == before and before.startswith("2:")
    LIST_CHANGES[change](first, second)
    assert digest() != before


def test_statement_count_does_not_depend_on_the_plan_size_with_a_waitlist(django_assert_max_num_queries):
    """Placements past the seats wait in the session; people already waiting are moved in place."""
    session = SessionFactory(capacity=2)
    waiting = staff()
    full = SessionFactory(capacity=1)
    services.booking_create(user=staff(), session_id=full.pk)
    services.booking_create(user=waiting, session_id=full.pk)
    first = staff()
    round_ = publish_key_list([(waiting, 1, ("suzhou",), waiting.position), (first, 2, ("suzhou",), first.position)])
    extend_key_list(round_, 30, with_users=True)
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    with CaptureQueriesContext(connection) as ctx:
        services.allocation_confirm(actor=actor, run_id=run.pk)
    assert len(ctx) <= CONFIRM_STATEMENTS + 1  # + the update of the person already waiting
    statuses = dict(Booking.objects.filter(session=session).values_list("user_id", "status"))
    assert statuses[waiting.pk] == Booking.Status.CONFIRMED and statuses[first.pk] == Booking.Status.CONFIRMED
    assert sum(1 for s in statuses.values() if s == Booking.Status.WAITLISTED) == 30
    assert Booking.objects.filter(user=waiting, status__in=Booking.ACTIVE).count() == 1
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL


def test_a_position_changed_after_the_preview_is_the_one_the_booking_carries(monkeypatch):
    SessionFactory(capacity=3)
    listed = staff()
    round_ = publish_key_list([(listed, 1, ("suzhou",), listed.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    type(listed).objects.filter(pk=listed.pk).update(position=Position.SENIOR_MANAGEMENT)
    recomputed = computed_again(monkeypatch)
    services.allocation_confirm(actor=actor, run_id=run.pk)
    assert recomputed  # the list's digest covers the accounts' positions
    assert Booking.objects.get(user=listed).position == Position.SENIOR_MANAGEMENT
