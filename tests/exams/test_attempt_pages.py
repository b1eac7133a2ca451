"""Candidate pages and the attempt API: access, JSON errors, resuming, and no key, correctness or
feedback in any response before release (issue 14 points 5, 7; leak test)."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams.models import Attempt
from exams.services import attempts as svc
from tests.exams.factories import KEY_TEXT, make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def candidate(client):
    user = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    client.force_login(user)
    return user


def save(client, attempt_id, **body):
    return client.post(
        reverse("exams:api_save", args=[attempt_id]), data=json.dumps(body), content_type="application/json"
    )


def start(client, exam):
    response = client.post(reverse("exams:start", args=[exam.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(exam=exam)


def test_candidate_takes_the_exam_and_resumes_after_a_reload(client, exam, candidate):
    assert exam.title_zh in client.get(reverse("exams:list")).content.decode()
    attempt = start(client, exam)
    fill = positions(attempt)["填空"]
    body = save(client, attempt.pk, position=fill, response="AEO", seq=1).json()
    assert body["seq"] == 1 and not body["stale"] and 3500 < body["remaining_seconds"] <= 3600
    assert save(client, attempt.pk, position=fill, response="old", seq=1).json()["stale"]
    page = client.get(reverse("exams:attempt", args=[attempt.pk]))
    data = page.context["page"]
    assert data["questions"][fill]["response"] == "AEO" and data["questions"][fill]["seq"] == 1
    assert start(client, exam).pk == attempt.pk  # starting again resumes
    status = client.get(reverse("exams:api_status", args=[attempt.pk])).json()
    assert status["state"] == "in_progress" and status["remaining_seconds"] > 3500


def test_leak_nothing_of_the_key_before_release(client, exam, candidate):
    exam.review_options = {
        phase: ["own_answers", "correctness", "key", "feedback", "score"]
        for phase in ("during", "after_submit", "after_close")
    }
    exam.save()
    attempt = start(client, exam)
    at = positions(attempt)
    bodies = [
        client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode(),
        save(client, attempt.pk, position=at["单选"], response=0, seq=1).content.decode(),
        client.get(reverse("exams:api_status", args=[attempt.pk])).content.decode(),
    ]
    client.post(reverse("exams:submit", args=[attempt.pk]))
    bodies.append(client.get(reverse("exams:review", args=[attempt.pk])).content.decode())
    for body in bodies:
        assert (
            KEY_TEXT not in body and "fraction" not in body and "correct" not in body.lower().replace("incorrect", "")
        )
    review = client.get(reverse("exams:review", args=[attempt.pk]))
    assert review.context["review"]["score"] is None
    # after release the review options apply
    svc.exam_results_release(exam=exam, user=UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    released = client.get(reverse("exams:review", args=[attempt.pk])).content.decode()
    assert KEY_TEXT in released


def test_another_candidates_attempt_is_404_everywhere(client, exam, candidate):
    other = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    theirs = svc.attempt_start(exam=exam, user=other)
    assert client.get(reverse("exams:attempt", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("exams:review", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exams:submit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("exams:api_status", args=[theirs.pk])).status_code == 404
    response = save(client, theirs.pk, position=0, response=0, seq=1)
    assert response.status_code == 404 and response.json()["error"]
    assert not theirs.answers.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("not json", 400),
        ("[1, 2]", 400),
        ('{"position": 0}', 400),
        ('{"position": 99, "response": 0, "seq": 1}', 400),
        ('{"position": "x", "response": 0, "seq": 1}', 400),
        ('{"position": 0, "response": 0, "seq": -3}', 400),
    ],
)
def test_bad_api_input_is_a_json_4xx(client, exam, candidate, body, status):
    attempt = start(client, exam)
    response = client.post(reverse("exams:api_save", args=[attempt.pk]), data=body, content_type="application/json")
    assert response.status_code == status and response.json()["error"]


def test_late_save_is_409_and_logged_out_save_is_401(client, exam, candidate):
    attempt = start(client, exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=svc.db_now() - timedelta(minutes=2))
    response = save(client, attempt.pk, position=0, response=None, seq=1)
    assert response.status_code == 409 and response.json()["error"]
    client.logout()
    assert save(client, attempt.pk, position=0, response=None, seq=2).status_code == 401


def test_other_audience_cannot_start(client, exam):
    client.force_login(UserFactory(roles=[Role.VALIDATOR_CANDIDATE]))
    assert client.post(reverse("exams:start", args=[exam.pk])).status_code == 403
    assert exam.title_zh not in client.get(reverse("exams:list")).content.decode()


def test_answer_save_is_two_statements_besides_authentication(client, exam, candidate):
    attempt = start(client, exam)
    single = positions(attempt)["单选"]
    save(client, attempt.pk, position=single, response=0, seq=1)
    with CaptureQueriesContext(connection) as queries:
        assert save(client, attempt.pk, position=single, response=1, seq=2).status_code == 200
    # savepoints stand for the transaction the test case wraps around the request
    statements = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] not in ("SAVEPOINT", "RELEASE")]
    exam_statements = [sql for sql in statements if "exams_" in sql]
    assert len(exam_statements) == 2 and len(statements) <= 4, statements


def test_essay_marked_in_the_page_then_results_released(client, exam, candidate):
    attempt = start(client, exam)
    essay = positions(attempt)["案例"]
    save(client, attempt.pk, position=essay, response="案例分析答案", seq=1)
    client.post(reverse("exams:submit", args=[attempt.pk]))
    assert client.get(reverse("exams:marking")).status_code == 403
    answer = attempt.answers.get(position=essay)
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert "案例分析答案" in client.get(reverse("exams:mark", args=[answer.pk])).content.decode()
    page = client.post(reverse("exams:mark", args=[answer.pk]), {"points": "abc"})
    assert page.status_code == 200 and page.context["error"]
    page = client.post(reverse("exams:mark", args=[answer.pk]), {"points": "9"})
    assert page.status_code == 200 and page.context["error"]
    assert client.post(reverse("exams:mark", args=[answer.pk]), {"points": "1.5", "comment": "好"}).status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == "graded"
    assert client.get(reverse("exams:results", args=[exam.pk])).status_code == 403
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER], customs_unit=exam_unit())
    client.force_login(officer)
    assert client.post(reverse("exams:results", args=[exam.pk])).status_code == 302
    exam.refresh_from_db()
    assert exam.results_released_at


def exam_unit():
    from trainees.models import CustomsUnit

    return CustomsUnit.objects.order_by("pk").first()
