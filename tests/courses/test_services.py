"""Enrolment, progress measured by the server, and course completion (issue 11 points 4, 5, 7)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certificates.models import Certificate
from courses import services
from courses.models import Enrolment, ItemProgress, WatchTime
from courses.watchtime import watch_heartbeat, watch_start, watched_seconds
from tests.factories import EnterpriseStaffFactory
from tests.training_bases.factories import SessionFactory, officer, publish_key_list, staff
from trainees.models import Position, TrainingType
from training_bases.models import Booking
from training_bases.services import attendance_record

from .factories import course, lessons_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return EnterpriseStaffFactory()


def later(seconds: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_enrolling_twice_keeps_one_enrolment(learner):
    page = course()
    first, created = services.enrolment_create(user=learner, course=page)
    again, created_again = services.enrolment_create(user=learner, course=page)
    assert created and not created_again and first.pk == again.pk
    assert Enrolment.objects.filter(user=learner).count() == 1


def test_unpublished_course_and_missing_prerequisite_refuse_enrolment(learner):
    draft = course("draft", live=False)
    with pytest.raises(ValidationError, match="尚未发布"):
        services.enrolment_create(user=learner, course=draft)
    basics = course("basics", title="合规基础")
    advanced = course("advanced")
    advanced.prerequisites.add(basics)
    advanced.save()
    with pytest.raises(ValidationError, match="合规基础"):
        services.enrolment_create(user=learner, course=advanced)
    assert not Enrolment.objects.filter(user=learner).exists()
    Enrolment.objects.create(
        user=learner, course_key=basics.translation_key, enrolled_at=timezone.now(), completed_at=timezone.now()
    )
    _enrolment, created = services.enrolment_create(user=learner, course=advanced)
    assert created


def test_text_lesson_completes_only_after_minimum_reading_time(learner):
    page = course(lessons=("text",))
    lesson = lessons_of(page)[0]
    services.enrolment_create(user=learner, course=page)
    with pytest.raises(ValidationError, match="请先打开课时"):
        services.lesson_mark_done(user=learner, lesson=lesson)
    services.lesson_open(user=learner, lesson=lesson)
    with pytest.raises(ValidationError, match="请继续阅读"):
        services.lesson_mark_done(user=learner, lesson=lesson, now=later(30))
    assert not ItemProgress.objects.filter(completed_at__isnull=False).exists()
    progress = services.lesson_mark_done(user=learner, lesson=lesson, now=later(61))
    assert progress.completed_at is not None and progress.seconds_spent >= 60
    # The only lesson done: the course completes and its certificate is issued.
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.subject == f"course:{page.translation_key}" and certificate.hours == 4


def test_lesson_for_a_course_not_enrolled_records_nothing(learner):
    lesson = lessons_of(course())[0]
    assert services.lesson_open(user=learner, lesson=lesson) is None
    with pytest.raises(ValidationError, match="请先报名"):
        services.lesson_mark_done(user=learner, lesson=lesson, now=later(999))


def test_video_lesson_completes_from_distinct_seconds_watched(learner, settings):
    settings.WATCH_HEARTBEAT_SECONDS = 30
    page = course(lessons=("video",))
    lesson = lessons_of(page)[0]
    services.enrolment_create(user=learner, course=page)
    start = timezone.now()
    services.lesson_open(user=learner, lesson=lesson, now=start)
    key = str(lesson.translation_key)
    beat = services.lesson_heartbeat(
        user_id=learner.pk, lesson_key=key, played=[[0, 30]], now=start + dt.timedelta(seconds=30)
    )
    assert beat.seconds == 30
    # Replaying the same half-minute earns nothing.
    beat = services.lesson_heartbeat(
        user_id=learner.pk, lesson_key=key, played=[[0, 30]], now=start + dt.timedelta(seconds=60)
    )
    assert beat.credited == 0
    # Seeking to the end and claiming it all in one beat earns at most 2x the elapsed time.
    beat = services.lesson_heartbeat(
        user_id=learner.pk, lesson_key=key, played=[[30, 100]], now=start + dt.timedelta(seconds=70)
    )
    assert beat.seconds == 50
    with pytest.raises(ValidationError, match=r"90%"):
        services.lesson_mark_done(user=learner, lesson=lesson, now=start + dt.timedelta(seconds=3600))
    beat = services.lesson_heartbeat(
        user_id=learner.pk, lesson_key=key, played=[[50, 100]], now=start + dt.timedelta(seconds=100)
    )
    assert beat.seconds == 100
    progress = ItemProgress.objects.get(item=f"lesson:{key}")
    assert progress.completed_at is not None and progress.seconds_spent == 100
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_forged_heartbeat_and_unopened_watchable_change_nothing(learner):
    page = course(lessons=("video",))
    lesson = lessons_of(page)[0]
    key = str(lesson.translation_key)
    with pytest.raises(PermissionDenied):  # not enrolled: the lesson never opened a watch record
        services.lesson_heartbeat(user_id=learner.pk, lesson_key=key, played=[[0, 10]], now=later(10))
    services.enrolment_create(user=learner, course=page)
    services.lesson_open(user=learner, lesson=lesson)
    with pytest.raises(ValidationError):
        services.lesson_heartbeat(user_id=learner.pk, lesson_key=key, played=[[0, 900]], now=later(10))
    with pytest.raises(ValidationError):
        services.lesson_heartbeat(user_id=learner.pk, lesson_key=key, played=[[-5, 1]], now=later(10))
    assert WatchTime.objects.get(user=learner).seconds == 0


def test_watch_time_is_generic_for_live_streams(learner, settings):
    """The live observation app uses the same service with its own watchable key and no end."""
    settings.WATCH_HEARTBEAT_SECONDS = 30
    start = timezone.now()
    watch_start(user_id=learner.pk, watchable="live:venue-1:2027-03-02", now=start)
    watch_heartbeat(
        user_id=learner.pk,
        watchable="live:venue-1:2027-03-02",
        played=[[3600, 3630]],
        now=start + dt.timedelta(seconds=30),
    )
    assert watched_seconds(watchable="live:venue-1:2027-03-02", user_ids=[learner.pk, 0]) == {learner.pk: 30, 0: 0}


def test_required_quiz_is_graded_on_the_server(learner):
    page = course(lessons=("quiz",))
    lesson = lessons_of(page)[0]
    block_id = lesson.quiz_blocks[0].id
    services.enrolment_create(user=learner, course=page)
    services.lesson_open(user=learner, lesson=lesson)
    failed = services.quiz_submit(user=learner, lesson=lesson, block_id=block_id, answers=[1, 1])
    assert not failed.passed
    with pytest.raises(ValidationError, match="小测验"):
        services.lesson_mark_done(user=learner, lesson=lesson, now=later(120))
    passed = services.quiz_submit(user=learner, lesson=lesson, block_id=block_id, answers=[2, 1])
    assert passed.passed and passed.correct == 1
    services.lesson_mark_done(user=learner, lesson=lesson, now=later(120))
    with pytest.raises(ValidationError, match="没有这个小测验"):
        services.quiz_submit(user=learner, lesson=lesson, block_id="nope", answers=[2, 2])


def test_cohort_enrolment_is_idempotent_and_reported():
    first, second = staff(), staff(position=Position.FINANCE)
    round_ = publish_key_list(
        [
            (first, 1, ("suzhou",), first.position),
            (second, 2, ("suzhou",), second.position),
            (None, 3, ("suzhou",), Position.IT),
        ]
    )
    page = course(training_type=TrainingType.COMPLIANCE)
    services.enrolment_create(user=second, course=page)
    customs = officer(customs_unit=round_.customs_unit)
    report = services.cohort_enrol(actor=customs, round_id=round_.pk, course=page)
    assert report.enrolled == [str(first)] and report.already == [str(second)] and report.without_account == ["无账号3"]
    again = services.cohort_enrol(actor=customs, round_id=round_.pk, course=page)
    assert again.enrolled == [] and len(again.already) == 2
    assert Enrolment.objects.filter(course_key=page.translation_key).count() == 2
    with pytest.raises(PermissionDenied):
        services.cohort_enrol(actor=first, round_id=round_.pk, course=page)


def test_linked_training_session_item_completes_when_every_day_is_attended(django_capture_on_commit_callbacks):
    learner = staff()
    start = (timezone.now() - dt.timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    session = SessionFactory(starts_at=start, ends_at=start + dt.timedelta(days=1, hours=8))
    page = course("in-class", lessons=(), requires_training_session=True)
    page.training_sessions.add(session)
    page.save_revision().publish()
    services.enrolment_create(user=learner, course=page)
    booking = Booking.objects.create(
        session=session,
        user=learner,
        enterprise=learner.enterprise,
        training_type=session.training_type,
        position=learner.position,
        status=Booking.Status.CONFIRMED,
        seat_number=1,
    )
    customs = officer()
    day1 = timezone.localtime(start).date()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(actor=customs, booking_id=booking.pk, day=day1, status="present")
    assert not ItemProgress.objects.filter(item="session", completed_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        attendance_record(actor=customs, booking_id=booking.pk, day=day1 + dt.timedelta(days=1), status="late")
    item = ItemProgress.objects.get(item="session")
    assert item.completed_at is not None and item.evidence == f"session:{session.pk}"
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_live_observation_credit(learner):
    page = course("observation", lessons=(), requires_live_observation=True)
    key = page.translation_key
    assert not services.live_observation_credit(
        user_id=learner.pk, course_page_translation_key=key, live_session_ref="venue-1/42"
    )
    services.enrolment_create(user=learner, course=page)
    assert services.live_observation_credit(
        user_id=learner.pk, course_page_translation_key=key, live_session_ref="venue-1/42"
    )
    assert services.live_observation_credit(
        user_id=learner.pk, course_page_translation_key=key, live_session_ref="venue-2/7"
    )
    item = ItemProgress.objects.get(item="live")
    assert item.evidence == "live:venue-1/42"  # the first qualifying session counts
    assert Enrolment.objects.get(user=learner).completed_at is not None
    other = course("no-live", lessons=())
    assert not services.live_observation_credit(
        user_id=learner.pk, course_page_translation_key=other.translation_key, live_session_ref="x"
    )


def test_progress_belongs_to_the_course_not_the_language(learner):
    from wagtail.models import Locale

    page = course(lessons=("text", "text"))
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    chinese_lessons = lessons_of(page)
    services.enrolment_create(user=learner, course=page)
    services.lesson_open(user=learner, lesson=chinese_lessons[0])
    services.lesson_mark_done(user=learner, lesson=chinese_lessons[0], now=later(61))
    english_lesson = chinese_lessons[1].copy_for_translation(Locale.objects.get(language_code="en"))
    english_lesson.save_revision().publish()
    # Enrolled in the English page too, and the lesson done in Chinese counts there.
    from courses.models import CoursePage

    _enrolment, created = services.enrolment_create(user=learner, course=CoursePage.objects.get(pk=english.pk))
    assert not created
    services.lesson_open(user=learner, lesson=english_lesson.specific)
    services.lesson_mark_done(user=learner, lesson=english_lesson.specific, now=later(61))
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_attendance_before_enrolment_counts_when_the_learner_enrols(django_capture_on_commit_callbacks):
    """Attending every day of a linked session first and enrolling afterwards (alone or with the
    key training list) still completes the session item."""
    learners = [staff(), staff()]
    start = (timezone.now() - dt.timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    session = SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8))
    page = course("in-class-later", lessons=(), requires_training_session=True)
    page.training_sessions.add(session)
    page.save_revision().publish()
    customs = officer()
    for seat, learner in enumerate(learners, start=1):
        booking = Booking.objects.create(
            session=session,
            user=learner,
            enterprise=learner.enterprise,
            training_type=session.training_type,
            position=learner.position,
            status=Booking.Status.CONFIRMED,
            seat_number=seat,
        )
        with django_capture_on_commit_callbacks(execute=True):
            attendance_record(
                actor=customs, booking_id=booking.pk, day=timezone.localtime(start).date(), status="present"
            )
    assert not ItemProgress.objects.exists()  # nobody was enrolled yet

    services.enrolment_create(user=learners[0], course=page)
    assert Enrolment.objects.get(user=learners[0]).completed_at is not None
    assert ItemProgress.objects.get(enrolment__user=learners[0]).evidence == f"session:{session.pk}"

    round_ = publish_key_list([(learners[1], 1, ("suzhou",), learners[1].position)])
    report = services.cohort_enrol(actor=officer(customs_unit=round_.customs_unit), round_id=round_.pk, course=page)
    assert report.enrolled == [str(learners[1])]
    assert Enrolment.objects.get(user=learners[1]).completed_at is not None


def _cohort_with_bookings(size: int, page, session, *, attended: int):
    """A published key list of `size` people who all booked `session`; the first `attended` were
    present on its day."""
    people = [staff() for _ in range(size)]
    customs = officer()
    day = timezone.localtime(session.starts_at).date()
    for i, person in enumerate(people):
        booking = Booking.objects.create(
            session=session,
            user=person,
            enterprise=person.enterprise,
            training_type=session.training_type,
            position=person.position,
            status=Booking.Status.CONFIRMED,
        )
        if i < attended:
            attendance_record(actor=customs, booking_id=booking.pk, day=day, status="present")
    round_ = publish_key_list([(person, i + 1, ("suzhou",), person.position) for i, person in enumerate(people)])
    return people, officer(customs_unit=round_.customs_unit), round_


def test_crediting_past_attendance_at_cohort_enrolment_reads_the_same_for_3_or_30_people():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = (timezone.now() - dt.timedelta(days=3)).replace(hour=1, minute=0, second=0, microsecond=0)
    counts, credited = [], []
    for size in (1, 3, 30):  # the first issues the year's first certificate (its numbering starts)
        session = SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8), capacity=40)
        page = course(f"cohort-{size}", lessons=(), requires_training_session=True)
        page.training_sessions.add(session)
        page.save_revision().publish()
        people, customs, round_ = _cohort_with_bookings(size, page, session, attended=1)
        with CaptureQueriesContext(connection) as ctx:
            report = services.cohort_enrol(actor=customs, round_id=round_.pk, course=page)
        assert len(report.enrolled) == size
        counts.append(len(ctx))
        credited.append(
            list(
                Enrolment.objects.filter(course_key=page.translation_key, completed_at__isnull=False).values_list(
                    "user", flat=True
                )
            )
        )
        assert credited[-1] == [people[0].pk]  # the one who was present, nobody else
    assert counts[2] == counts[1]
