"""PostgreSQL: racing submissions grade once; replayed, reordered and late saves never
overwrite a newer answer; every acknowledged save is graded; a room pressing start at once gets
one attempt each (issue 14, reliability tests)."""

import random
import threading
from datetime import timedelta

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from exams.models import Attempt, QuestionVersion
from exams.services import attempts as svc
from exams.services import sittings
from tests.exams.factories import make_exam, positions
from tests.exams.test_sittings import computer_room, staff
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(functions):
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def run(fn):
        try:
            barrier.wait()
            outcomes.append(("ok", fn()))
        except svc.AttemptError as exc:
            outcomes.append(("refused", exc.status))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in functions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def attempt(site):
    exam = make_exam(essay=False)
    return svc.attempt_start(exam=exam, user=UserFactory(roles=[Role.ENTERPRISE_STAFF]))


def test_twenty_concurrent_submissions_give_exactly_one_grade(attempt):
    single = positions(attempt)["单选"]
    svc.answer_save(attempt_id=attempt.pk, user=attempt.user, position=single, response=0, seq=1)
    outcomes = race([lambda: svc.attempt_submit(attempt=Attempt(pk=attempt.pk)).submitted_at] * 20)
    assert [o[0] for o in outcomes] == ["ok"] * 20
    assert len({o[1] for o in outcomes}) == 1  # one finish time seen by all
    assert ModelLogEntry.objects.filter(action="exams.attempt_submit").count() == 1
    assert sum(QuestionVersion.objects.values_list("times_answered", flat=True)) == 4
    attempt.refresh_from_db()
    assert attempt.state == "graded" and str(attempt.score) == "2.00"


def test_reordered_and_replayed_saves_keep_the_newest_answer(attempt):
    fill = positions(attempt)["填空"]
    saves = [(seq, f"答案{seq}") for seq in range(1, 21)] * 2  # every save sent twice
    random.Random(7).shuffle(saves)
    outcomes = race(
        [
            (
                lambda s=s, r=r: svc.answer_save(
                    attempt_id=attempt.pk, user=attempt.user, position=fill, response=r, seq=s
                )
            )
            for s, r in saves
        ]
    )
    assert all(o[0] == "ok" for o in outcomes)
    answer = attempt.answers.get(position=fill)
    assert answer.seq == 20 and answer.response == "答案20"


def test_every_acknowledged_save_racing_the_submission_is_graded(attempt):
    fill = positions(attempt)["填空"]

    def save(seq):
        return svc.answer_save(
            attempt_id=attempt.pk, user=attempt.user, position=fill, response="AEO" if seq % 2 else "x", seq=seq
        )

    functions = [(lambda s=s: save(s)) for s in range(1, 16)]
    functions.append(lambda: svc.attempt_submit(attempt=Attempt(pk=attempt.pk)))
    outcomes = race(functions)
    acknowledged = [o[1].seq for o in outcomes if o[0] == "ok" and isinstance(o[1], svc.SaveResult)]
    assert {o[1] for o in outcomes if o[0] == "refused"} <= {409}
    attempt.refresh_from_db()
    answer = attempt.answers.get(position=fill)
    assert answer.seq == max(acknowledged, default=0)
    expected = "2.00" if answer.seq % 2 else "0.00"
    assert str(answer.points) == expected and attempt.state == "graded"


def test_a_room_pressing_start_twice_at_once_gets_one_attempt_each(site):
    exam = make_exam(essay=False, online=False)
    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    people = [staff() for _ in range(4)]
    tickets = sittings.tickets_issue(sitting=sitting, seats=[(u, i + 1) for i, u in enumerate(people)])
    for user, ticket in zip(people, tickets, strict=True):
        sittings.checkin(sitting=sitting, user=user, code=ticket.code, address="10.0.0.1")
    outcomes = race([(lambda u=u: svc.attempt_start(exam=exam, user=u).pk) for u in people for _ in range(3)])
    assert [o[0] for o in outcomes] == ["ok"] * 12
    started = Attempt.objects.filter(exam=exam)
    assert started.count() == 4 and {o[1] for o in outcomes} == set(started.values_list("pk", flat=True))
    assert ModelLogEntry.objects.filter(action="exams.attempt_start").count() == 4
    assert {(a.paper_id, len(a.items)) for a in started} == {(t.paper_id, 4) for t in tickets}
