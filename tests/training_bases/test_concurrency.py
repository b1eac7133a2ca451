"""200 people book a 10-seat session at the same moment, on PostgreSQL. With the session-row lock
exactly 10 get a seat and 190 wait in priority order; with the lock switched off the same race
overbooks, which proves the test can fail."""

import random
import threading
import time

import pytest
from django.db import connection

from training_bases import selectors, services
from training_bases.models import Booking, TrainingSession

from .factories import SessionFactory, staff

CLIENTS = 200
WORKERS = 40  # PostgreSQL allows 100 connections; 40 threads share the 200 bookings
CAPACITY = 10


def race(session_id: int, people: list[tuple[int, int]]) -> list[Exception]:
    """Each worker waits at the barrier, then books for its share of people."""
    from trainees.models import User

    barrier = threading.Barrier(WORKERS)
    errors: list[Exception] = []
    shares = [people[i::WORKERS] for i in range(WORKERS)]

    def worker(share):
        try:
            users = {u.pk: u for u in User.objects.filter(pk__in=[p for p, _ in share])}
            barrier.wait(timeout=60)
            for user_id, priority in share:
                services.booking_create(user=users[user_id], session_id=session_id, priority=priority)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return errors


@pytest.fixture
def crowd(site):
    session = SessionFactory(capacity=CAPACITY, room__capacity=CAPACITY)
    priorities = list(range(1, CLIENTS + 1))
    random.Random(4).shuffle(priorities)
    people = [(staff().pk, p) for p in priorities]
    return session, people


@pytest.fixture
def widened_race(monkeypatch):
    """Test-only hook: a pause between the seat count and the insert makes the race certain."""
    monkeypatch.setattr(services, "race_window_hook", lambda: time.sleep(0.01))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_bookings_never_overbook(crowd, widened_race):
    session, people = crowd
    assert not race(session.pk, people)
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(Booking.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Booking.Status.WAITLISTED) == CLIENTS - CAPACITY
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL

    waitlist = selectors.roster(session=session)["waitlisted"]
    priorities = [b.priority for b in waitlist]
    assert priorities == sorted(priorities) and len(priorities) == CLIENTS - CAPACITY

    # The freed seat goes to the best-ranked waiter, whoever booked first.
    leaving = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).first()
    services.booking_cancel(actor=leaving.user, booking_id=leaving.pk)
    promoted = Booking.objects.get(pk=waitlist[0].pk)
    assert promoted.status == Booking.Status.CONFIRMED
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == CAPACITY


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_same_race_overbooks(crowd, widened_race, settings):
    settings.TRAINING_BASES_DISABLE_SEAT_LOCK = True
    session, people = crowd
    assert not race(session.pk, people)
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    assert confirmed > CAPACITY, "the race did not reproduce: the test could not detect overbooking"


# --- A suspension committed while an allocation is being confirmed ---------------------------


def _blocked_or_done(done: threading.Event, timeout: float = 10.0) -> None:
    """Wait until `done` is set or another connection to this database waits for a lock."""
    deadline = time.monotonic() + timeout
    while not done.is_set() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # The caller is inside a transaction: the activity view is kept from its first read.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)


def suspend_while_confirming(monkeypatch) -> tuple:
    """The allocation's confirm holds its locks and has read the enterprises' statuses; the
    suspension of a listed enterprise starts then, and the confirm goes on once the suspension
    has committed or waits for a lock. Returns (suspended person, other person, errors)."""
    from trainees import services as trainees_services
    from trainees.models import CultivationStatus, Enterprise

    from .factories import officer, publish_key_list

    SessionFactory(capacity=5)
    person, other = staff(), staff()
    Enterprise.objects.filter(pk__in=[person.enterprise_id, other.enterprise_id]).update(
        cultivation_status=CultivationStatus.LISTED
    )
    round_ = publish_key_list([(person, 1, ("suzhou",), person.position), (other, 2, ("suzhou",), other.position)])
    actor = officer()
    run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
    in_window, suspended = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def window():
        in_window.set()
        _blocked_or_done(suspended)

    monkeypatch.setattr(services, "allocation_race_hook", window)

    def confirm():
        try:
            services.allocation_confirm(actor=actor, run_id=run.pk)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def suspend():
        try:
            assert in_window.wait(timeout=30)
            trainees_services.cultivation_suspend(
                enterprise_id=person.enterprise_id, actor=actor, ground="being_audited", reason="稽查中"
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            suspended.set()
            connection.close()

    threads = [threading.Thread(target=confirm), threading.Thread(target=suspend)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return person, other, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_suspension_committed_during_an_allocation_confirm_leaves_the_enterprise_no_seat(site, monkeypatch):
    """The confirm holds the list's enterprises FOR SHARE: the suspension waits for it, then
    releases the seat the allocation gave."""
    from trainees.models import CultivationStatus, Enterprise

    person, other, errors = suspend_while_confirming(monkeypatch)
    assert not errors
    assert Enterprise.objects.get(pk=person.enterprise_id).cultivation_status == CultivationStatus.SUSPENDED
    assert not Booking.objects.filter(user=person, status__in=Booking.ACTIVE).exists()
    assert Booking.objects.get(user=person).status == Booking.Status.RELEASED  # allocated, then released
    assert Booking.objects.get(user=other).status == Booking.Status.CONFIRMED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_locks_a_suspension_during_an_allocation_confirm_leaves_a_seat(site, monkeypatch, settings):
    settings.TRAINING_BASES_DISABLE_SEAT_LOCK = True
    person, _other, errors = suspend_while_confirming(monkeypatch)
    assert not errors
    active = Booking.objects.filter(user=person, status__in=Booking.ACTIVE).count()
    assert active == 1, "the race did not reproduce: the test could not detect a seat left to a suspended enterprise"
