"""Survey pages: answering (once, while open, only one's own survey), results per event and
overall with charts and XLSX exports, scoped to the viewer."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys import services
from surveys.models import Survey, SurveyResponse
from tests.factories import UserFactory
from tests.trainees.factories import enterprise_in, officer, staff_of
from tests.training_bases.factories import RoomFactory, SessionFactory, base
from trainees.roles import Role

from .factories import answers, form_data, open_survey_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    trainer = UserFactory(roles=[Role.TRAINER])
    session = SessionFactory(room=RoomFactory(base=base("shenzhen")))
    session.trainers.add(trainer)
    people = [staff_of(enterprise_in("5301")) for _ in range(3)]
    survey = open_survey_for(session, people)
    survey.trainers.set([trainer])
    return {"trainer": trainer, "survey": survey, "people": people}


def test_participant_answers_once(client, world):
    survey, person = world["survey"], world["people"][0]
    client.force_login(person)
    page = client.get(reverse("surveys:my_surveys"))
    assert f'data-survey="{survey.pk}" data-status="open"' in page.content.decode()
    url = reverse("surveys:respond", args=[survey.pk])
    assert 'id="survey-form"' in client.get(url).content.decode()
    response = client.post(url, form_data(survey, likert=5))
    assert response.status_code == 302 and response["Location"] == reverse("surveys:my_surveys")
    again = client.post(url, form_data(survey, likert=1))
    assert again.status_code == 400
    assert "您已填写过本问卷" in again.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert 'data-status="answered"' in client.get(reverse("surveys:my_surveys")).content.decode()


def test_missing_answers_re_render_with_messages(client, world):
    survey, person = world["survey"], world["people"][0]
    client.force_login(person)
    response = client.post(reverse("surveys:respond", args=[survey.pk]), {"item-999": "5"})
    assert response.status_code == 400
    assert response.content.decode().count("survey-item--error") == survey.items.filter(required=True).count()
    assert not SurveyResponse.objects.exists()


def test_after_the_close_the_form_is_refused(client, world):
    survey, person = world["survey"], world["people"][0]
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=survey.opens_at - dt.timedelta(days=30), closes_at=survey.opens_at - dt.timedelta(days=1)
    )
    client.force_login(person)
    url = reverse("surveys:respond", args=[survey.pk])
    assert 'id="survey-refusal"' in client.get(url).content.decode()
    assert client.post(url, form_data(survey)).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_another_enterprises_survey_is_not_found(client, world):
    survey = world["survey"]
    outsider = staff_of(enterprise_in("2301"))
    client.force_login(outsider)
    assert client.get(reverse("surveys:respond", args=[survey.pk])).status_code == 404
    assert client.post(reverse("surveys:respond", args=[survey.pk]), form_data(survey)).status_code == 404
    assert client.get(reverse("surveys:survey_results", args=[survey.pk])).status_code == 403
    assert str(survey.title) not in client.get(reverse("surveys:my_surveys")).content.decode()


def _answer_all(world, scores=(5, 4, 3)):
    survey = world["survey"]
    for person, score in zip(world["people"], scores, strict=True):
        services.response_submit(
            survey_id=survey.pk, user=person, posted=answers(survey, likert=score, text=f"意见{score}")
        )


def test_results_per_event_for_trainer_and_district(client, world):
    survey = world["survey"]
    _answer_all(world)
    client.force_login(world["trainer"])
    page = client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert 'data-invited="3" data-responses="3" data-rate="100.0" data-mean="4.0"' in page
    assert page.count('class="chart chart--likert"') == survey.items.filter(kind="likert").count()
    assert "意见5" in page and "意见3" in page
    client.force_login(officer("5300"))
    assert client.get(reverse("surveys:survey_results", args=[survey.pk])).status_code == 200
    client.force_login(officer("2300"))
    assert client.get(reverse("surveys:survey_results", args=[survey.pk])).status_code == 404


def test_anonymous_results_with_too_few_responses_show_counts_only(client, world):
    survey = world["survey"]
    assert survey.anonymous
    services.response_submit(survey_id=survey.pk, user=world["people"][0], posted=answers(survey, text="只有我"))
    client.force_login(world["trainer"])
    page = client.get(reverse("surveys:survey_results", args=[survey.pk])).content.decode()
    assert 'id="too-few"' in page and "只有我" not in page
    export = client.get(reverse("surveys:survey_results_xlsx", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert "只有我" not in {c.value for row in sheet.iter_rows() for c in row}


def test_results_overview_groups_charts_and_export(client, world):
    survey = world["survey"]
    _answer_all(world)
    client.force_login(officer("0000"))
    page = client.get(reverse("surveys:results"))
    content = page.content.decode()
    assert page.status_code == 200
    assert 'id="results-total" data-invited="3" data-responses="3"' in content
    assert f'data-key="{world["trainer"].pk}"' in content and "chart--bars" in content
    assert f'data-key="{survey.base_id}"' in content
    filtered = client.get(reverse("surveys:results"), {"trainer": world["trainer"].pk, "kind": "training_session"})
    assert 'data-invited="3"' in filtered.content.decode()
    export = client.get(reverse("surveys:results_xlsx"), {"base": survey.base_id})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(r[1] == survey.title and r[3] == 3 and r[4] == 3 and r[5] == 100 for r in rows)
    detail = client.get(reverse("surveys:survey_results_xlsx", args=[survey.pk]))
    sheet_rows = list(load_workbook(io.BytesIO(detail.content)).active.iter_rows(values_only=True))
    assert sum(1 for r in sheet_rows if r and r[-1] and str(r[-1]).startswith("意见")) == 3


@pytest.mark.parametrize(
    "query", [{"start": "not-a-date"}, {"start": "2026-02-01", "end": "2026-01-01"}, {"trainer": "x"}, {"course": "1"}]
)
def test_bad_filters_do_not_fail(client, world, query):
    client.force_login(officer("0000"))
    assert client.get(reverse("surveys:results"), query).status_code == 200
    assert client.get(reverse("surveys:results_xlsx"), query).status_code == 200


def test_other_district_officer_sees_nothing_of_it_in_the_overview(client, world):
    _answer_all(world)
    client.force_login(officer("2300"))
    content = client.get(reverse("surveys:results")).content.decode()
    assert 'id="results-total" data-invited="0"' in content


def _dated(survey, day):
    Survey.objects.filter(pk=survey.pk).update(event_date=day)


def test_reversed_dates_show_the_corrected_period_and_say_so(client, world):
    """Reversed dates are swapped, as the appraisal does, and the page says so: never the error
    above a list of every result."""
    inside = world["survey"]
    _dated(inside, dt.date(2026, 1, 15))
    outside = open_survey_for(SessionFactory(room=RoomFactory(base=base("shenzhen"))), world["people"])
    _dated(outside, dt.date(2026, 3, 15))
    client.force_login(officer("0000"))
    page = client.get(reverse("surveys:results"), {"start": "2026-02-01", "end": "2026-01-01"})
    content = page.content.decode()
    assert page.status_code == 200
    assert f'data-survey="{inside.pk}"' in content and f'data-survey="{outside.pk}"' not in content
    assert 'id="results-filter-notes"' in content and "2026-02-01" in content and "对调" in content
    assert 'name="start" value="2026-01-01"' in content and 'name="end" value="2026-02-01"' in content
    export = client.get(reverse("surveys:results_xlsx"), {"start": "2026-02-01", "end": "2026-01-01"})
    titles = {r[1] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)}
    assert inside.title != outside.title
    assert inside.title in titles and outside.title not in titles


def test_a_filter_that_cannot_be_used_is_named_and_the_others_still_apply(client, world):
    inside = world["survey"]
    _dated(inside, dt.date(2026, 1, 15))
    outside = open_survey_for(SessionFactory(room=RoomFactory(base=base("shenzhen"))), world["people"])
    _dated(outside, dt.date(2026, 3, 15))
    client.force_login(officer("0000"))
    content = client.get(
        reverse("surveys:results"), {"start": "2026年1月1日", "end": "not-a-date", "trainer": "x"}
    ).content.decode()
    assert f'data-survey="{inside.pk}"' in content and f'data-survey="{outside.pk}"' in content
    assert "“not-a-date”不是日期" in content and "无法按培训师筛选" in content
    content = client.get(reverse("surveys:results"), {"end": "2026-02-01", "trainer": "x"}).content.decode()
    assert f'data-survey="{inside.pk}"' in content and f'data-survey="{outside.pk}"' not in content
