"""Use cases of learning: enrolment (one person, a whole cohort), lesson progress (reading time,
video watch time, quiz), training-session and live-observation items, course completion with its
certificate (issue 11, points 4, 5 and 7). Every function is one user intent in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import CoursePage, Enrolment, ItemProgress, LessonPage, WatchTime
from .signals import course_completed, enrolled
from .watchtime import Heartbeat, watch_heartbeat, watch_start

# Time on a text lesson counts up to this much (a tab left open overnight is not study time).
MAX_READING_SECONDS = 4 * 3600


def lesson_watchable(lesson_key: uuid.UUID | str) -> str:
    """Watch-time key of a lesson's video (the same for every language of the lesson)."""
    return f"lesson:{lesson_key}"


def course_required_items(course: CoursePage) -> list[str]:
    """Item keys a learner must complete: the course's live lessons, then the optional items."""
    lesson_keys = LessonPage.objects.child_of(course).live().values_list("translation_key", flat=True)
    return rules.required_items(
        lesson_items=[ItemProgress.lesson_item(key) for key in lesson_keys],
        session_required=course.requires_training_session,
        live_required=course.requires_live_observation,
    )


def _completed_course_keys(user_id: int) -> set[str]:
    keys = Enrolment.objects.filter(user_id=user_id, completed_at__isnull=False).values_list("course_key", flat=True)
    return {str(key) for key in keys}


def enrolment_create(*, user, course: CoursePage, actor=None, now: dt.datetime | None = None) -> tuple[Enrolment, bool]:
    """Enrol `user` in a published course (all its languages). Returns (enrolment, created);
    enrolling twice returns the existing enrolment. Raises ValidationError when the course is not
    published or a prerequisite course is not completed."""
    now = now or timezone.now()
    if not course.live:
        raise ValidationError(_("This course is not published, so nobody can enrol in it yet."))
    existing = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    if existing is not None:
        return existing, False
    prerequisites = [str(key) for key in course.prerequisites.values_list("translation_key", flat=True)]
    missing = rules.missing_prerequisites(prerequisites=prerequisites, completed=_completed_course_keys(user.pk))
    if missing:
        titles = CoursePage.objects.filter(translation_key__in=missing, locale=course.locale).values_list(
            "title", flat=True
        )
        raise ValidationError(
            _("Complete these courses first: %(courses)s.") % {"courses": "、".join(titles) or len(missing)}
        )
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user, course_key=course.translation_key, enrolled_at=now, enrolled_by=actor or user
            )
    except IntegrityError:  # a double click raced us
        return Enrolment.objects.get(user=user, course_key=course.translation_key), False
    _credit_past_attendance(course=course, user_ids=[user.pk], now=now)
    _announce_enrolled([user.pk], course.translation_key)
    return enrolment, True


def _announce_enrolled(user_ids: list[int], course_key) -> None:
    """`signals.enrolled` after the enrolments commit (items earned before enrolling, such as a
    live observation attended, are credited by the app that records them)."""
    if user_ids:
        transaction.on_commit(partial(enrolled.send, sender=Enrolment, user_ids=user_ids, course_key=course_key))


def _credit_past_attendance(*, course: CoursePage, user_ids: list[int], now: dt.datetime) -> None:
    """People who attended every day of a linked training session before they enrolled get the
    session item at enrolment (later attendance arrives through `attendance_recorded`). Three
    reads whatever the number of people (their latest booking of each linked session with its
    days, the attendance of those bookings, the enrolments credited); writes only for the people
    credited."""
    if not course.requires_training_session or not user_ids:
        return
    from training_bases.models import AttendanceRecord, Booking
    from training_bases.rules import attendance_tally, session_days

    latest: dict[tuple[int, int], tuple[int, dt.datetime, dt.datetime]] = {}
    for booking_id, user_id, session_id, starts_at, ends_at in (
        Booking.objects.filter(session__in=course.training_sessions.all(), user_id__in=user_ids)
        .order_by("id")
        .values_list("id", "user_id", "session_id", "session__starts_at", "session__ends_at")
    ):
        latest[(user_id, session_id)] = (booking_id, starts_at, ends_at)
    statuses: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for booking_id, day, status in AttendanceRecord.objects.filter(
        booking_id__in=[booking_id for booking_id, _starts, _ends in latest.values()]
    ).values_list("booking_id", "day", "status"):
        statuses[booking_id][day] = status
    attended: dict[int, int] = {}  # person -> the first session they attended in full
    for (user_id, session_id), (booking_id, starts_at, ends_at) in sorted(latest.items()):
        tally = attendance_tally(session_days(starts_at, ends_at), statuses[booking_id])
        if rules.session_item_done(days_attended=tally.attended, days=tally.days):
            attended.setdefault(user_id, session_id)
    if not attended:
        return
    with transaction.atomic():
        enrolments = Enrolment.objects.select_for_update().filter(
            user_id__in=attended, course_key=course.translation_key
        )
        for enrolment in enrolments:
            _complete_item(enrolment, ItemProgress.SESSION, now, f"session:{attended[enrolment.user_id]}")
            _complete_course_if_done(enrolment, course, now)


@dataclass
class CohortReport:
    """Outcome of enrolling a key training list: names of people per outcome."""

    enrolled: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    without_account: list[str] = field(default_factory=list)


def cohort_enrol(*, actor, round_id: int, course: CoursePage, now: dt.datetime | None = None) -> CohortReport:
    """An officer enrols everybody on a published key training list (of the course's training
    type) in one action; idempotent. Raises PermissionDenied for people who do not run the round,
    ValidationError when the list is not published or the course is not."""
    from trainees.access import rounds_visible_to
    from trainees.models import KeyListEntry, SelectionRound

    now = now or timezone.now()
    selection_round = rounds_visible_to(actor).filter(pk=round_id).first()
    if selection_round is None:
        raise PermissionDenied
    if selection_round.status != SelectionRound.Status.PUBLISHED:
        raise ValidationError(_("Only a published key training list can be enrolled."))
    if not course.live:
        raise ValidationError(_("This course is not published, so nobody can enrol in it yet."))
    entries = (
        KeyListEntry.objects.filter(round=selection_round, training_type=course.training_type, removed_at__isnull=True)
        .select_related("nominee__user")
        .order_by("priority")
    )
    report = CohortReport()
    with transaction.atomic():
        users = [entry.nominee.user for entry in entries if entry.nominee.user_id]
        report.without_account = [entry.nominee.name for entry in entries if not entry.nominee.user_id]
        already = set(
            Enrolment.objects.filter(course_key=course.translation_key, user__in=users).values_list(
                "user_id", flat=True
            )
        )
        new = [user for user in users if user.pk not in already]
        Enrolment.objects.bulk_create(
            [
                Enrolment(user=user, course_key=course.translation_key, enrolled_at=now, enrolled_by=actor)
                for user in new
            ],
            ignore_conflicts=True,
        )
        report.enrolled = [str(user) for user in new]
        _announce_enrolled([user.pk for user in new], course.translation_key)
        report.already = [str(user) for user in users if user.pk in already]
        _credit_past_attendance(course=course, user_ids=[user.pk for user in new], now=now)
    return report


def _enrolment_for(user_id: int, course_key) -> Enrolment | None:
    return Enrolment.objects.filter(user_id=user_id, course_key=course_key).first()


def lesson_open(*, user, lesson: LessonPage, now: dt.datetime | None = None) -> ItemProgress | None:
    """An enrolled learner opens a lesson: the reading clock starts (once) and the video's watch
    record opens. Not enrolled: nothing is recorded."""
    now = now or timezone.now()
    course = lesson.get_parent().specific
    enrolment = _enrolment_for(user.pk, course.translation_key)
    if enrolment is None:
        return None
    progress, _created = ItemProgress.objects.get_or_create(
        enrolment=enrolment, item=ItemProgress.lesson_item(lesson.translation_key), defaults={"started_at": now}
    )
    video = lesson.video
    if video is not None and progress.completed_at is None:
        watch_start(
            user_id=user.pk,
            watchable=lesson_watchable(lesson.translation_key),
            duration_seconds=video["duration_seconds"],
        )
    return progress


def _watched(user_id: int, lesson: LessonPage) -> int:
    """Distinct seconds of the lesson's video the learner was credited."""
    watchable = lesson_watchable(lesson.translation_key)
    return WatchTime.objects.filter(user_id=user_id, watchable=watchable).values_list("seconds", flat=True).first() or 0


def _lesson_state(lesson: LessonPage, progress: ItemProgress, now: dt.datetime) -> rules.LessonState:
    video = lesson.video
    seconds = _watched(progress.enrolment.user_id, lesson) if video is not None else 0
    return rules.LessonState(
        has_video=video is not None,
        video_done=video is not None and rules.video_watched(seconds=seconds, duration=video["duration_seconds"]),
        has_quiz=bool(lesson.quiz_blocks),
        quiz_required=lesson.quiz_required,
        quiz_passed=progress.quiz_passed_at is not None,
        reading_done=rules.reading_time_met(
            started_at=progress.started_at, now=now, min_seconds=lesson.min_reading_seconds
        ),
    )


def _locked_progress(user_id: int, lesson: LessonPage) -> ItemProgress:
    course = lesson.get_parent().specific
    enrolment = _enrolment_for(user_id, course.translation_key)
    if enrolment is None:
        raise ValidationError(_("Enrol in the course before taking its lessons."))
    progress = (
        ItemProgress.objects.select_for_update(of=("self", "enrolment"))  # one course completion at a time
        .select_related("enrolment")
        .filter(enrolment=enrolment, item=ItemProgress.lesson_item(lesson.translation_key))
        .first()
    )
    if progress is None:
        raise ValidationError(_("Open the lesson before marking it done."))
    return progress


def _spent_seconds(lesson: LessonPage, progress: ItemProgress, now: dt.datetime) -> int:
    if lesson.video is not None:
        return _watched(progress.enrolment.user_id, lesson)
    return int(min((now - progress.started_at).total_seconds(), MAX_READING_SECONDS))


def _finish_lesson(lesson: LessonPage, progress: ItemProgress, now: dt.datetime) -> None:
    progress.completed_at = now
    progress.seconds_spent = _spent_seconds(lesson, progress, now)
    progress.save(update_fields=["completed_at", "seconds_spent"])
    _complete_course_if_done(progress.enrolment, lesson.get_parent().specific, now)


def lesson_mark_done(*, user, lesson: LessonPage, now: dt.datetime | None = None) -> ItemProgress:
    """The learner marks a lesson done. Raises ValidationError, with what is missing, before the
    minimum reading time, before the video is watched, or before a required quiz is passed."""
    now = now or timezone.now()
    with transaction.atomic():
        progress = _locked_progress(user.pk, lesson)
        if progress.completed_at is not None:
            return progress
        state = _lesson_state(lesson, progress, now)
        if not rules.lesson_complete(state):
            if state.quiz_required and state.has_quiz and not state.quiz_passed:
                raise ValidationError(_("Pass the lesson quiz to complete this lesson."))
            if state.has_video:
                raise ValidationError(
                    _("Watch at least %(percent)d%% of the video to complete this lesson.")
                    % {"percent": round(rules.VIDEO_COMPLETION_SHARE * 100)}
                )
            left = rules.reading_time_left(
                started_at=progress.started_at, now=now, min_seconds=lesson.min_reading_seconds
            )
            raise ValidationError(
                _("Please keep reading: this lesson can be marked done in %(seconds)s seconds.") % {"seconds": left}
            )
        _finish_lesson(lesson, progress, now)
    return progress


def quiz_submit(
    *, user, lesson: LessonPage, block_id: str, answers: list[int | None], now: dt.datetime | None = None
) -> rules.QuizResult:
    """Grade a lesson quiz on the server; passing is recorded and may complete the lesson (a
    video lesson still needs its video). Raises ValidationError for an unknown quiz."""
    now = now or timezone.now()
    block = next((b for b in lesson.quiz_blocks if b.id == block_id), None)
    if block is None:
        raise ValidationError(_("This quiz does not exist on this lesson."))
    questions = [rules.QuizQuestion(choices=len(q["choices"]), correct=q["correct"]) for q in block.value["questions"]]
    result = rules.grade_quiz(questions=questions, answers=answers, pass_percent=block.value["pass_percent"])
    with transaction.atomic():
        progress = _locked_progress(user.pk, lesson)
        if result.passed and progress.quiz_passed_at is None:
            progress.quiz_passed_at = now
            progress.save(update_fields=["quiz_passed_at"])
        video_lesson_ready = progress.completed_at is None and lesson.video is not None
        if video_lesson_ready and rules.lesson_complete(_lesson_state(lesson, progress, now)):
            _finish_lesson(lesson, progress, now)
    return result


def lesson_heartbeat(*, user_id: int, lesson_key: str, played, now: dt.datetime | None = None) -> Heartbeat:
    """A heartbeat of a lesson's video (two SQL statements); the beat that crosses 90 % of the
    duration completes the lesson when nothing else (a required quiz) is missing.
    Raises PermissionDenied when the learner did not open the lesson as an enrolled learner."""
    now = now or timezone.now()
    beat = watch_heartbeat(user_id=user_id, watchable=lesson_watchable(lesson_key), played=played, now=now)
    duration = beat.duration_seconds or 0
    if rules.video_watched(seconds=beat.seconds, duration=duration) and not rules.video_watched(
        seconds=beat.seconds_before, duration=duration
    ):
        lesson_video_watched(user_id=user_id, lesson_key=lesson_key, now=now)
    return beat


def lesson_video_watched(*, user_id: int, lesson_key: str, now: dt.datetime | None = None) -> bool:
    """Complete a video lesson once enough was watched (and a required quiz passed). True when
    the lesson is complete."""
    now = now or timezone.now()
    lesson = LessonPage.objects.filter(translation_key=lesson_key).live().first()
    if lesson is None:
        return False
    with transaction.atomic():
        try:
            progress = _locked_progress(user_id, lesson)
        except ValidationError:
            return False
        if progress.completed_at is None and rules.lesson_complete(_lesson_state(lesson, progress, now)):
            _finish_lesson(lesson, progress, now)
        return progress.completed_at is not None


def _complete_item(enrolment: Enrolment, item: str, now: dt.datetime, evidence: str) -> bool:
    progress, _created = ItemProgress.objects.get_or_create(
        enrolment=enrolment, item=item, defaults={"started_at": now}
    )
    if progress.completed_at is not None:
        return False
    progress.completed_at = now
    progress.evidence = evidence[:120]
    progress.save(update_fields=["completed_at", "evidence"])
    return True


def _complete_course_if_done(enrolment: Enrolment, course: CoursePage, now: dt.datetime) -> bool:
    """Every required item done: the enrolment completes and the certificate is issued."""
    if enrolment.completed_at is not None:
        return True
    done = ItemProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list("item", flat=True)
    if not rules.course_complete(required=course_required_items(course), done=done):
        return False
    enrolment.completed_at = now
    enrolment.save(update_fields=["completed_at"])
    issue_course_certificate(enrolment=enrolment, course=course)
    transaction.on_commit(
        partial(
            course_completed.send,
            sender=Enrolment,
            enrolment_id=enrolment.pk,
            user_id=enrolment.user_id,
            enterprise_id=enrolment.user.enterprise_id,
            course_key=enrolment.course_key,
            completed_at=now,
        )
    )
    return True


def issue_course_certificate(*, enrolment: Enrolment, course: CoursePage):
    """The completion certificate, through the one certificate mechanism (`certificates`)."""
    from certificates.models import Certificate
    from certificates.services import certificate_issue

    titles = dict(
        CoursePage.objects.filter(translation_key=course.translation_key).values_list("locale__language_code", "title")
    )
    return certificate_issue(
        holder=enrolment.user,
        kind=Certificate.Kind.COURSE,
        subject=f"course:{course.translation_key}",
        title_zh=titles.get("zh-hans", course.title),
        title_en=titles.get("en", ""),
        hours=course.duration_hours,
        issued_on=timezone.localdate(enrolment.completed_at),
    )


def _course_for_key(course_key) -> CoursePage | None:
    return CoursePage.objects.live().filter(translation_key=course_key).first()


def training_session_attendance(*, user_id: int, session_id: int, now: dt.datetime | None = None) -> list[str]:
    """Attendance was recorded for `user_id` on `session_id`: every enrolled course linking that
    session (and requiring one) gets its session item when every day of the session was
    attended. Returns the translation keys of the courses credited."""
    from training_bases.models import AttendanceRecord, Booking, TrainingSession
    from training_bases.rules import attendance_tally, session_days

    now = now or timezone.now()
    course_keys = set(
        CoursePage.objects.live()
        .filter(training_sessions=session_id, requires_training_session=True)
        .values_list("translation_key", flat=True)
    )
    enrolments = list(Enrolment.objects.filter(user_id=user_id, course_key__in=course_keys))
    if not enrolments:
        return []
    session = TrainingSession.objects.get(pk=session_id)
    booking = Booking.objects.filter(session_id=session_id, user_id=user_id).order_by("-id").first()
    if booking is None:
        return []
    statuses = dict(AttendanceRecord.objects.filter(booking=booking).values_list("day", "status"))
    tally = attendance_tally(session_days(session.starts_at, session.ends_at), statuses)
    if not rules.session_item_done(days_attended=tally.attended, days=tally.days):
        return []
    credited = []
    with transaction.atomic():
        for enrolment in Enrolment.objects.select_for_update().filter(pk__in=[e.pk for e in enrolments]):
            _complete_item(enrolment, ItemProgress.SESSION, now, f"session:{session_id}")
            course = _course_for_key(enrolment.course_key)
            if course is not None:
                _complete_course_if_done(enrolment, course, now)
            credited.append(str(enrolment.course_key))
    return credited


def live_observation_credit(
    *, user_id: int, course_page_translation_key: uuid.UUID | str, live_session_ref: str, now: dt.datetime | None = None
) -> bool:
    """Called by the live-observation app when a person's attendance of one live session
    qualifies: completes the course's "live observation" item (and the course when that was the
    last item). Returns True when the item is (now or already) complete, False when the person is
    not enrolled or the course does not require a live observation session. Idempotent."""
    now = now or timezone.now()
    course = _course_for_key(course_page_translation_key)
    if course is None or not course.requires_live_observation:
        return False
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update().filter(user_id=user_id, course_key=course.translation_key).first()
        )
        if enrolment is None:
            return False
        _complete_item(enrolment, ItemProgress.LIVE, now, f"live:{live_session_ref}")
        _complete_course_if_done(enrolment, course, now)
    return True
