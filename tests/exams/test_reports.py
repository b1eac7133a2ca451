"""Exam reports (issue 14 point 10): the report built in a task with its progress, the results
list, option distribution, area averages and the XLSX (the statistics themselves: test_rules_statistics)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exams.models import ExamReport
from exams.services import attempts as svc
from exams.services import reports
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role


@pytest.mark.django_db
def test_report_built_in_a_task_with_progress_distribution_areas_and_xlsx(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    exam = make_exam(essay=False)
    answers = [("对的", True), ("错的", False), ("对的", True)]
    for choice_text, truth in answers:
        user = UserFactory(roles=[Role.ENTERPRISE_STAFF])
        attempt = svc.attempt_start(exam=exam, user=user)
        where = positions(attempt)
        options = [o["text"] for o in attempt.items[where["单选"]]["content"]["options"]]
        svc.answer_save(
            attempt_id=attempt.pk, user=user, position=where["单选"], response=options.index(choice_text), seq=1
        )
        svc.answer_save(attempt_id=attempt.pk, user=user, position=where["判断"], response=truth, seq=1)
        svc.attempt_submit(attempt=attempt)
    officer = UserFactory(is_superuser=True)
    client.force_login(officer)
    url = reverse("exams:report", args=[exam.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"which": "first"}).status_code == 302
    report = ExamReport.objects.get(exam=exam)
    assert report.state == "done" and report.percent == 100 and report.total == 3
    progress = client.get(reverse("exams:api_report", args=[report.pk])).json()
    assert progress == {"state": "done", "percent": 100, "done": 3, "total": 3}
    data = report.data
    assert data["test"]["n"] == 3 and len(data["results"]) == 3
    single = next(v for v in data["versions"] if v["name"] == "单选")
    counts = {o["label"]: o["count"] for o in single["options"]}
    assert counts["对的"] == 2 and counts["错的"] == 1
    assert single["facility"] == pytest.approx(66.67)
    assert data["areas"][0]["average"] is not None
    page = client.get(url).content.decode()
    assert "单选" in page and 'id="test-statistics"' in page
    book = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("exams:report_xlsx", args=[report.pk])).streaming_content))
    )
    assert len(book.sheetnames) == 6
    # A constant number of queries whatever the number of attempts.
    with django_assert_max_num_queries(25):
        reports.exam_report_build(report_id=report.pk)


@pytest.mark.django_db
def test_report_refuses_candidates_and_unknown_choices(client):
    exam = make_exam()
    client.force_login(UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get(reverse("exams:report", args=[exam.pk])).status_code == 403
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(reverse("exams:report", args=[exam.pk]), {"which": "best"})
    assert response.status_code == 200 and not ExamReport.objects.exists()
