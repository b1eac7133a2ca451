"""Issue 17, point 1: a survey follows every training session, live observation session and course
completion (through those apps' domain signals); one response per person per event; nothing after
the close; anonymous answers cannot be traced to a person."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.signals import course_completed
from live.signals import live_attendance_credited
from notices.models import Notice
from surveys import services
from surveys.models import (
    EventKind,
    ResponseReceipt,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyTemplate,
)
from tests.factories import EnterpriseStaffFactory, UserFactory
from tests.live.factories import live_session
from tests.training_bases.factories import SessionFactory, staff
from trainees.roles import Role
from training_bases import services as training
from training_bases.models import TrainingSession

from .factories import answers, open_survey_for

pytestmark = pytest.mark.django_db


def test_attendance_at_a_training_session_invites_to_its_survey(django_capture_on_commit_callbacks):
    trainer = UserFactory(roles=[Role.TRAINER])
    session = SessionFactory()
    session.trainers.add(trainer)
    person = staff()
    booking = training.booking_create(user=person, session_id=session.pk)
    start = timezone.now() - dt.timedelta(days=1, hours=2)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    officer = UserFactory(roles=[Role.CUSTOMS_OFFICER], customs_unit=session.base.customs_unit)
    with django_capture_on_commit_callbacks(execute=True):
        training.attendance_record(
            actor=officer, booking_id=booking.pk, day=timezone.localtime(start).date(), status="present"
        )
    survey = Survey.objects.get(training_session=session)
    assert survey.event_kind == EventKind.TRAINING_SESSION
    assert survey.base_id == session.base_id and survey.customs_unit_id == session.base.customs_unit_id
    assert list(survey.trainers.all()) == [trainer]
    assert survey.opens_at == start + dt.timedelta(hours=8)
    assert (
        survey.items.count()
        == SurveyTemplate.objects.get(event_kind="training_session", is_default=True).questions.count()
    )
    invitation = SurveyInvitation.objects.get(survey=survey)
    assert invitation.user == person and invitation.enterprise_id == person.enterprise_id


def test_absence_invites_nobody():
    from training_bases.signals import attendance_recorded

    session = SessionFactory()
    attendance_recorded.send(sender=None, booking_id=1, user_id=staff().pk, session_id=session.pk, status="absent")
    assert not Survey.objects.exists()


def test_live_attendance_and_course_completion_invite():
    person = EnterpriseStaffFactory()
    session = live_session(title="现场验证直播观摩", title_en="Live validation observation")
    live_attendance_credited.send(sender=None, session_id=session.pk, user_id=person.pk)
    live_attendance_credited.send(sender=None, session_id=session.pk, user_id=person.pk)  # once only
    survey = Survey.objects.get(live_session=session)
    assert survey.course_key == session.course_key and survey.customs_unit is None
    assert (survey.title_zh, survey.title_en) == ("现场验证直播观摩", "Live validation observation")
    assert SurveyInvitation.objects.filter(survey=survey, user=person).count() == 1
    key = uuid.uuid4()
    completed = dt.datetime(2026, 3, 31, 16, 30, tzinfo=dt.UTC)  # 1 April, 00:30 in Shanghai
    course_completed.send(sender=None, enrolment_id=1, user_id=person.pk, course_key=key, completed_at=completed)
    course_survey = Survey.objects.get(event_kind=EventKind.COURSE, course_key=key)
    assert course_survey.cohort_month == dt.date(2026, 4, 1)
    invitation = SurveyInvitation.objects.get(survey=course_survey)
    assert invitation.closes_at == completed + dt.timedelta(days=14)


def test_no_default_template_no_survey():
    SurveyTemplate.objects.filter(event_kind="live_session").update(is_default=False)
    live_attendance_credited.send(sender=None, session_id=live_session().pk, user_id=EnterpriseStaffFactory().pk)
    assert not Survey.objects.exists()


def test_invitations_are_emailed_once_when_the_survey_opens(mailoutbox, django_capture_on_commit_callbacks):
    person = staff()
    survey = services.survey_for_training_session(session_id=SessionFactory().pk)  # opens in two weeks
    services.invitation_create(survey=survey, user_id=person.pk)
    assert services.invitations_notify() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_notify(now=survey.opens_at + dt.timedelta(minutes=1)) == 1
    assert services.invitations_notify(now=survey.opens_at + dt.timedelta(minutes=2)) == 0
    assert Notice.objects.filter(recipient=person, kind="confirmation").count() == 1


def test_reminder_before_the_deadline_only_for_those_who_have_not_answered(django_capture_on_commit_callbacks):
    from notices.tasks import send_reminders

    waiting, done = staff(), staff()
    survey = open_survey_for(SessionFactory(), [waiting, done])
    SurveyInvitation.objects.update(notified_at=timezone.now())
    services.response_submit(survey_id=survey.pk, user=done, posted=answers(survey))
    send_reminders(now_iso=(survey.closes_at - dt.timedelta(days=1)).isoformat())
    assert list(Notice.objects.filter(kind="reminder").values_list("recipient", flat=True)) == [waiting.pk]


def test_a_second_response_is_refused():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person], anonymous=False)
    services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey))
    with pytest.raises(ValidationError) as exc:
        services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, likert=1))
    assert exc.value.code == "answered"
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    # The database refuses it too, named or anonymous.
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseReceipt.objects.create(survey=survey, user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, anonymous=False, respondent=person, submitted_at=timezone.now())


def test_a_response_after_the_close_is_refused():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person])
    with pytest.raises(ValidationError) as exc:
        services.response_submit(
            survey_id=survey.pk, user=person, posted=answers(survey), now=survey.closes_at + dt.timedelta(seconds=1)
        )
    assert exc.value.code == "closed"
    with pytest.raises(ValidationError) as exc:
        services.response_submit(
            survey_id=survey.pk, user=person, posted=answers(survey), now=survey.opens_at - dt.timedelta(seconds=1)
        )
    assert exc.value.code == "not_open"
    assert not SurveyResponse.objects.exists() and not ResponseReceipt.objects.exists()


def test_someone_not_invited_cannot_answer():
    survey = open_survey_for(SessionFactory(), [staff()])
    with pytest.raises(SurveyInvitation.DoesNotExist):
        services.response_submit(survey_id=survey.pk, user=staff(), posted=answers(survey))


def test_missing_and_wrong_answers_are_named_and_nothing_is_stored():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person])
    first, second = list(survey.items.filter(kind="likert"))[:2]
    with pytest.raises(services.AnswersInvalid) as exc:
        services.response_submit(survey_id=survey.pk, user=person, posted={first.pk: "9"})
    assert first.pk in exc.value.problems and second.pk in exc.value.problems
    assert not ResponseReceipt.objects.exists()


def _row_values(model, pk) -> list[str]:
    """Every column of a row as text, read with SQL (what a database reader would see)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return [str(v) for v in cursor.fetchone()]


def test_anonymous_answers_cannot_be_traced_to_the_person():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person, staff()], anonymous=True)
    response = services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, text="讲得好"))
    # Ids are small numbers a score or a question id can equal by chance: no column may refer to a
    # person or enterprise (checked below); no value may name one.
    traces = {person.email, person.enterprise.credit_code, person.enterprise.name_zh}
    for model, pk in [(SurveyResponse, response.pk)] + [(SurveyAnswer, a.pk) for a in response.answers.all()]:
        columns = {f.column for f in model._meta.concrete_fields}
        assert not columns & {"respondent_id", "user_id", "enterprise_id"} or model is SurveyResponse
        values = _row_values(model, pk)
        assert not traces & set(values), (model, values)
    response.refresh_from_db()
    assert response.respondent_id is None and response.submitted_at is None
    # Keys are random: their order says nothing about who answered when.
    assert isinstance(response.pk, uuid.UUID)
    # The receipt names the person and nothing that leads to the answers (no time, no key).
    receipt = ResponseReceipt.objects.get(survey=survey, user=person)
    assert {f.name for f in ResponseReceipt._meta.concrete_fields} == {"id", "survey", "user"}
    assert str(receipt.pk) != str(response.pk)


def test_the_database_refuses_an_anonymous_response_linked_to_a_person():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person], anonymous=True)
    for fields in ({"respondent": person}, {"submitted_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SurveyResponse.objects.create(survey=survey, anonymous=True, **fields)


def test_anonymity_cannot_change_once_someone_answered():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person], anonymous=True)
    survey.anonymous = False
    survey.full_clean()  # nobody answered yet: allowed
    survey.anonymous = True
    services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey))
    survey.anonymous = False
    with pytest.raises(ValidationError) as exc:
        survey.full_clean()
    assert "anonymous" in exc.value.message_dict


def test_named_response_keeps_person_and_time():
    person = staff()
    survey = open_survey_for(SessionFactory(), [person], anonymous=False)
    response = services.response_submit(survey_id=survey.pk, user=person, posted=answers(survey, likert=5))
    assert response.respondent == person and response.submitted_at is not None
    assert set(SurveyAnswer.objects.filter(response=response, score__isnull=False).values_list("score", flat=True)) == {
        5
    }
