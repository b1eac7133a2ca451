"""PostgreSQL: a candidate's own submission racing the batch that grades the room gives one
grade; readiness, told of every graded attempt, recomputes each enterprise once per batch and
ends up as it would one by one (exams/services/grading.py, readiness/receivers.py)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from exams.models import Attempt, QuestionVersion
from exams.services import attempts as svc
from exams.services import grading
from exams.signals import exam_graded
from readiness import tasks as readiness_tasks
from readiness.models import ReadinessRecord
from tests.exams.factories import make_exam, positions
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from trainees.models import Position
from trainees.roles import Role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RIGHT = {"单选": 0, "多选": [0, 1], "判断": True, "填空": "AEO"}


def started(exam, users, responses=RIGHT) -> list[Attempt]:
    attempts = []
    for user in users:
        attempt = svc.attempt_start(exam=exam, user=user)
        at = positions(attempt)
        for seq, (name, response) in enumerate(responses.items(), start=1):
            svc.answer_save(attempt_id=attempt.pk, user=user, position=at[name], response=response, seq=seq)
        attempts.append(attempt)
    return attempts


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def submissions(attempt) -> int:
    return ModelLogEntry.objects.filter(action="exams.attempt_submit", object_id=str(attempt.pk)).count()


def test_a_candidate_submitting_while_the_batch_waits_gives_one_grade(site):
    exam = make_exam(essay=False)
    attempts = started(exam, [UserFactory(roles=[Role.ENTERPRISE_STAFF]) for _ in range(3)])
    mine = attempts[1]
    locked, go = threading.Event(), threading.Event()
    results = {}

    def candidate():
        try:
            with transaction.atomic():  # the candidate's submit holds its attempt...
                Attempt.objects.select_for_update().get(pk=mine.pk)
                locked.set()
                go.wait(30)
                results["candidate"] = svc.attempt_submit(attempt=Attempt(pk=mine.pk)).finished_by
        finally:
            connection.close()

    def batch():
        try:
            locked.wait(30)
            results["batch"] = grading.attempts_submit(attempt_ids=[a.pk for a in attempts])
        finally:
            connection.close()

    threads = [threading.Thread(target=candidate), threading.Thread(target=batch)]
    for t in threads:
        t.start()
    for _ in range(1500):  # ...while the batch waits for it
        if waiting_for_a_lock():
            break
        time.sleep(0.02)
    else:
        pytest.fail("the batch never waited for the candidate's lock")
    go.set()
    for t in threads:
        t.join(30)

    assert results == {"candidate": "candidate", "batch": 2}
    assert [submissions(a) for a in attempts] == [1, 1, 1]
    assert {a.finished_by for a in Attempt.objects.filter(pk__in=[a.pk for a in attempts])} == {"candidate", "timeout"}
    assert Attempt.objects.get(pk=mine.pk).finished_by == "candidate"
    # Each attempt's four scored answers counted once in the versions' statistics.
    assert sum(QuestionVersion.objects.values_list("times_answered", flat=True)) == 3 * 4


def test_racing_submissions_and_batches_grade_each_attempt_once(site):
    exam = make_exam(essay=False)
    attempts = started(exam, [UserFactory(roles=[Role.ENTERPRISE_STAFF]) for _ in range(6)])
    ids = [a.pk for a in attempts]
    barrier = threading.Barrier(8)
    errors = []

    def run(fn):
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # noqa: BLE001 - a deadlock or any error fails the test below
            errors.append(exc)
        finally:
            connection.close()

    functions = [(lambda pk=pk: svc.attempt_submit(attempt=Attempt(pk=pk))) for pk in ids]
    functions += [lambda: grading.attempts_submit(attempt_ids=ids, chunk_size=2)] * 2
    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [submissions(a) for a in attempts] == [1] * 6
    assert set(Attempt.objects.filter(pk__in=ids).values_list("state", "score")) == {("graded", 8)}
    assert sum(QuestionVersion.objects.values_list("times_answered", flat=True)) == 6 * 4


def test_readiness_hears_every_graded_attempt_and_recomputes_each_enterprise_once(site, monkeypatch):
    exam = make_exam(essay=False, results_released_at=timezone.now())
    first, second, twin = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    batch_people = [EnterpriseStaffFactory(enterprise=first, position=Position.CUSTOMS_AFFAIRS) for _ in range(3)]
    batch_people += [EnterpriseStaffFactory(enterprise=second, position=Position.FINANCE) for _ in range(2)]
    twin_people = [EnterpriseStaffFactory(enterprise=twin, position=Position.CUSTOMS_AFFAIRS) for _ in range(3)]
    batch = started(exam, batch_people)
    one_by_one = started(exam, twin_people)
    ReadinessRecord.objects.all().delete()

    recomputed, sent = [], []
    real = readiness_tasks.recompute_readiness.run

    def counting(enterprise_id):
        recomputed.append(enterprise_id)
        return real(enterprise_id)

    monkeypatch.setattr(readiness_tasks.recompute_readiness, "run", counting)
    exam_graded.connect(lambda sender, **kw: sent.append(kw["attempt_id"]), dispatch_uid="t", weak=False)
    try:
        for attempt in one_by_one:
            svc.attempt_submit(attempt=Attempt(pk=attempt.pk))
        assert recomputed == [twin.pk] * 3  # one by one: once per signal
        recomputed.clear()
        assert grading.attempts_submit(attempt_ids=[a.pk for a in batch]) == 5
    finally:
        exam_graded.disconnect(dispatch_uid="t")

    assert sorted(sent) == sorted(a.pk for a in batch + one_by_one)  # once per graded attempt
    assert sorted(recomputed) == sorted([first.pk, second.pk])  # once per enterprise
    stored = {r.enterprise_id: r for r in ReadinessRecord.objects.filter(is_latest=True, enterprise__in=[first, twin])}

    def exam_line(record):
        return next(line for line in record.report["lines"] if line["key"] == "exam")

    assert exam_line(stored[first.pk])["met"] and exam_line(stored[twin.pk])["met"]
    assert (stored[first.pk].status, stored[first.pk].score, stored[first.pk].missing) == (
        stored[twin.pk].status,
        stored[twin.pk].score,
        stored[twin.pk].missing,
    )
