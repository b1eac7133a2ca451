"""Appraisal dashboard speed (issue 17): N enterprises (default 10,000) across the local customs
of every district, with about 100,000 events — training applications, lifecycle status changes
(applied → … → certified), seat bookings and their attendance register, course enrolments, live
observation registrations, exam attempts, readiness reports and AEO certification outcomes.

Prints the dashboard data's server time for a GACC officer (every district) and a local customs
officer, the page's time, and the query counts (the same at both levels and sizes).
Target: dashboard data < 1 s with a query count constant in N. Runs on a scratch PostgreSQL database.
Run: .venv/bin/python benchmarks/appraisal_dashboard.py [N]"""

import datetime as dt
import os
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch_db

DB = "bench_appraisal_dashboard"
scratch_db.configure(DB)
scratch_db.recreate(DB)

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)

from courses.models import Enrolment  # noqa: E402
from exams.models import Attempt, Exam, ExamBlueprint, QuestionBank  # noqa: E402
from feedback import rules, selectors  # noqa: E402
from feedback.models import CertificationOutcome  # noqa: E402
from live.models import LiveSession, Registration  # noqa: E402
from readiness.models import CriteriaEdition, ReadinessRecord  # noqa: E402
from trainees.access import appraisal_unit_ids  # noqa: E402
from trainees.models import (  # noqa: E402
    CultivationEvent,
    CustomsUnit,
    Enterprise,
    Position,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    User,
)
from trainees.roles import Role  # noqa: E402
from training_bases.models import AttendanceRecord, Booking, Room, TrainingBase, TrainingSession  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
now = timezone.now()
today = timezone.localdate()
STAGES = ("applied", "listed", "in_training", "completed", "applied_for_aeo", "certified")
start = time.perf_counter()

locals_ = list(CustomsUnit.objects.filter(level="local").order_by("code"))
enterprises = Enterprise.objects.bulk_create(
    [
        Enterprise(name_zh=f"基准企业{n}", credit_code=f"9144{n:013d}X"[:18], customs_unit=locals_[n % len(locals_)])
        for n in range(N)
    ],
    batch_size=5000,
)
password = make_password("x")
people = User.objects.bulk_create(
    [
        User(email=f"b{e.pk}@example.com", password=password, enterprise=e, position=Position.CUSTOMS_AFFAIRS)
        for e in enterprises
    ],
    batch_size=5000,
)
policy = SelectionPolicy.objects.create(version=99, name="bench", is_active=False)
round_ = SelectionRound.objects.create(
    name="基准轮次", customs_unit=CustomsUnit.objects.get(code="0000"), policy=policy, applications_close_on=today
)


def ago(days: float) -> dt.datetime:
    return now - dt.timedelta(days=days)


applications = TrainingApplication.objects.bulk_create(
    [
        TrainingApplication(
            round=round_,
            enterprise=e,
            training_type="compliance" if i % 2 else "aeo_certification",
            willingness="strong",
            submitted_at=ago(300 - i % 200),
        )
        for i, e in enumerate(enterprises)
    ],
    batch_size=5000,
)
events = []
for i, e in enumerate(enterprises):
    furthest = i % 6  # an even spread over the stages
    for s in range(furthest + 1):
        events.append(
            CultivationEvent(
                enterprise=e,
                action=STAGES[s],
                from_status=STAGES[s - 1] if s else "none",
                to_status=STAGES[s],
                occurred_at=ago(300 - i % 200 - s * 15),
            )
        )
    e.cultivation_status = STAGES[furthest]
CultivationEvent.objects.bulk_create(events, batch_size=10000)
Enterprise.objects.bulk_update(enterprises, ["cultivation_status"], batch_size=5000)

bases = list(TrainingBase.objects.order_by("slug"))
sessions = []
for b in bases:
    room = Room.objects.create(base=b, name_zh=f"基准教室{b.slug}", capacity=500)
    for k in range(40):
        s = ago(250 - k * 5).replace(hour=1, minute=0, second=0, microsecond=0)
        sessions.append(
            TrainingSession(
                title_zh=f"基准培训{b.slug}{k}",
                training_type="compliance" if k % 2 else "aeo_certification",
                base=b,
                room=room,
                starts_at=s,
                ends_at=s + dt.timedelta(days=1, hours=8),
                capacity=500,
                status=TrainingSession.Status.COMPLETED,
            )
        )
sessions = TrainingSession.objects.bulk_create(sessions)
bookings = Booking.objects.bulk_create(
    [
        Booking(
            session=sessions[i % len(sessions)],
            user=p,
            enterprise_id=p.enterprise_id,
            training_type=sessions[i % len(sessions)].training_type,
            status=Booking.Status.CONFIRMED,
        )
        for i, p in enumerate(people)
    ],
    batch_size=5000,
)
register = []
for i, b in enumerate(bookings):
    first = timezone.localtime(b.session.starts_at).date()
    for d in range(2):
        register.append(
            AttendanceRecord(
                booking=b, day=first + dt.timedelta(days=d), status=("present", "late", "absent")[(i + d) % 3]
            )
        )
AttendanceRecord.objects.bulk_create(register, batch_size=10000)
course_key = uuid.uuid4()
Enrolment.objects.bulk_create(
    [
        Enrolment(
            user=p, course_key=course_key, enrolled_at=ago(200 - i % 150), completed_at=ago(10) if i % 3 else None
        )
        for i, p in enumerate(people)
    ],
    batch_size=5000,
)
live = LiveSession.objects.create(
    course_key=course_key, title="基准观摩", observed_enterprise="示范企业", starts_at=ago(100),
    ends_at=ago(100) + dt.timedelta(hours=1), capacity=100000, consent_given=True, is_published=True,
)  # fmt: skip
Registration.objects.bulk_create(
    [
        Registration(session=live, user=p, enterprise_id=p.enterprise_id, attended_at=ago(100) if i % 2 else None)
        for i, p in enumerate(people[: N // 2])
    ],
    batch_size=5000,
)
edition = CriteriaEdition.objects.get(code="2026-advanced")
bank = QuestionBank.objects.create(name="基准题库", audience="enterprise", criteria_edition=edition)
exam = Exam.objects.create(
    title_zh="基准考试", audience="enterprise", blueprint=ExamBlueprint.objects.create(name="基准蓝图", bank=bank),
    results_released_at=now,
)  # fmt: skip
Attempt.objects.bulk_create(
    [
        Attempt(
            exam=exam, user=p, number=1, state=Attempt.State.GRADED, started_at=ago(50), deadline=ago(50),
            submitted_at=ago(50 - i % 40), score=Decimal(7 if i % 4 else 3), max_score=Decimal(10), passed=bool(i % 4),
        )
        for i, p in enumerate(people)
    ],
    batch_size=5000,
)  # fmt: skip
ReadinessRecord.objects.bulk_create(
    [
        ReadinessRecord(
            enterprise=e, computed_at=now, edition_code=edition.code, status=("ready", "nearly_ready", "not_ready")[i % 3],
            score=Decimal(70 + i % 30),
        )
        for i, e in enumerate(enterprises)
    ],
    batch_size=5000,
)  # fmt: skip
CertificationOutcome.objects.bulk_create(
    [
        CertificationOutcome(
            enterprise=e, applied_on=today - dt.timedelta(days=60), result="passed" if i % 2 else "failed",
            decided_on=today - dt.timedelta(days=5),
        )
        for i, e in enumerate(enterprises)
        if i % 6 == 5
    ],
    batch_size=5000,
)  # fmt: skip
total = (
    len(applications) + len(events) + len(bookings) + len(register) + Enrolment.objects.count()
    + Registration.objects.count() + Attempt.objects.count() + CertificationOutcome.objects.count()
)  # fmt: skip
print(f"data: {N} enterprises, {total} events built in {time.perf_counter() - start:.1f} s")
print(
    f"  ({len(applications)} applications, {len(events)} status changes, {len(bookings)} bookings, "
    f"{len(register)} attendance records, {Enrolment.objects.count()} enrolments, "
    f"{Registration.objects.count()} live registrations, {Attempt.objects.count()} attempts)"
)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")


def officer(code: str) -> User:
    user = User.objects.create_user(
        email=f"officer{code}@example.com", password="x", customs_unit=CustomsUnit.objects.get(code=code)
    )
    user.groups.add(Group.objects.get(name=Role.CUSTOMS_OFFICER.value))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def measure(user) -> tuple[int, float, object]:
    ids = appraisal_unit_ids(user)
    period = rules.period(start=None, end=None, today=today)

    def run():
        return selectors.appraisal_dashboard(
            district_ids=ids, viewer_unit_id=user.customs_unit_id, period=period, today=today
        )

    run()
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        data = run()
        timings.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries), statistics.median(timings), data


for code, label in (("0000", "GACC (all districts)"), ("5300", "regional (Shenzhen)"), ("5301", "local (Futian)")):
    user = officer(code)
    queries, ms, data = measure(user)
    stages = " → ".join(str(s.reached) for s in data.funnel.stages)
    print(f"dashboard data, {label}: median {ms:.0f} ms, {queries} queries; funnel {stages}")
    if code == "0000":
        gacc = user

with override_settings(ALLOWED_HOSTS=["testserver"]):
    client = Client()
    client.force_login(gacc)
    url = reverse("feedback:appraisal")
    client.get(url)
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        timings.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"dashboard page, GACC: median {statistics.median(timings):.0f} ms, {len(queries)} queries")
print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")
