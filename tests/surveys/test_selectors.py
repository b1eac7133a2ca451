"""The satisfaction figures the appraisal dashboard reads: by district and period, per trainer,
with a query count that does not grow with the data."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys import selectors, services
from surveys.models import Survey
from tests.factories import UserFactory
from tests.training_bases.factories import RoomFactory, SessionFactory, base, staff
from trainees.roles import Role

from .factories import answers, open_survey_for

pytestmark = pytest.mark.django_db


def _survey(slug, people, responders, likert, *, trainer=None, event_date=None):
    session = SessionFactory(room=RoomFactory(base=base(slug)))
    if trainer is not None:
        session.trainers.add(trainer)
    survey = open_survey_for(session, people)
    if trainer is not None:
        survey.trainers.set([trainer])
    if event_date is not None:
        Survey.objects.filter(pk=survey.pk).update(event_date=event_date)
    for person, score in zip(responders, likert, strict=True):
        services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, likert=score))
    return survey


def test_satisfaction_by_district_and_period():
    a, b, c = staff(), staff(), staff()
    today = timezone.localdate()
    sz = _survey("shenzhen", [a, b, c], [a, b], [5, 3])  # 3 invited, 2 answered
    _survey("suzhou", [a, b], [a], [2], event_date=today - dt.timedelta(days=400))
    shenzhen = sz.customs_unit_id
    figures = selectors.satisfaction(district_ids=[shenzhen], start=None, end=None)
    assert figures == selectors.SatisfactionFigures(invited=3, responses=2, response_rate=66.7, mean_score=4.0)
    everything = selectors.satisfaction(district_ids=None, start=None, end=None)
    assert (everything.invited, everything.responses) == (5, 3)
    assert everything.mean_score == round((6 * 5 + 6 * 3 + 6 * 2) / 18, 2)
    recent = selectors.satisfaction(district_ids=None, start=today - dt.timedelta(days=30), end=None)
    assert (recent.invited, recent.responses) == (3, 2)
    assert selectors.satisfaction(district_ids=[], start=None, end=None) == selectors.EMPTY


def test_trainer_results():
    one, two, idle = (UserFactory(roles=[Role.TRAINER]) for _ in range(3))
    a, b = staff(), staff()
    _survey("shenzhen", [a, b], [a, b], [4, 4], trainer=one)
    _survey("suzhou", [a], [a], [2], trainer=two)
    found = selectors.trainer_results([one.pk, two.pk, idle.pk])
    assert found[one.pk] == selectors.SatisfactionFigures(invited=2, responses=2, response_rate=100.0, mean_score=4.0)
    assert found[two.pk].mean_score == 2.0 and found[two.pk].invited == 1
    assert found[idle.pk] == selectors.EMPTY


def test_query_counts_do_not_grow_with_rows(django_assert_max_num_queries):
    trainers = [UserFactory(roles=[Role.TRAINER]) for _ in range(2)]
    people = [staff() for _ in range(3)]
    _survey("shenzhen", people, people[:2], [5, 4], trainer=trainers[0])
    with django_assert_max_num_queries(3):
        selectors.satisfaction(district_ids=None, start=None, end=None)
    with django_assert_max_num_queries(3):
        selectors.trainer_results([t.pk for t in trainers])
    small = (_count_queries(lambda: selectors.results_overview(Survey.objects.all())),)
    for slug in ("suzhou", "guangzhou", "shenzhen"):
        _survey(slug, people, people, [3, 2, 1], trainer=trainers[1])
    assert _count_queries(lambda: selectors.results_overview(Survey.objects.all())) == small[0]
    survey = Survey.objects.first()
    with django_assert_max_num_queries(6):
        selectors.survey_results(survey)


def _count_queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)
