"""Satisfaction (surveys) and consultations answered in time on the appraisal dashboard, and
survey results on the expert roster: the figures of those apps' own selectors, per level."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import selectors as consultation_selectors
from feedback import rules, selectors
from feedback.models import Expert
from surveys import selectors as survey_selectors
from surveys import services as survey_services
from surveys.models import Survey
from tests.consultations.helpers import ask, cast
from tests.factories import UserFactory
from tests.surveys.factories import answers, open_survey_for
from tests.trainees.factories import officer, unit
from tests.training_bases.factories import RoomFactory, SessionFactory, base, staff
from trainees.access import appraisal_unit_ids
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def _survey(slug, people, responders, likert, *, trainer=None):
    session = SessionFactory(room=RoomFactory(base=base(slug)))
    if trainer is not None:
        session.trainers.add(trainer)
    survey = open_survey_for(session, people)
    Survey.objects.filter(pk=survey.pk).update(event_date=timezone.localdate() - dt.timedelta(days=5))
    if trainer is not None:
        survey.trainers.set([trainer])
    for person, score in zip(responders, likert, strict=True):
        survey_services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, likert=score))
    return survey


@pytest.fixture
def feedback_world():
    trainer = UserFactory(roles=[Role.TRAINER], customs_unit=unit("5300"))
    a, b, c = staff(), staff(), staff()
    _survey("shenzhen", [a, b, c], [a, b], [5, 3], trainer=trainer)  # run by Shenzhen (5300)
    _survey("suzhou", [a, b], [a], [2])  # run by Suzhou (2301, Nanjing district)
    people = cast()
    ask(people)  # to Futian (5301)
    ask(people, subject="另一个问题")
    return trainer


def _dashboard(user, unit_code=None):
    ids = appraisal_unit_ids(user)
    viewer = user.customs_unit_id
    if unit_code is not None:
        viewer = unit(unit_code).pk
        units = selectors.visible_units(district_ids=ids)
        ids = list(rules.district_rows((rules.UnitNode(u.id, u.parent_id) for u in units), viewer_unit_id=viewer))
    today = timezone.localdate()
    period = rules.period(start=None, end=None, today=today)
    return (
        selectors.appraisal_dashboard(district_ids=ids, viewer_unit_id=viewer, period=period, today=today),
        ids,
        period,
    )


def test_gacc_counts_every_survey_and_consultation(feedback_world):
    data, _ids, period = _dashboard(officer("0000"))
    assert data.satisfaction == survey_selectors.satisfaction(district_ids=None, start=period.start, end=period.end)
    assert (data.satisfaction.invited, data.satisfaction.responses) == (5, 3)
    assert data.consultations == consultation_selectors.answered_in_time(
        district_ids=None, start=period.start, end=period.end
    )
    assert data.consultations.asked == 2


def test_districts_count_their_own(feedback_world):
    data, ids, period = _dashboard(officer("5300"))
    assert data.satisfaction == survey_selectors.satisfaction(district_ids=ids, start=period.start, end=period.end)
    assert (data.satisfaction.invited, data.satisfaction.responses, data.satisfaction.mean_score) == (3, 2, 4.0)
    assert data.consultations.asked == 2  # asked to Futian, under Shenzhen
    nanjing, _ids, _period = _dashboard(officer("2300"))
    assert (nanjing.satisfaction.invited, nanjing.satisfaction.responses) == (2, 1)
    assert nanjing.consultations.asked == 0
    # GACC narrowed to Nanjing counts only Nanjing's, like the Nanjing officer.
    narrowed, _ids, _period = _dashboard(officer("0000"), unit_code="2300")
    assert narrowed.satisfaction == nanjing.satisfaction and narrowed.consultations == nanjing.consultations


def test_page_and_export_show_them(feedback_world, client):
    client.force_login(officer("5300"))
    body = client.get(reverse("feedback:appraisal")).content.decode()
    assert 'id="survey-responses">2 / 3 (66.7%)' in body
    assert 'id="consultations-asked">2<' in body
    assert client.get(reverse("feedback:appraisal_xlsx")).status_code == 200


def test_roster_shows_the_experts_survey_results(feedback_world, client):
    expert = Expert.objects.create(user=feedback_world, level=Expert.Level.REGIONAL, customs_unit=unit("5300"))
    [row] = selectors.expert_roster(user=officer("5300"), now=timezone.now())
    assert row.expert == expert
    assert row.survey == survey_selectors.trainer_results([feedback_world.pk])[feedback_world.pk]
    assert (row.survey.invited, row.survey.responses) == (3, 2)
    client.force_login(officer("5300"))
    assert 'data-responses="2"' in client.get(reverse("feedback:expert_roster")).content.decode()
