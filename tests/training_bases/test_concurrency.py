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
