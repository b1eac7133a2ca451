"""Issue 17, point 1 in a real browser: a participant answers the survey of their training
session from "My surveys", and the session's trainer sees the result with its chart."""

import pytest
from playwright.sync_api import expect

from surveys import services
from surveys.models import SurveyResponse
from tests.factories import UserFactory
from tests.surveys.factories import answers, open_survey_for
from tests.training_bases.factories import SessionFactory, staff
from trainees.roles import Role

pytestmark = pytest.mark.e2e


def test_participant_answers_and_trainer_sees_the_result(live_server, page, log_in, site):
    trainer = UserFactory(roles=[Role.TRAINER], last_name="李", first_name="讲师")
    session = SessionFactory(title_zh="AEO内部控制实务培训")
    session.trainers.add(trainer)
    participant, *others = (staff() for _ in range(3))
    survey = open_survey_for(session, [participant, *others], anonymous=True)
    for person in others:
        services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, likert=3, text="一般"))

    log_in(participant)
    page.goto(f"{live_server.url}/surveys/")
    page.click(f'#my-surveys tr[data-survey="{survey.pk}"] a.button')
    expect(page.locator("#anonymous-note")).to_be_visible()
    for item in survey.items.filter(kind="likert"):
        page.check(f'input[name="item-{item.pk}"][value="5"]')
    text_item = survey.items.get(kind="text")
    page.fill(f"#text-{text_item.pk}", "案例很实用，建议增加练习。")
    page.click("#survey-submit")
    expect(page.locator(f'#my-surveys tr[data-survey="{survey.pk}"]')).to_have_attribute("data-status", "answered")
    assert SurveyResponse.objects.filter(survey=survey, respondent__isnull=True).count() == 3

    log_in(trainer)
    page.goto(f"{live_server.url}/surveys/results/")
    page.click(f'#results-events tr[data-survey="{survey.pk}"] a')
    figures = page.locator("#survey-figures")
    expect(figures).to_have_attribute("data-responses", "3")
    expect(figures).to_have_attribute("data-mean", "3.67")
    expect(page.locator("svg.chart--likert").first).to_be_visible()
    expect(page.locator(f"#result-{text_item.pk}")).to_contain_text("案例很实用，建议增加练习。")
