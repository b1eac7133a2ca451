"""The last-resort encrypted answer file (issue 14 point 6): written for one attempt, uploaded by
an invigilator to complete it with the same sequence rules, audited; an altered file or another
attempt's file is refused and nothing changes."""

import base64
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from exams.models import Attempt
from exams.services import answer_files, sittings
from exams.services import attempts as svc
from tests.exams.factories import invigilator as make_invigilator
from tests.exams.factories import make_exam, positions
from tests.exams.test_sittings import computer_room, staff
from tests.factories import EnterpriseFactory, UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def taking():
    exam = make_exam(essay=False, attempts_allowed=0)
    user = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    attempt = svc.attempt_start(exam=exam, user=user)
    return attempt, user, positions(attempt)


def test_newer_answers_written_older_ignored_and_the_attempt_submitted(taking):
    attempt, user, where = taking
    svc.answer_save(attempt_id=attempt.pk, user=user, position=where["填空"], response="AEO", seq=5)
    svc.answer_save(attempt_id=attempt.pk, user=user, position=where["判断"], response=False, seq=1)
    content = answer_files.answer_file_encrypt(
        attempt=attempt,
        answers=[
            {"position": where["填空"], "response": "wrong", "seq": 4},  # older than the saved one
            {"position": where["判断"], "response": True, "seq": 2},  # newer
        ],
    )
    invigilator = make_invigilator()
    result = answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=content, user=invigilator)
    assert (result.applied, result.stale, result.submitted) == (1, 1, True)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.finished_by == "invigilator"
    answers = {a.position: a for a in attempt.answers.all()}
    assert answers[where["填空"]].response == "AEO" and answers[where["判断"]].response is True
    assert attempt.score == 4  # fill-in 2 + true/false 2
    entry = ModelLogEntry.objects.get(action="exams.answer_file")
    assert entry.user_id == invigilator.pk and entry.data["applied"] == 1 and len(entry.data["sha256"]) == 64


def test_altered_file_and_another_attempts_file_are_refused_and_nothing_changes(taking):
    attempt, _user, _where = taking
    other = svc.attempt_start(exam=make_exam(essay=False), user=UserFactory(roles=[Role.ENTERPRISE_STAFF]))
    good = json.loads(
        answer_files.answer_file_encrypt(attempt=attempt, answers=[{"position": 0, "response": None, "seq": 3}])
    )
    altered = dict(good)
    sealed = bytearray(base64.b64decode(good["data"]))
    sealed[3] ^= 1
    altered["data"] = base64.b64encode(bytes(sealed)).decode()
    with pytest.raises(ValidationError, match="altered"):
        answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=json.dumps(altered).encode(), user=None)
    with pytest.raises(ValidationError, match="another attempt"):
        answer_files.attempt_complete_from_file(attempt_id=other.pk, content=json.dumps(good).encode(), user=None)
    # relabelled for the other attempt: the key and the associated data differ
    relabelled = {**good, "attempt": other.pk}
    with pytest.raises(ValidationError, match="altered"):
        answer_files.attempt_complete_from_file(attempt_id=other.pk, content=json.dumps(relabelled).encode(), user=None)
    with pytest.raises(ValidationError, match="not an answer file"):
        answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=b"\xff\x00", user=None)
    bad = answer_files.answer_file_encrypt(attempt=attempt, answers=[{"position": 99, "response": 1, "seq": 1}])
    with pytest.raises(ValidationError, match="not on your paper"):
        answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=bad, user=None)
    attempt.refresh_from_db()
    other.refresh_from_db()
    assert attempt.state == other.state == Attempt.State.IN_PROGRESS and not attempt.answers.exists()
    assert not ModelLogEntry.objects.filter(action="exams.answer_file").exists()


def test_after_the_timeout_job_the_file_completes_the_attempt_graded_again(taking):
    attempt, user, where = taking
    svc.answer_save(attempt_id=attempt.pk, user=user, position=where["填空"], response="AEO", seq=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=svc.db_now() - timedelta(minutes=5))
    assert svc.attempts_submit_overdue() == 1
    attempt.refresh_from_db()
    assert attempt.score == 2 and attempt.finished_by == "timeout"
    deadline, submitted_at = attempt.deadline, attempt.submitted_at
    version = attempt.items[where["判断"]]["version_id"]
    from exams.models import QuestionVersion

    answered_before = QuestionVersion.objects.get(pk=version).times_answered
    content = answer_files.answer_file_encrypt(
        attempt=attempt, answers=[{"position": where["判断"], "response": True, "seq": 1}]
    )
    result = answer_files.attempt_complete_from_file(attempt_id=attempt.pk, content=content, user=None)
    assert result.regraded and result.applied == 1
    attempt.refresh_from_db()
    assert attempt.score == 4 and attempt.submitted_at == submitted_at == deadline
    assert QuestionVersion.objects.get(pk=version).times_answered == answered_before  # not counted twice
    # a candidate's own submission is final
    svc.attempt_submit(attempt=svc.attempt_start(exam=make_exam(essay=False), user=user))
    mine = Attempt.objects.filter(user=user, finished_by="candidate").get()
    with pytest.raises(ValidationError, match="already finished"):
        answer_files.attempt_complete_from_file(
            attempt_id=mine.pk, content=answer_files.answer_file_encrypt(attempt=mine, answers=[]), user=None
        )


def test_invigilator_uploads_on_the_console(client):
    exam = make_exam(online=False, essay=False)
    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=60)
    )
    user = staff(enterprise=EnterpriseFactory())
    ticket = sittings.ticket_issue(sitting=sitting, user=user, seat_number=5)
    sittings.checkin(sitting=sitting, user=user, code=ticket.code, address="10.0.0.2")
    attempt = svc.attempt_start(exam=exam, user=user)
    client.force_login(make_invigilator())
    console = client.get(reverse("exams:console", args=[sitting.pk])).content.decode()
    assert f'value="{attempt.pk}"' in console
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = answer_files.answer_file_encrypt(attempt=attempt, answers=[{"position": 0, "response": None, "seq": 1}])
    response = client.post(
        reverse("exams:answer_file_upload", args=[sitting.pk]),
        {"attempt": attempt.pk, "file": SimpleUploadedFile("a.json", content, "application/json")},
        follow=True,
    )
    assert "Answer file applied" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
