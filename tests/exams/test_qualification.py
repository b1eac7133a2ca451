"""Validator qualification: field training, situational interview (two interviewers, rubric) and
the computer exam, decided by `rules.validator_qualified` with reasons in words."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exams.services import attempts as svc
from exams.services.qualification import interview_record, validator_qualification
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role

RUBRIC = {"识别风险": 10, "处置流程": 10}


@pytest.mark.django_db
def test_qualification_page_shows_all_three_parts(client):
    candidate = UserFactory(roles=[Role.VALIDATOR_CANDIDATE])
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER])
    a, b = UserFactory(roles=[Role.CUSTOMS_OFFICER]), UserFactory(roles=[Role.CUSTOMS_OFFICER])
    with pytest.raises(ValidationError):
        interview_record(
            candidate=candidate,
            held_on=dt.date(2026, 11, 2),
            rubric=RUBRIC,
            sheets=[(a, {"识别风险": 8, "处置流程": 8}, "")],
            recorded_by=officer,
        )
    with pytest.raises(ValidationError):
        interview_record(
            candidate=candidate,
            held_on=dt.date(2026, 11, 2),
            rubric=RUBRIC,
            sheets=[(a, {"识别风险": 8}, ""), (b, {"识别风险": 8, "处置流程": 8}, "")],
            recorded_by=officer,
        )
    interview_record(
        candidate=candidate,
        held_on=dt.date(2026, 11, 2),
        rubric=RUBRIC,
        sheets=[(a, {"识别风险": 8, "处置流程": 8}, "清楚"), (b, {"识别风险": 7, "处置流程": 9}, "")],
        recorded_by=officer,
    )
    exam = make_exam(essay=False, audience="validator")
    attempt = svc.attempt_start(exam=exam, user=candidate)
    at = positions(attempt)
    for name, response in {"单选": 0, "多选": [0, 1], "判断": True, "填空": "AEO"}.items():
        svc.answer_save(attempt_id=attempt.pk, user=candidate, position=at[name], response=response, seq=1)
    svc.attempt_submit(attempt=attempt)
    svc.exam_results_release(exam=exam, user=officer)
    result = validator_qualification(user=candidate)
    assert result["exam_passed"] and result["interview"].passed and not result["field_training"]
    assert not result["qualified"]
    client.force_login(candidate)
    page = client.get(reverse("exams:qualification")).content.decode()
    assert "80.00" in page and 'data-qualified="false"' in page
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get(reverse("exams:qualification")).status_code == 403
    assert client.get(reverse("exams:qualification_of", args=[candidate.pk])).status_code == 403


@pytest.mark.django_db
def test_officer_records_the_interview_on_its_form_and_the_page_shows_it(client):
    candidate = UserFactory(roles=[Role.VALIDATOR_CANDIDATE])
    first, second = UserFactory(roles=[Role.TRAINER]), UserFactory(roles=[Role.TRAINER])
    client.force_login(UserFactory(is_superuser=True))
    url = reverse("exams:interview_record", args=[candidate.pk])
    assert client.get(url).status_code == 200
    data = {"held_on": "2026-11-20", "interviewer1": first.email, "interviewer2": "nobody@example.com"}
    for i in range(5):
        data[f"s1-{i}"] = "16"
        data[f"s2-{i}"] = "14"
    response = client.post(url, data)
    assert response.status_code == 200 and "Interviewer 2" in response.content.decode()
    data["interviewer2"] = second.email
    data["s2-4"] = "25"  # above the criterion's 20
    assert client.post(url, data).status_code == 200
    data["s2-4"] = "14"
    data["comment1"] = "案例分析清楚"
    assert client.post(url, data).status_code == 302
    result = validator_qualification(user=candidate)
    assert result["interview"].passed  # (80 + 70) / 2 = 75 %
    page = client.get(reverse("exams:qualification_of", args=[candidate.pk])).content.decode()
    assert 'id="interview"' in page and "案例分析清楚" in page and "现场核查方法" in page
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get(url).status_code == 403
