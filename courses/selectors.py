"""Reads shaped for the catalogue, course and lesson pages, My learning, enterprise coverage and
trainer statistics. Query counts do not grow with the number of courses or enrolments."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale

from cms.search import search_pages
from lms.page_cache import fragment
from lms.params import int_param
from trainees.models import Position, TrainingType

from . import rules
from .models import AUDIENCE_POSITIONS, CourseAudience, CoursePage, Enrolment, ItemProgress, LessonPage, WatchTime
from .watchtime import heartbeat_interval


def _criteria_area_model():
    """`readiness.CriteriaArea`, looked up lazily: courses never import readiness."""
    return apps.get_model("readiness", "CriteriaArea")


@dataclass(frozen=True)
class CatalogueFilters:
    training_type: str = ""
    method: str = ""
    position: str = ""
    area: int | None = None
    q: str = ""

    def choices(self) -> dict:
        areas = _criteria_area_model().objects.select_related("edition").order_by("edition_id", "position")
        return {
            "training_types": TrainingType.choices,
            "methods": CoursePage.Method.choices,
            "positions": AUDIENCE_POSITIONS,
            "areas": list(areas),
        }

    def querystring(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "type": self.training_type,
            "method": self.method,
            "position": self.position,
            "area": self.area or "",
            "q": self.q,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def catalogue_filters(params) -> CatalogueFilters:
    """Filters from the query string; unknown values are ignored rather than failing."""
    return CatalogueFilters(
        training_type=params.get("type", "") if params.get("type", "") in TrainingType.values else "",
        method=params.get("method", "") if params.get("method", "") in CoursePage.Method.values else "",
        position=params.get("position", "") if params.get("position", "") in Position.values else "",
        area=int_param(params.get("area")),
        q=params.get("q", "").strip()[:100],
    )


def course_catalogue(*, index, filters: CatalogueFilters) -> QuerySet[CoursePage]:
    """Published courses of one catalogue (one language), filtered; full-text search on Chinese
    words through Wagtail's search backend on jieba-segmented text."""
    courses = CoursePage.objects.child_of(index).live().public().order_by("title")
    if filters.training_type:
        courses = courses.filter(training_type=filters.training_type)
    if filters.method:
        courses = courses.filter(method=filters.method)
    if filters.position:
        courses = courses.filter(audience__position=filters.position)
    if filters.area:
        courses = courses.filter(criteria_areas=filters.area)
    if filters.q:
        found = search_pages(CoursePage.objects.live().filter(locale_id=index.locale_id), filters.q)
        courses = courses.filter(pk__in=[page.pk for page in found])
    return courses.distinct()


def _titles(keys, locale_id: int | None = None) -> dict[str, CoursePage]:
    """Course pages per translation key, in the active language when translated."""
    locale_id = locale_id or Locale.get_active().pk
    pages: dict[str, CoursePage] = {}
    for page in CoursePage.objects.filter(translation_key__in=list(keys)).order_by("id"):
        key = str(page.translation_key)
        if key not in pages or page.locale_id == locale_id:
            pages[key] = page
    return pages


def course_detail(*, course: CoursePage, user) -> dict:
    """Facts, lessons with the learner's progress, enrolment and certificate for the course page."""
    lessons = list(LessonPage.objects.child_of(course).live().public())
    context = {
        "lessons": lessons,
        "audience_positions": [a.get_position_display() for a in CourseAudience.objects.filter(course=course)],
        "criteria_areas": list(course.criteria_areas.select_related("edition")),
        "course_trainers": list(course.trainers.all()),
        "prerequisite_courses": list(course.prerequisites.all()),
        "linked_sessions": list(course.training_sessions.select_related("base")),
        "enrolment": None,
    }
    if not getattr(user, "is_authenticated", False):
        return context
    enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    if enrolment is None:
        return context
    from .services import course_required_items

    done = set(
        ItemProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).values_list("item", flat=True)
    )
    required = course_required_items(course)
    for lesson in lessons:
        lesson.done = ItemProgress.lesson_item(lesson.translation_key) in done
    context.update(
        enrolment=enrolment,
        progress=rules.progress_percent(required=required, done=done),
        session_done=ItemProgress.SESSION in done,
        live_done=ItemProgress.LIVE in done,
        certificate=_course_certificates(user.pk, [course.translation_key]).get(str(course.translation_key)),
    )
    return context


def _course_certificates(user_id: int, keys) -> dict:
    Certificate = apps.get_model("certificates", "Certificate")
    subjects = [f"course:{key}" for key in keys]
    return {
        c.subject.removeprefix("course:"): c
        for c in Certificate.objects.filter(holder_id=user_id, kind="course", subject__in=subjects)
    }


def lesson_detail(*, lesson: LessonPage, user) -> dict:
    """The learner's state on a lesson: enrolled, done, reading time left, seconds watched."""
    context = {"enrolment": None, "heartbeat_seconds": heartbeat_interval(), "video": lesson.video}
    if not getattr(user, "is_authenticated", False):
        return context
    course = lesson.get_parent().specific
    enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    if enrolment is None:
        return context
    progress = ItemProgress.objects.filter(
        enrolment=enrolment, item=ItemProgress.lesson_item(lesson.translation_key)
    ).first()
    watched = (
        WatchTime.objects.filter(user=user, watchable=f"lesson:{lesson.translation_key}")
        .values_list("seconds", flat=True)
        .first()
        or 0
    )
    siblings = list(LessonPage.objects.child_of(course).live().public().only("id", "title", "path", "url_path"))
    position = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), None)
    context.update(
        enrolment=enrolment,
        progress=progress,
        lesson_done=bool(progress and progress.completed_at),
        quiz_passed=bool(progress and progress.quiz_passed_at),
        reading_left=rules.reading_time_left(
            started_at=progress.started_at if progress else None,
            now=timezone.now(),
            min_seconds=lesson.min_reading_seconds,
        ),
        watched_seconds=watched,
        next_lesson=siblings[position + 1] if position is not None and position + 1 < len(siblings) else None,
        course=course,
    )
    return context


@dataclass
class LearningRow:
    """One enrolment on My learning."""

    enrolment: Enrolment
    course: CoursePage | None
    required: int = 0
    done: int = 0
    next_lesson: LessonPage | None = None
    certificate: object | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 0


def course_outlines(keys: Iterable[uuid.UUID]) -> tuple[dict[str, CoursePage], dict[int, list[LessonPage]]]:
    """({translation key: course page in the active language}, {course page id: its live lessons
    in order}) for these courses; three queries, none while cached (`lms.page_cache.fragment`,
    per language and set of courses, until the next publication): the outline is the same for
    every learner of these courses."""
    keys = sorted({str(key) for key in keys})

    def build() -> tuple[dict[str, CoursePage], dict[int, list[LessonPage]]]:
        courses = _titles(keys)
        lessons_by_course: dict[int, list[LessonPage]] = defaultdict(list)
        paths = {c.path: c.pk for c in courses.values()}
        depth = min((c.depth for c in courses.values()), default=0) + 1
        if paths:
            lesson_qs = LessonPage.objects.live().filter(depth=depth).order_by("path")
            lesson_qs = lesson_qs.filter(Q(*[Q(path__startswith=p) for p in paths], _connector=Q.OR))
            for lesson in lesson_qs:
                parent_id = paths.get(lesson.path[: -LessonPage.steplen])
                if parent_id:
                    lessons_by_course[parent_id].append(lesson)
        return courses, dict(lessons_by_course)

    if not keys:
        return {}, {}
    digest = hashlib.sha256(",".join(keys).encode()).hexdigest()[:32]
    return fragment("course-outlines", (get_language(), digest), build)


def my_learning(*, user) -> list[LearningRow]:
    """Enrolled courses with progress and next lesson, completed ones with date and certificate.
    Five queries whatever the number of enrolments, three once the outlines are cached."""
    enrolments = list(Enrolment.objects.filter(user=user).order_by("completed_at", "-enrolled_at"))
    keys = [e.course_key for e in enrolments]
    courses, lessons_by_course = course_outlines(keys)
    done: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, item in ItemProgress.objects.filter(
        enrolment__in=[e.pk for e in enrolments], completed_at__isnull=False
    ).values_list("enrolment_id", "item"):
        done[enrolment_id].add(item)
    certificates = _course_certificates(user.pk, keys) if enrolments else {}
    rows = []
    for enrolment in enrolments:
        course = courses.get(str(enrolment.course_key))
        row = LearningRow(enrolment=enrolment, course=course, certificate=certificates.get(str(enrolment.course_key)))
        if course is not None:
            lessons = lessons_by_course.get(course.pk, [])
            required = rules.required_items(
                lesson_items=[ItemProgress.lesson_item(lesson.translation_key) for lesson in lessons],
                session_required=course.requires_training_session,
                live_required=course.requires_live_observation,
            )
            row.required = len(required)
            row.done = len(set(required) & done[enrolment.pk])
            row.next_lesson = next(
                (
                    lesson
                    for lesson in lessons
                    if ItemProgress.lesson_item(lesson.translation_key) not in done[enrolment.pk]
                ),
                None,
            )
        rows.append(row)
    return rows


@dataclass(frozen=True)
class CompletedCourse:
    course_key: uuid.UUID
    title: str
    training_type: str  # trainees.TrainingType value
    completed_on: dt.date

    @property
    def training_type_label(self) -> str:
        return str(TrainingType(self.training_type).label) if self.training_type in TrainingType.values else ""


@dataclass
class PersonCoverage:
    user_id: int
    name: str
    position: str  # trainees.Position value ("" when unknown)
    completed: list[CompletedCourse] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)  # course titles

    @property
    def position_label(self) -> str:
        return str(Position(self.position).label) if self.position in Position.values else ""


def enterprise_training_coverage(enterprise_id: int) -> list[PersonCoverage]:
    """Training coverage of an enterprise's people, for the enterprise page and readiness.

    Returns one `PersonCoverage` per staff member of the enterprise (ordered legal representative,
    senior management, relevant departments, others; then name), with `position` (a
    `trainees.Position` value), `completed` — a list of `CompletedCourse(course_key, title,
    training_type, completed_on)` (date in Asia/Shanghai), and `in_progress` course titles.
    Three queries whatever the number of people and enrolments."""
    return enterprises_training_coverage([enterprise_id]).get(enterprise_id, [])


def enterprises_training_coverage(enterprise_ids: Iterable[int]) -> dict[int, list[PersonCoverage]]:
    """`enterprise_training_coverage` of many enterprises at once (readiness recomputes them in
    chunks): enterprise id → its people's coverage, in the same order. Enterprises without active
    staff map to an empty list. Three queries whatever the number of enterprises, people and
    enrolments (keep `enterprise_ids` to a few thousand per call)."""
    from trainees.models import User

    ids = list(enterprise_ids)
    people = list(
        User.objects.filter(enterprise_id__in=ids, is_active=True)
        .only("id", "first_name", "last_name", "email", "position", "enterprise_id")
        .order_by("last_name", "first_name")
    )
    enrolments = list(
        Enrolment.objects.filter(user_id__in=[p.pk for p in people])
        .only("user_id", "course_key", "completed_at")
        .order_by("completed_at")
    )
    courses = _titles({e.course_key for e in enrolments})
    by_person: dict[int, PersonCoverage] = {
        p.pk: PersonCoverage(user_id=p.pk, name=p.get_full_name() or p.email, position=p.position) for p in people
    }
    for enrolment in enrolments:
        course = courses.get(str(enrolment.course_key))
        if course is None:
            continue
        person = by_person[enrolment.user_id]
        if enrolment.completed_at:
            person.completed.append(
                CompletedCourse(
                    course_key=enrolment.course_key,
                    title=course.title,
                    training_type=course.training_type,
                    completed_on=timezone.localdate(enrolment.completed_at),
                )
            )
        else:
            person.in_progress.append(course.title)
    order = list(Position.values)
    result: dict[int, list[PersonCoverage]] = {pk: [] for pk in ids}
    for p in people:
        result[p.enterprise_id].append(by_person[p.pk])
    for rows in result.values():
        rows.sort(key=lambda p: (order.index(p.position) if p.position in order else len(order), p.name))
    return result


@dataclass(frozen=True)
class CourseStats:
    course: CoursePage
    enrolled: int
    in_progress: int
    completed: int
    average_seconds: int  # average time spent per enrolment with any time recorded


def course_statistics(*, courses: list[CoursePage]) -> list[CourseStats]:
    """Per course (all its languages): enrolled, in progress (started, not completed), completed,
    average time spent. Two queries whatever the number of courses."""
    keys = [c.translation_key for c in courses]
    counts = {
        row["course_key"]: row
        for row in Enrolment.objects.filter(course_key__in=keys)
        .values("course_key")
        .annotate(
            enrolled=Count("id", distinct=True),
            completed=Count("id", filter=Q(completed_at__isnull=False), distinct=True),
            started=Count("id", filter=Q(completed_at__isnull=True, items__isnull=False), distinct=True),
        )
    }
    time_rows = (
        ItemProgress.objects.filter(enrolment__course_key__in=keys)
        .values("enrolment__course_key", "enrolment_id")
        .annotate(seconds=Sum("seconds_spent"))
    )
    totals: dict = defaultdict(list)
    for row in time_rows:
        if row["seconds"]:
            totals[row["enrolment__course_key"]].append(row["seconds"])
    stats = []
    for course in courses:
        row = counts.get(course.translation_key, {})
        times = totals.get(course.translation_key, [])
        stats.append(
            CourseStats(
                course=course,
                enrolled=row.get("enrolled", 0),
                in_progress=row.get("started", 0),
                completed=row.get("completed", 0),
                average_seconds=int(sum(times) / len(times)) if times else 0,
            )
        )
    return stats


def courses_for_trainer(user) -> list[CoursePage]:
    """Courses a trainer teaches or created, in the active language (lead trainers: all)."""
    from trainees.access import is_lead_trainer

    locale = Locale.get_active()
    courses = CoursePage.objects.filter(locale=locale).order_by("title")
    if not is_lead_trainer(user):
        courses = courses.filter(Q(trainers=user) | Q(owner=user)).distinct()
    return list(courses)


def personal_data(*, user_id: int) -> dict[str, list[dict]]:
    """What this app holds about one person: course enrolments and watch time (2 queries)."""
    return {
        "enrolments": list(
            Enrolment.objects.filter(user_id=user_id)
            .order_by("enrolled_at", "pk")
            .values("id", "course_key", "enrolled_at", "completed_at")
        ),
        "watch_time": list(
            WatchTime.objects.filter(user_id=user_id)
            .order_by("created_at", "pk")
            .values("watchable", "seconds", "duration_seconds", "last_beat_at", "created_at")
        ),
    }


# --- Appraisal and the expert roster (issue 17) -----------------------------------------------


@dataclass(frozen=True)
class LearningFigures:
    """Course enrolments of a set of customs units' people in a period: `enrolled` (enrolments
    made in the period), `completed` (of those, completed by now), `completion_rate`
    (completed / enrolled, None without enrolments)."""

    enrolled: int
    completed: int
    completion_rate: float | None


def course_keys_of_type(training_type: str) -> QuerySet:
    """Translation keys of the courses of one training type (a values queryset, for filters)."""
    return CoursePage.objects.filter(training_type=training_type).values("translation_key")


def learning_figures(
    *, district_ids: list[int], start: dt.datetime, end: dt.datetime, training_type: str = ""
) -> LearningFigures:
    """Enrolments in [start, end) (aware datetimes) of people of enterprises in the customs units
    `district_ids`, in courses of `training_type` when given; counted as the trainers' course
    statistics count them (`course_statistics`). One query."""
    enrolments = Enrolment.objects.filter(
        user__enterprise__customs_unit_id__in=district_ids, enrolled_at__gte=start, enrolled_at__lt=end
    )
    if training_type:
        enrolments = enrolments.filter(course_key__in=course_keys_of_type(training_type))
    counts = enrolments.aggregate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    return LearningFigures(
        enrolled=counts["enrolled"],
        completed=counts["completed"],
        completion_rate=(counts["completed"] / counts["enrolled"]) if counts["enrolled"] else None,
    )


@dataclass(frozen=True)
class DeliveredCourse:
    """A published course a trainer teaches, with its enrolments and completions (all languages)."""

    title: str
    translation_key: uuid.UUID
    training_type: str
    enrolled: int
    completed: int


def courses_delivered_by(*, trainer_ids: list[int]) -> dict[int, list[DeliveredCourse]]:
    """Per trainer (user id): the live courses listing them as a trainer (one entry per course
    whatever its languages; title in the active language when translated), with enrolments and
    completions as `course_statistics` counts them. Three queries (locale, courses, counts) for
    any number of trainers."""
    locale = Locale.get_active()
    rows = list(
        CoursePage.trainers.through.objects.filter(user_id__in=trainer_ids, coursepage__live=True)
        .order_by("user_id", "coursepage__title")
        .values_list(
            "user_id",
            "coursepage__translation_key",
            "coursepage__title",
            "coursepage__training_type",
            "coursepage__locale_id",
        )
    )
    keys = {row[1] for row in rows}
    counts = {
        row["course_key"]: row
        for row in Enrolment.objects.filter(course_key__in=keys)
        .values("course_key")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
    }
    chosen: dict[tuple[int, uuid.UUID], tuple] = {}
    for row in rows:
        key = (row[0], row[1])
        if key not in chosen or row[4] == locale.pk:
            chosen[key] = row
    result: dict[int, list[DeliveredCourse]] = {}
    for user_id, key, title, training_type, _locale in sorted(chosen.values(), key=lambda r: (r[0], r[2])):
        count = counts.get(key, {})
        result.setdefault(user_id, []).append(
            DeliveredCourse(
                title=title,
                translation_key=key,
                training_type=training_type,
                enrolled=count.get("enrolled", 0),
                completed=count.get("completed", 0),
            )
        )
    return result
