"""Calendar and roster pages run the same number of queries for 10 and for 1,000 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EnterpriseStaffFactory
from training_bases.models import AttendanceRecord, Booking, TrainingSession

from .factories import RoomFactory, SessionFactory, officer, staff

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def add_sessions(n: int, day: dt.datetime, offset: int = 0) -> None:
    rooms = [RoomFactory() for _ in range(10)]
    rows = []
    for i in range(offset, offset + n):
        room = rooms[i % len(rooms)]
        start = day + dt.timedelta(minutes=15 * (i // len(rooms)))
        rows.append(
            TrainingSession(
                title_zh=f"场次{i}",
                training_type="compliance",
                base=room.base,
                room=room,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=15),
                capacity=10,
                status="open",
            )
        )
    TrainingSession.objects.bulk_create(rows)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_calendar_query_count_is_constant(client, django_assert_max_num_queries):
    day = (timezone.now() + dt.timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    params = {"view": "week", "date": timezone.localtime(day).date().isoformat()}
    url = reverse("training_bases:calendar")
    client.force_login(staff())
    add_sessions(10, day)
    count_queries(client, url, params)  # warm per-process caches (site, locales)
    small, _ = count_queries(client, url, params)
    add_sessions(990, day, offset=10)
    with django_assert_max_num_queries(MAX_QUERIES):
        large, html = count_queries(client, url, params)
    assert html.count("data-session-id=") == 1000
    assert small == large


def test_roster_query_count_is_constant(client, django_assert_max_num_queries):
    session = SessionFactory(capacity=1000, room__capacity=1000)
    url = reverse("training_bases:roster", args=[session.pk])
    client.force_login(officer())

    def add_bookings(n, start):
        people = EnterpriseStaffFactory.create_batch(n)
        Booking.objects.bulk_create(
            Booking(
                session=session,
                user=u,
                enterprise_id=u.enterprise_id,
                training_type="compliance",
                position=u.position,
                status="confirmed",
                priority=start + i,
            )
            for i, u in enumerate(people)
        )

    add_bookings(10, 1)
    count_queries(client, url)  # warm per-process caches (site, locales)
    small, _ = count_queries(client, url)
    add_bookings(990, 11)
    with django_assert_max_num_queries(MAX_QUERIES):
        large, html = count_queries(client, url)
    assert html.count("data-booking-id=") == 1000
    assert small == large


def test_my_bookings_query_count_is_constant(client, django_assert_max_num_queries):
    day = (timezone.now() + dt.timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    user = staff()
    client.force_login(user)
    url = reverse("training_bases:my_bookings")

    def book_sessions(n, offset):
        add_sessions(n, day, offset=offset)
        sessions = TrainingSession.objects.filter(title_zh__in=[f"场次{i}" for i in range(offset, offset + n)])
        bookings = Booking.objects.bulk_create(
            Booking(
                session=s, user=user, enterprise_id=user.enterprise_id, training_type="compliance", status="no_show"
            )
            for s in sessions
        )
        AttendanceRecord.objects.bulk_create(
            AttendanceRecord(booking=b, day=timezone.localtime(day).date(), status="present") for b in bookings
        )

    book_sessions(10, 0)
    count_queries(client, url)  # warm per-process caches (site, locales)
    small, _ = count_queries(client, url)
    book_sessions(190, 10)
    with django_assert_max_num_queries(MAX_QUERIES):
        large, html = count_queries(client, url)
    assert html.count("data-attendance=") == 25  # one page of the 200, newest first
    assert small == large
    last, html = count_queries(client, f"{url}?page=8")
    assert html.count("data-attendance=") == 25
    assert "场次0<" in html  # the earliest session is on the last page
    assert last == large
