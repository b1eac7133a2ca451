"""Appraisal of training effectiveness (issue 17, point 6): the funnel and figures per customs
level, read from one selector per source app, matching the apps' own pages; exports; access."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from courses import selectors as course_selectors
from courses.models import Enrolment
from exams.models import Attempt
from feedback import rules, selectors
from feedback.models import CertificationOutcome
from live import selectors as live_selectors
from live.models import Registration
from readiness import selectors as readiness_selectors
from readiness.models import ReadinessRecord
from tests.courses.factories import course as make_course
from tests.exams.factories import make_exam
from tests.live.factories import live_session
from tests.trainees.factories import ApplicationFactory, SelectionRoundFactory, enterprise_in, officer, staff_of, unit
from tests.training_bases.factories import RoomFactory, SessionFactory
from trainees import rules as trainee_rules
from trainees import selectors as trainee_selectors
from trainees.access import appraisal_unit_ids
from trainees.models import CultivationEvent, CultivationStatus
from training_bases import rules as training_rules
from training_bases import selectors as training_selectors
from training_bases.models import AttendanceRecord, Booking, TrainingBase, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOW = timezone.now()


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


# --- rules ------------------------------------------------------------------------------------


def _path(**days):
    return {stage: days_ago(100 - d) for stage, d in days.items()}


@pytest.mark.parametrize(
    ("paths", "reached", "conversion", "median"),
    [
        ([], [0, 0, 0, 0, 0, 0], [None] * 6, [None] * 6),
        (
            [_path(applied=0, listed=10, in_training=30), _path(applied=0, listed=20)],
            [2, 2, 1, 0, 0, 0],
            [None, 1.0, 0.5, 0.0, None, None],
            [None, 15.0, 20.0, None, None, None],
        ),
        # A path starting later than "applied" in the window still counts up to its furthest stage;
        # the days need both moments.
        (
            [
                _path(applied=0, completed=40),
                _path(applied=0, listed=5, in_training=9, completed=20, applied_for_aeo=30),
            ],
            [2, 2, 2, 2, 1, 0],
            [None, 1.0, 1.0, 1.0, 0.5, 0.0],
            [None, 5.0, 4.0, 11.0, 10.0, None],
        ),
        # Without its application the path is not in the cohort.
        ([{"listed": days_ago(3)}], [0] * 6, [None] * 6, [None] * 6),
        # Out-of-order moments are not measured (negative days).
        ([_path(applied=10, listed=5)], [1, 1, 0, 0, 0, 0], [None, 1.0, 0.0, None, None, None], [None] * 6),
    ],
)
def test_funnel_counts_conversion_and_median_days(paths, reached, conversion, median):
    stages = trainee_rules.funnel(paths)
    assert [s.stage for s in stages] == list(trainee_rules.FUNNEL_STAGES)
    assert [s.reached for s in stages] == reached
    assert [None if s.conversion is None else round(s.conversion, 2) for s in stages] == conversion
    assert [s.median_days for s in stages] == median


@pytest.mark.parametrize(
    ("starts", "ends", "daily", "total"),
    [
        ("2026-06-01 09:00", "2026-06-01 17:00", 8.0, 8.0),
        ("2026-06-01 09:00", "2026-06-03 17:00", 8.0, 24.0),
        ("2026-06-01 09:00", "2026-06-01 10:30", 1.5, 1.5),
        ("2026-06-01 20:00", "2026-06-02 04:00", 4.0, 8.0),  # overnight: the span over its two days
    ],
)
def test_session_hours(starts, ends, daily, total):
    tz = training_rules.SHANGHAI
    s = dt.datetime.fromisoformat(starts).replace(tzinfo=tz)
    e = dt.datetime.fromisoformat(ends).replace(tzinfo=tz)
    assert training_rules.daily_hours(s, e) == daily
    assert training_rules.session_hours(s, e) == total


# --- a small world -------------------------------------------------------------------------------


def _event(enterprise, to_status, days):
    CultivationEvent.objects.create(
        enterprise=enterprise, action=to_status, from_status="", to_status=to_status, occurred_at=days_ago(days)
    )


def _cultivated(code, *, stages, applied_days=90, training_type="compliance", status=None):
    """An enterprise of unit `code` that applied `applied_days` ago and entered `stages` (stage →
    days ago), its status the last stage."""
    enterprise = enterprise_in(code, cultivation_status=status or (list(stages)[-1] if stages else "applied"))
    round_ = SelectionRoundFactory(customs_unit=unit(code[:2] + "00"))
    ApplicationFactory(
        round=round_, enterprise=enterprise, training_type=training_type, submitted_at=days_ago(applied_days)
    )
    _event(enterprise, "applied", applied_days)
    for stage, days in stages.items():
        _event(enterprise, stage, days)
    return enterprise


def _session_with_register(*, base_slug, enterprises, statuses, days_ago_start=20, days=2, trainer=None):
    """A held session at a base, one booking per enterprise (a staff member), attendance per day."""
    room = RoomFactory(base=TrainingBase.objects.get(slug=base_slug))
    start = (
        (NOW - dt.timedelta(days=days_ago_start))
        .astimezone(training_rules.SHANGHAI)
        .replace(hour=9, minute=0, second=0, microsecond=0)
    )
    session = SessionFactory(
        room=room,
        starts_at=start,
        ends_at=start + dt.timedelta(days=days - 1, hours=8),
        status=TrainingSession.Status.COMPLETED,
        booking_opens_at=start - dt.timedelta(days=10),
        booking_closes_at=start - dt.timedelta(days=1),
        cancellation_cutoff=start - dt.timedelta(days=2),
    )
    if trainer is not None:
        session.trainers.add(trainer)
    day_list = training_rules.session_days(session.starts_at, session.ends_at)
    for enterprise, status in zip(enterprises, statuses, strict=True):
        person = staff_of(enterprise)
        booking = Booking.objects.create(
            session=session,
            user=person,
            enterprise=enterprise,
            training_type=session.training_type,
            status=Booking.Status.CONFIRMED,
        )
        for day in day_list:
            AttendanceRecord.objects.create(booking=booking, day=day, status=status)
    return session


def _attempt(exam, user, *, passed, days=10, number=1):
    return Attempt.objects.create(
        exam=exam,
        user=user,
        number=number,
        state=Attempt.State.GRADED,
        started_at=days_ago(days),
        deadline=days_ago(days) + dt.timedelta(hours=1),
        submitted_at=days_ago(days) + dt.timedelta(minutes=30),
        score=Decimal("8") if passed else Decimal("2"),
        max_score=Decimal("10"),
        passed=passed,
    )


def _readiness(enterprise, status):
    ReadinessRecord.objects.create(
        enterprise=enterprise, computed_at=NOW, edition_code="2026-advanced", status=status, score=Decimal("80")
    )


@pytest.fixture
def world():
    """Shenzhen district (5300: Futian 5301, Shenzhen Bay 5302) and Nanjing (2300: Suzhou 2301)."""
    futian_certified = _cultivated(
        "5301",
        stages={"listed": 80, "in_training": 60, "completed": 40, "applied_for_aeo": 30, "certified": 3},
        training_type="aeo_certification",
    )
    futian_training = _cultivated("5301", stages={"listed": 70, "in_training": 50})
    bay_listed = _cultivated("5302", stages={"listed": 60})
    suzhou_failed = _cultivated(
        "2301",
        stages={"listed": 85, "in_training": 65, "completed": 45, "applied_for_aeo": 35},
        status=CultivationStatus.NONE,
        training_type="aeo_certification",
    )
    suzhou_old = _cultivated("2301", stages={}, applied_days=800)  # applied long before the period
    CertificationOutcome.objects.create(
        enterprise=futian_certified, applied_on=TODAY - dt.timedelta(days=30), result="passed",
        decided_on=TODAY - dt.timedelta(days=3),
    )  # fmt: skip
    CertificationOutcome.objects.create(
        enterprise=suzhou_failed, applied_on=TODAY - dt.timedelta(days=35), result="failed",
        decided_on=TODAY - dt.timedelta(days=5),
    )  # fmt: skip
    type(suzhou_failed).objects.filter(pk=suzhou_failed.pk).update(application_bar_until=TODAY + dt.timedelta(days=360))
    shenzhen_session = _session_with_register(
        base_slug="shenzhen",
        enterprises=[futian_certified, futian_training, bay_listed],
        statuses=["present", "late", "absent"],
    )
    suzhou_session = _session_with_register(
        base_slug="suzhou", enterprises=[suzhou_failed], statuses=["present"], days=1
    )
    course = make_course("appraisal-course", training_type="aeo_certification")
    learners = [staff_of(e) for e in (futian_certified, futian_training, suzhou_failed)]
    for i, person in enumerate(learners):
        Enrolment.objects.create(
            user=person, course_key=course.translation_key, enrolled_at=days_ago(30),
            completed_at=days_ago(5) if i != 1 else None,
        )  # fmt: skip
    live = live_session(starts_at=days_ago(15), minutes=60, course_key=course.translation_key)
    for person, attended in ((learners[0], True), (learners[1], False), (learners[2], True)):
        Registration.objects.create(
            session=live, user=person, enterprise=person.enterprise, attended_at=days_ago(15) if attended else None
        )
    exam = make_exam(results_released_at=NOW)
    _attempt(exam, learners[0], passed=True)
    _attempt(exam, learners[1], passed=False)
    _attempt(exam, learners[1], passed=True, number=2)
    _attempt(exam, learners[2], passed=False)
    _readiness(futian_certified, "ready")
    _readiness(futian_training, "nearly_ready")
    _readiness(suzhou_failed, "not_ready")
    return {
        "shenzhen_session": shenzhen_session,
        "suzhou_session": suzhou_session,
        "course": course,
        "live": live,
        "exam": exam,
        "enterprises": [futian_certified, futian_training, bay_listed, suzhou_failed, suzhou_old],
    }


def _dashboard(user, **filters):
    viewer = user.customs_unit_id
    return selectors.appraisal_dashboard(
        district_ids=appraisal_unit_ids(user),
        viewer_unit_id=viewer,
        period=rules.period(start=filters.pop("start", None), end=None, today=TODAY),
        today=TODAY,
        **filters,
    )


def _reached(stages):
    return [s.reached for s in stages]


# --- figures per level -----------------------------------------------------------------------------


def test_gacc_sees_every_district_regional_its_own_and_local_itself(world):
    gacc = _dashboard(officer("0000"))
    assert _reached(gacc.funnel.stages) == [4, 4, 3, 2, 2, 1]
    assert gacc.funnel.cohort == 4
    rows = {row.unit.code: _reached(row.stages) for row in gacc.rows}
    assert rows["5300"] == [3, 3, 2, 1, 1, 1]
    assert rows["2300"] == [1, 1, 1, 1, 1, 0]
    assert rows["0000"] == [0] * 6
    conversion = [s.conversion for s in gacc.funnel.stages]
    assert conversion[1:] == [1.0, 0.75, pytest.approx(2 / 3), 1.0, 0.5]
    # Median days applied → listed: Futian 10 and 20, Bay 30, Suzhou 5 → 15.
    assert gacc.funnel.stages[1].median_days == 15.0

    shenzhen = _dashboard(officer("5300"))
    assert _reached(shenzhen.funnel.stages) == [3, 3, 2, 1, 1, 1]
    assert {row.unit.code: _reached(row.stages)[0] for row in shenzhen.rows} == {
        "5300": 0,
        "5301": 2,
        "5302": 1,
        "5303": 0,
    }

    futian = _dashboard(officer("5301"))
    assert _reached(futian.funnel.stages) == [2, 2, 2, 1, 1, 1]
    assert [row.unit.code for row in futian.rows] == ["5301"]
    assert futian.training.seats == 2 and futian.exams.graded == 3 and futian.learning.enrolled == 2


def test_other_sources_by_level(world):
    gacc = _dashboard(officer("0000"))
    assert gacc.training.sessions_held == 2
    assert gacc.training.hours_delivered == 24.0  # 2 days x 8 h at Shenzhen + 8 h at Suzhou
    assert (gacc.training.seats, gacc.training.days_recorded, gacc.training.days_attended) == (4, 7, 5)
    assert gacc.training.trainee_hours == 40.0
    assert (gacc.learning.enrolled, gacc.learning.completed) == (3, 2)
    assert (gacc.live.registered, gacc.live.attended) == (3, 2)
    assert (gacc.exams.graded, gacc.exams.passed, gacc.exams.candidates) == (4, 2, 3)
    assert gacc.readiness == {"ready": 1, "nearly_ready": 1, "not_ready": 1}
    assert (gacc.outcomes.filed, gacc.outcomes.passed, gacc.outcomes.failed, gacc.outcomes.barred) == (2, 1, 1, 1)
    assert (gacc.satisfaction.invited, gacc.consultations.asked) == (0, 0)  # none in this world

    nanjing = _dashboard(officer("2300"))
    assert nanjing.training.sessions_held == 1  # the Suzhou base is Nanjing's
    assert (nanjing.training.seats, nanjing.training.days_attended) == (1, 1)
    assert (nanjing.outcomes.passed, nanjing.outcomes.failed) == (0, 1)
    assert nanjing.readiness == {"not_ready": 1}


def test_filters_narrow_by_training_type_base_and_period(world):
    gacc = officer("0000")
    aeo = _dashboard(gacc, training_type="aeo_certification")
    assert _reached(aeo.funnel.stages) == [2, 2, 2, 2, 2, 1]
    assert aeo.training.sessions_held == 0  # the sessions are compliance training
    assert aeo.learning.enrolled == 3 and aeo.live.registered == 3
    compliance = _dashboard(gacc, training_type="compliance")
    assert compliance.learning.enrolled == 0 and compliance.live.registered == 0
    suzhou = _dashboard(gacc, base_slug="suzhou")
    assert (suzhou.training.sessions_held, suzhou.training.seats) == (1, 1)
    assert suzhou.exams.graded == 0  # online attempts have no base
    recent = _dashboard(gacc, start=TODAY - dt.timedelta(days=12))
    assert recent.funnel.cohort == 0 and recent.training.sessions_held == 0
    assert recent.exams.graded == 4 and (recent.outcomes.passed, recent.outcomes.failed) == (1, 1)


# --- the same figures as the apps' own pages ---------------------------------------------------------


def test_figures_match_the_apps_own_pages(world, client):
    gacc_officer = officer("0000")
    data = _dashboard(gacc_officer)
    client.force_login(gacc_officer)

    # trainees: the enterprise list filtered by status.
    for status in (CultivationStatus.LISTED, CultivationStatus.IN_TRAINING, CultivationStatus.CERTIFIED):
        listed = trainee_selectors.enterprise_list(user=gacc_officer, status=status).count()
        assert data.funnel.now_at.get(status, 0) == listed
        page = client.get(reverse("trainees:enterprise_list"), {"status": status})
        assert page.status_code == 200
    # training bases: the rosters of the period's sessions.
    present = recorded = 0
    for session in (world["shenzhen_session"], world["suzhou_session"]):
        roster = training_selectors.roster(session=session)
        for booking in roster["confirmed"]:
            statuses = [r.status for r in booking.attendance_by_day.values()]
            recorded += len(statuses)
            present += sum(s in training_rules.ATTENDED for s in statuses)
    assert (data.training.days_recorded, data.training.days_attended) == (recorded, present)
    # courses: the trainers' course statistics.
    [stats] = course_selectors.course_statistics(courses=[world["course"]])
    assert (data.learning.enrolled, data.learning.completed) == (stats.enrolled, stats.completed)
    # live: the attendance report.
    report = live_selectors.attendance_report(session=world["live"], registrations=Registration.objects.all())
    assert (data.live.registered, data.live.attended) == (len(report), sum(r.attended for r in report))
    # exams: the results page.
    attempts = client.get(reverse("exams:results", kwargs={"exam_id": world["exam"].pk})).context["attempts"]
    graded = [a for a in attempts if a.state == Attempt.State.GRADED]
    assert (data.exams.graded, data.exams.passed) == (len(graded), sum(bool(a.passed) for a in graded))
    # readiness: the district dashboard.
    assert data.readiness == readiness_selectors.readiness_dashboard(user=gacc_officer)["counts"]
    # feedback: each enterprise's AEO certification page.
    outcomes = [o for e in world["enterprises"] for o in selectors.outcome_list(enterprise=e)]
    assert data.outcomes.passed == sum(o.result == "passed" for o in outcomes)
    assert data.outcomes.failed == sum(o.result == "failed" for o in outcomes)


def test_district_figures_match_the_district_officers_pages(world):
    shenzhen = officer("5300")
    data = _dashboard(shenzhen)
    assert data.readiness == readiness_selectors.readiness_dashboard(user=shenzhen)["counts"]
    for status in (CultivationStatus.LISTED, CultivationStatus.IN_TRAINING, CultivationStatus.CERTIFIED):
        assert (
            data.funnel.now_at.get(status, 0) == trainee_selectors.enterprise_list(user=shenzhen, status=status).count()
        )


# --- query count does not grow with rows -----------------------------------------------------------


def _grow(n):
    for i in range(n):
        e = _cultivated("5302" if i % 2 else "2302", stages={"listed": 50, "in_training": 30}, applied_days=60)
        person = staff_of(e)
        Enrolment.objects.create(user=person, course_key=uuid.uuid4(), enrolled_at=days_ago(20))
        _readiness(e, "not_ready")


@pytest.mark.parametrize("extra", [0, 12])
def test_dashboard_query_count_is_constant(world, extra, django_assert_max_num_queries):
    _grow(extra)
    gacc = officer("0000")
    with django_assert_max_num_queries(18):
        data = _dashboard(gacc)
    assert data.funnel.cohort == 4 + extra


@pytest.mark.parametrize("extra", [0, 12])
def test_dashboard_page_query_count_is_constant(world, extra, client, django_assert_max_num_queries):
    _grow(extra)
    client.force_login(officer("0000"))
    url = reverse("feedback:appraisal")
    client.get(url)
    with django_assert_max_num_queries(32):
        response = client.get(url)
    assert response.status_code == 200


# --- pages, exports, access -----------------------------------------------------------------------


def test_page_shows_all_districts_for_gacc_and_only_its_own_for_a_district(world, client):
    client.force_login(officer("0000"))
    body = client.get(reverse("feedback:appraisal")).content.decode()
    assert 'data-unit="5300"' in body and 'data-unit="2300"' in body
    assert 'data-stage="certified" data-reached="1"' in body
    client.force_login(officer("5300"))
    body = client.get(reverse("feedback:appraisal")).content.decode()
    assert 'data-unit="5301"' in body and 'data-unit="5302"' in body and 'data-unit="2300"' not in body
    # Asking for another district's unit falls back to the officer's own units.
    nanjing = unit("2300")
    response = client.get(reverse("feedback:appraisal"), {"unit": nanjing.pk})
    assert response.status_code == 200 and 'data-unit="2300"' not in response.content.decode()


def test_gacc_narrows_to_one_district(world, client):
    client.force_login(officer("0000"))
    response = client.get(reverse("feedback:appraisal"), {"unit": unit("2300").pk})
    assert [row.unit.code for row in response.context["data"].rows] == ["2300", "2301", "2302", "2303"]
    assert response.context["data"].funnel.cohort == 1


@pytest.mark.parametrize(
    "query",
    [
        {"start": "not-a-date", "end": "2026-13-45"},
        {"type": "<script>", "base": "mars", "unit": "99999999999999999999"},
        {"start": "2030-01-01", "end": "1999-01-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
    ],
)
def test_bad_filters_fall_back(client, query):
    client.force_login(officer("5300"))
    assert client.get(reverse("feedback:appraisal"), query).status_code == 200


def test_enterprise_staff_and_trainers_are_refused(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    for name in ("feedback:appraisal", "feedback:appraisal_xlsx", "feedback:appraisal_pdf"):
        assert client.get(reverse(name)).status_code == 403


def test_xlsx_export_has_the_funnel_and_the_figures(world, client):
    client.force_login(officer("5300"))
    response = client.get(reverse("feedback:appraisal_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[2] is not None and not isinstance(r[2], int | float))
    funnel = rows[header + 1 : header + 7]
    assert [r[2] for r in funnel] == [3, 3, 2, 1, 1, 1]
    assert [r[3] for r in funnel][1:] == [100.0, pytest.approx(66.7), 50.0, 100.0, 100.0]
    by_unit = rows[header + 7 : header + 7 + 4 * 6]
    units = [unit(code) for code in ("5300", "5301", "5302", "5303")]
    assert all(r[0] in (u.name_zh, u.name_en) for r, u in zip(by_unit[::6], units, strict=True))
    assert [r[2] for r in by_unit[6:12]] == [2, 2, 2, 1, 1, 1]  # Futian


def test_pdf_export_renders_chinese(world, client):
    import subprocess

    client.force_login(officer("0000"))
    response = client.get(reverse("feedback:appraisal_pdf"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    flat = "".join(text.decode().split())  # narrow table cells wrap names over lines
    assert "培训成效评估" in flat
    assert "深圳海关" in flat and "南京海关" in flat


# --- filters: what was read and why ---------------------------------------------------------------


def _notes(response) -> str:
    content = response.content.decode()
    assert response.status_code == 200
    if 'id="appraisal-filter-notes"' not in content:
        return ""
    return content.split('id="appraisal-filter-notes"', 1)[1].split("</div>", 1)[0]


def test_corrected_dates_are_explained_beside_the_filter(client):
    client.force_login(officer("5300"))
    assert _notes(client.get(reverse("feedback:appraisal"))) == ""
    reversed_ = client.get(reverse("feedback:appraisal"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert reversed_.context["data"].period == rules.Period(dt.date(2026, 1, 1), dt.date(2026, 5, 1))
    assert "开始日期（2026-05-01）晚于结束日期（2026-01-01）" in _notes(reversed_)
    unreadable = client.get(reverse("feedback:appraisal"), {"start": "2026-13-45"})
    default_start = unreadable.context["data"].period.start.isoformat()
    assert "“2026-13-45”不是日期" in _notes(unreadable) and default_start in _notes(unreadable)
    ancient = client.get(reverse("feedback:appraisal"), {"start": "0001-01-01"})
    used = ancient.context["data"].period.start.isoformat()
    assert "统计期最长十年" in _notes(ancient) and "0001-01-01" in _notes(ancient) and used in _notes(ancient)
    # Chinese dates and full-width digits are read, not replaced.
    chinese = client.get(reverse("feedback:appraisal"), {"start": "２０２６年１月１日", "end": "2026/5/1"})
    assert chinese.context["data"].period == rules.Period(dt.date(2026, 1, 1), dt.date(2026, 5, 1))
    assert _notes(chinese) == ""
    with translation.override("en"):
        english = client.get(reverse("feedback:appraisal"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert "the two dates were swapped" in _notes(english)


def test_a_district_officer_is_offered_only_the_training_bases_of_the_district(client):
    client.force_login(officer("5300"))
    response = client.get(reverse("feedback:appraisal"))
    assert [b.slug for b in response.context["filters"]["bases"]] == ["shenzhen"]
    content = response.content.decode()
    assert 'value="shenzhen"' in content and 'value="suzhou"' not in content and 'value="guangzhou"' not in content
    other = client.get(reverse("feedback:appraisal"), {"base": "suzhou"})
    assert other.context["data"].base_slug == "" and "suzhou" in _notes(other)
    client.force_login(officer("0000"))
    gacc = client.get(reverse("feedback:appraisal"))
    assert [b.slug for b in gacc.context["filters"]["bases"]] == ["guangzhou", "shenzhen", "suzhou"]
    client.force_login(officer("5301"))
    assert 'name="base"' not in client.get(reverse("feedback:appraisal")).content.decode()


def test_unknown_type_and_district_are_named_too(client):
    client.force_login(officer("5300"))
    response = client.get(reverse("feedback:appraisal"), {"type": "<b>x</b>", "unit": unit("2300").pk})
    notes = _notes(response)
    assert "&lt;b&gt;x&lt;/b&gt;" in notes and "<b>x</b>" not in notes
    assert "不在您可考核的范围内" in notes
    assert response.context["filters"]["unit_id"] is None
