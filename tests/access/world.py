"""Demo objects for the URL table: one of each role, and the objects their URLs name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from notices import services as notice_services
from tests.factories import UserFactory
from tests.trainees.factories import SelectionRoundFactory, enterprise_in, officer, staff_of, unit
from tests.training_bases.factories import RoomFactory, SessionFactory
from trainees import services as trainee_services
from trainees.models import Position, SelectionRound
from trainees.roles import Role
from training_bases import services
from training_bases.models import AllocationRun, TrainingBase

from .tables import (
    ADMIN,
    ANON,
    CANDIDATE,
    COORDINATOR,
    GACC,
    INVIGILATOR,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    STAFF,
    TRAINER,
)


@dataclass
class World:
    users: dict
    enterprise: object
    other_enterprise: object
    session: object
    booking: object
    round: object
    allocation_run: object
    invitation_token: str
    feed_token: str
    checkin_token: str
    day: dt.date
    course: object = None
    lesson: object = None
    certificate: object = None
    assessment: object = None
    evidence: object = None
    import_job: object = None
    exams: dict | None = None
    live_session: object = None
    live_question: object = None
    consultation: object = None
    survey: object = None


def build() -> World:
    enterprise = enterprise_in("5301")  # Futian, in the Shenzhen district
    other_enterprise = enterprise_in("2301")  # Suzhou, in the Nanjing district
    users = {
        ANON: None,
        STAFF: staff_of(enterprise),
        ADMIN: staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True),
        OTHER_STAFF: staff_of(other_enterprise),
        TRAINER: UserFactory(roles=[Role.TRAINER], customs_unit=unit("5300")),
        OFFICER: officer("5300"),
        OTHER_OFFICER: officer("2300"),
        GACC: officer("0000"),
        INVIGILATOR: UserFactory(roles=[Role.INVIGILATOR], customs_unit=unit("5300")),
        CANDIDATE: UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("5300")),
        COORDINATOR: UserFactory(roles=[Role.COORDINATOR], customs_unit=unit("5300")),
    }
    session = SessionFactory(room=RoomFactory(base=TrainingBase.objects.get(slug="shenzhen")))
    session.trainers.add(users[TRAINER])
    booking = services.booking_create(user=users[STAFF], session_id=session.pk)
    round_ = SelectionRoundFactory(
        customs_unit=unit("5300"), status=SelectionRound.Status.PUBLISHED, published_at=timezone.now()
    )
    run = AllocationRun.objects.create(training_type="compliance", round_id=round_.pk, created_by=users[OFFICER])
    _, invitation_token = trainee_services.invitation_send(
        enterprise_id=enterprise.pk,
        email="invited@example.com",
        position=Position.CUSTOMS_AFFAIRS,
        actor=users[ADMIN],
        accept_url="/{token}",
    )
    day = timezone.localtime(session.starts_at).date()
    extra = _learning_and_readiness(users, enterprise)
    exams = _exams(users)
    live_session, live_question = _live(users[STAFF])
    consultation = _consultation(users)
    return World(
        users=users,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        session=session,
        booking=booking,
        round=round_,
        allocation_run=run,
        invitation_token=invitation_token,
        feed_token=notice_services.preference_get(user=users[STAFF]).feed_token,
        checkin_token=services.checkin_token(session_id=session.pk, day=day),
        day=day,
        **extra,
        exams=exams,
        live_session=live_session,
        live_question=live_question,
        consultation=consultation,
        survey=_survey(session, users[STAFF]),
    )


def _learning_and_readiness(users, enterprise) -> dict:
    """A published course with a video lesson (the staff member enrolled), a certificate of the
    staff member, a self-assessment of the enterprise with one evidence file, an officer's import."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.models import Certificate
    from certificates.services import certificate_issue
    from courses import services as course_services
    from readiness import services as readiness_services
    from readiness.models import CriteriaEdition, Judgement
    from tests.courses.factories import course as make_course
    from tests.courses.factories import lessons_of
    from tests.readiness.helpers import healthy_years
    from trainees.importing import import_job_start

    course = make_course("access-table", lessons=("video",))
    course_services.enrolment_create(user=users[STAFF], course=course)
    certificate = certificate_issue(  # its PDF task waits for a commit that never comes: rendered on download
        holder=users[STAFF],
        kind=Certificate.Kind.COURSE,
        subject="course:access-table",
        title_zh="AEO 认证培训",
        title_en="AEO certification training",
        hours=4,
    )
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = readiness_services.assessment_start(enterprise=enterprise, edition=edition, user=users[ADMIN])
    judgement = assessment.judgements.select_related("criterion", "assessment").first()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = readiness_services.evidence_add(
        judgement=judgement, upload=SimpleUploadedFile("proof.pdf", pdf, "application/pdf"), user=users[ADMIN]
    )
    Judgement.objects.filter(assessment=assessment).update(value="meets")
    latest = timezone.localdate().year - 1
    healthy_years(enterprise, range(latest - 4, latest + 1))
    readiness_services.assessment_submit(assessment=assessment, user=users[ADMIN], today=timezone.localdate())
    job = import_job_start(data=b"", filename="enterprises.xlsx", actor=users[OFFICER], total_rows=0)
    return {
        "course": course,
        "lesson": lessons_of(course)[0],
        "certificate": certificate,
        "assessment": assessment,
        "evidence": evidence,
        "import_job": job,
    }


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _exams(users) -> dict:
    """An online exam the enterprise staff member is taking, another already submitted with a
    case-analysis answer to mark, and a sitting (Shenzhen computer room) with their ticket."""
    from exams.models import ExamReport
    from exams.services import attempts as exam_services
    from exams.services import reports as exam_reports
    from exams.services import sittings
    from exams.services.photos import candidate_photo_save
    from tests.exams.factories import make_exam, positions
    from training_bases.models import Room

    taking, submitted = make_exam(), make_exam()
    attempt = exam_services.attempt_start(exam=taking, user=users[STAFF])
    done = exam_services.attempt_start(exam=submitted, user=users[STAFF])
    exam_services.answer_save(
        attempt_id=done.pk, user=users[STAFF], position=positions(done)["案例"], response="分析", seq=1
    )
    done = exam_services.attempt_submit(attempt=done)
    room = Room.objects.create(
        base=TrainingBase.objects.get(slug="shenzhen"), name_zh="考试机房", kind=Room.Kind.COMPUTER_ROOM, capacity=20
    )
    now = timezone.now()
    sitting = sittings.sitting_create(
        exam=taking, room=room, starts_at=now + dt.timedelta(days=40), ends_at=now + dt.timedelta(days=40, hours=2)
    )
    ticket = sittings.ticket_issue(sitting=sitting, user=users[STAFF], seat_number=1)
    report = ExamReport.objects.create(exam=submitted, requested_by=users[GACC])
    candidate_photo_save(user=users[STAFF], data=_png(), consent=True)
    exam_reports.exam_report_build(report_id=report.pk)
    return {
        "ticket": ticket,
        "report": report,
        "exam": taking,
        "attempt": attempt,
        "submitted": done,
        "essay": done.answers.get(needs_marking=True),
        "sitting": sitting,
    }


def _live(viewer):
    """A live observation session on air now, the staff member registered and watching."""
    from live import services as live_services
    from tests.live.factories import live_session

    now = timezone.now()
    session = live_session(starts_at=now - dt.timedelta(minutes=5), minutes=60)
    session.venues.update(stream_url="http://127.0.0.1:9/closed/index.m3u8", backup_url="")
    live_services.registration_create(session_id=session.pk, user=viewer, now=now)
    live_services.viewer_start(session=session, user_id=viewer.pk, now=now - dt.timedelta(seconds=10))
    question = live_services.question_ask(session=session, user=viewer, text="现场检查看什么？")
    return session, question


def _consultation(users):
    """A question of the enterprise to Futian (Shenzhen district) with an attachment, answered by
    the district's coordinator."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations import services as consultation_services

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    consultation = consultation_services.consultation_ask(
        user=users[STAFF],
        district=unit("5301"),
        topic="procedure",
        subject="认证申请需要哪些材料？",
        body="请问申请高级认证要准备什么？",
        upload=SimpleUploadedFile("材料清单.pdf", pdf, "application/pdf"),
    )
    return consultation_services.consultation_reply(
        consultation_id=consultation.pk, user=users[COORDINATOR], body="请准备内部控制制度。"
    )


def _survey(session, participant):
    """The open survey of the training session, the staff member invited to it."""
    from tests.surveys.factories import open_survey_for

    return open_survey_for(session, [participant])
