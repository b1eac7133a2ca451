"""The figures for the appraisal dashboard: `selectors.answered_in_time`."""

import datetime as dt

import pytest
from django.utils import timezone

from consultations import selectors, services
from consultations.selectors import ConsultationFigures
from tests.trainees.factories import unit

from .helpers import ask, cast

pytestmark = pytest.mark.django_db


def test_figures_by_district_and_period(django_assert_num_queries):
    people = cast()
    now = timezone.now()
    week_ago = now - dt.timedelta(days=7)
    in_time = ask(people, now=week_ago)
    services.consultation_reply(
        consultation_id=in_time.pk, user=people.coordinator, body="答复", now=week_ago + dt.timedelta(hours=2)
    )
    services.consultation_rate(consultation_id=in_time.pk, user=people.staff, rating=5)
    late = ask(people, now=week_ago)
    services.consultation_reply(
        consultation_id=late.pk, user=people.coordinator, body="答复", now=week_ago + dt.timedelta(hours=72)
    )
    services.consultation_rate(consultation_id=late.pk, user=people.staff, rating=2)
    ask(people, now=week_ago)  # never answered: late
    ask(people, now=now)  # asked just now: not yet due, not counted in the rate

    futian = [unit("5301").pk]
    with django_assert_num_queries(1):
        figures = selectors.answered_in_time(district_ids=futian, start=None, end=None)
    assert figures == ConsultationFigures(asked=4, answered=2, answered_in_time=1, in_time_rate=33.3, mean_rating=3.5)
    assert selectors.answered_in_time(district_ids=None, start=None, end=None) == figures  # GACC: all
    assert selectors.answered_in_time(district_ids=[unit("2301").pk], start=None, end=None) == ConsultationFigures(
        asked=0, answered=0, answered_in_time=0, in_time_rate=0.0, mean_rating=None
    )
    today = timezone.localdate()
    recent = selectors.answered_in_time(district_ids=futian, start=today, end=today)
    assert (recent.asked, recent.answered, recent.mean_rating) == (1, 0, None)
    older = selectors.answered_in_time(district_ids=futian, start=None, end=today - dt.timedelta(days=1))
    assert (older.asked, older.answered_in_time, older.in_time_rate) == (3, 1, 33.3)


def test_query_count_is_constant():
    people = cast()
    for _ in range(3):
        ask(people)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        selectors.answered_in_time(district_ids=None, start=None, end=None)
    for _ in range(20):
        ask(people)
    with CaptureQueriesContext(connection) as many:
        selectors.answered_in_time(district_ids=None, start=None, end=None)
    assert len(few) == len(many) == 1
