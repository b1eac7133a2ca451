"""Exam reports (issue 14 point 10): Moodle's quiz statistics as Moodle defines them, checked
against independent formulas (Python's `statistics`, KR-20), and the report built in a task
with its progress, the results list, option distribution, area averages and the XLSX."""

import io
import statistics as st

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exams import rules
from exams.models import ExamReport
from exams.services import attempts as svc
from exams.services import reports
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role


def marks(rows, slots_max=1.0):
    """Attempts from a matrix of item marks (one row per attempt, each item its own version)."""
    return [
        rules.AttemptMarks(
            attempt_id=i,
            user_id=i,
            number=1,
            total=float(sum(row)),
            max_total=slots_max * len(row),
            items=tuple(
                rules.ItemMark(slot=p, version_id=100 + p, mark=m, max_mark=slots_max) for p, m in enumerate(row)
            ),
        )
        for i, row in enumerate(rows, start=1)
    ]


MATRIX = [
    [1, 1, 1, 0],
    [1, 0, 1, 1],
    [0, 0, 1, 0],
    [1, 1, 1, 1],
    [0, 0, 0, 0],
    [1, 1, 0, 1],
]


def test_item_figures_are_moodles():
    result = rules.quiz_statistics(marks(MATRIX))
    for p, row in enumerate(result["slots"]):
        x = [r[p] for r in MATRIX]
        rest = [sum(r) - r[p] for r in MATRIX]
        assert row["facility"] == round(100 * st.mean(x), 2)
        assert row["sd"] == round(100 * st.stdev(x), 2)
        assert row["discrimination"] == round(100 * st.correlation(x, rest), 2)
        assert row["efficiency"] == round(100 * st.covariance(x, rest) / st.covariance(sorted(x), sorted(rest)), 2)


def test_cic_is_kr20_for_right_or_wrong_items_and_error_figures_follow():
    test = rules.quiz_statistics(marks(MATRIX))["test"]
    k = len(MATRIX[0])
    totals = [sum(r) for r in MATRIX]
    pq = sum(st.mean(col) * (1 - st.mean(col)) for col in zip(*MATRIX, strict=True))
    kr20 = k / (k - 1) * (1 - pq / st.pvariance(totals))
    assert test["cic"] == round(100 * kr20, 2)
    assert test["error_ratio"] == round(100 * (1 - kr20) ** 0.5, 2)
    sd_percent = st.stdev([100 * t / k for t in totals])
    assert test["sd"] == round(sd_percent, 2)
    assert test["standard_error"] == pytest.approx((1 - kr20) ** 0.5 * sd_percent, abs=0.01)
    assert test["mean"] == round(100 * st.mean(totals) / k, 2) and test["n"] == 6


def test_undefined_figures_are_blank_not_errors():
    one = rules.quiz_statistics(marks([[1, 0]]))
    assert one["test"]["sd"] is None and one["test"]["cic"] is None
    assert one["slots"][0]["facility"] == 100 and one["slots"][0]["discrimination"] is None
    same = rules.quiz_statistics(marks([[1, 1], [1, 1]]))  # no variance at all
    assert same["slots"][0]["discrimination"] is None and same["test"]["cic"] is None


@pytest.mark.parametrize(
    ("which", "expected"),
    [("first", {1, 3}), ("last", {2, 3}), ("highest", {2, 3}), ("all", {1, 2, 3})],
)
def test_which_attempts_are_counted(which, expected):
    def attempt(pk, user, number, total):
        return rules.AttemptMarks(pk, user, number, total, 10, ())

    attempts = [attempt(1, 7, 1, 4), attempt(2, 7, 2, 9), attempt(3, 8, 1, 5)]
    assert {a.attempt_id for a in rules.attempts_counted(attempts, which)} == expected


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
