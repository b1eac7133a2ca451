"""Readiness report speed (issue 16): recompute N enterprises (default 10,000; each with a
submitted full 2026 self-assessment, five years of figures and 5 trainees, two of them with a
completed AEO certification course) as the nightly worker job does; one enterprise's report page
(server time, queries at 1 and 40 history entries); the district dashboard's queries at two sizes.

Targets: recompute 10,000 < 60 s; report page < 100 ms with a constant query count; dashboard
query count constant. Runs on a scratch PostgreSQL database.
Run: .venv/bin/python benchmarks/readiness_report.py [N]"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scratch_db

DB = "bench_readiness_report"
scratch_db.configure(DB)
scratch_db.recreate(DB)

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

call_command("migrate", verbosity=0)

from courses.models import Enrolment  # noqa: E402
from readiness import report_services, services  # noqa: E402
from readiness.models import (  # noqa: E402
    AssessmentVersion,
    CriteriaEdition,
    FinancialYear,
    Judgement,
    ReadinessRecord,
    SelfAssessment,
)
from trainees.models import CustomsUnit, Enterprise, Position, User  # noqa: E402
from trainees.roles import Role  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
today = timezone.localdate()
unit = CustomsUnit.objects.create(code="B001", name_zh="基准海关", level="local")
edition = CriteriaEdition.objects.get(code="2026-advanced")
FIGURES = {
    "total_assets": 1000, "total_liabilities": 500, "cash": 100, "current_assets": 400, "current_liabilities": 300,
    "operating_cash_flow": 80, "revenue": 2000, "operating_profit": 60, "net_profit": 50, "gross_profit": 300,
}  # fmt: skip
POSITIONS = [
    Position.LEGAL_REPRESENTATIVE,
    Position.SENIOR_MANAGEMENT,
    Position.CUSTOMS_AFFAIRS,
    Position.FINANCE,
    Position.IT,
]

# One real submission gives the frozen version every enterprise copies.
start = time.perf_counter()
first = Enterprise.objects.create(name_zh="基准企业0", credit_code="91320500MA0000000X", customs_unit=unit)
first_user = User.objects.create_user(
    email="bench0@example.com", password="x", enterprise=first, position=Position.LEGAL_REPRESENTATIVE
)
from allauth.account.models import EmailAddress  # noqa: E402

EmailAddress.objects.create(user=first_user, email=first_user.email, verified=True, primary=True)
for offset in range(5):
    FinancialYear.objects.create(enterprise=first, year=today.year - 1 - offset, **FIGURES, audit_opinion="unqualified")
assessment = services.assessment_start(enterprise=first, edition=edition, user=first_user)
Judgement.objects.filter(assessment=assessment).update(value="meets")
template = services.assessment_submit(assessment=assessment, user=first_user, today=today)

enterprises = Enterprise.objects.bulk_create(
    [Enterprise(name_zh=f"基准企业{n}", credit_code=f"9132{n:013d}X"[:18], customs_unit=unit) for n in range(1, N)],
    batch_size=2000,
)
enterprises = [first, *enterprises]
password = make_password("x")
users = User.objects.bulk_create(
    [
        User(
            email=f"b{e.pk}-{i}@example.com",
            password=password,
            enterprise=e,
            position=POSITIONS[i],
            last_name=f"员工{i}",
        )
        for e in enterprises[1:]
        for i in range(5)
    ],
    batch_size=5000,
)
FinancialYear.objects.bulk_create(
    [
        FinancialYear(enterprise=e, year=today.year - 1 - o, **FIGURES, audit_opinion="unqualified")
        for e in enterprises[1:]
        for o in range(5)
    ],
    batch_size=5000,
)
assessments = SelfAssessment.objects.bulk_create(
    [SelfAssessment(enterprise=e, edition=edition) for e in enterprises[1:]], batch_size=5000
)
AssessmentVersion.objects.bulk_create(
    [
        AssessmentVersion(
            assessment=a, number=1, submitted_at=template.submitted_at, outcome=template.outcome, score=template.score,
            blocking=template.blocking, financial=template.financial, snapshot=template.snapshot,
        )
        for a in assessments
    ],
    batch_size=2000,
)  # fmt: skip
from courses.models import CoursePage  # noqa: E402

course = CoursePage.objects.filter(training_type="aeo_certification").first()
if course is not None:
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=u, course_key=course.translation_key, enrolled_at=timezone.now(), completed_at=timezone.now()
            )
            for u in users
            if u.position in (Position.LEGAL_REPRESENTATIVE, Position.CUSTOMS_AFFAIRS)
        ],
        batch_size=5000,
    )
print(f"data for {N} enterprises ({len(users) + 1} people) built in {time.perf_counter() - start:.1f} s")

print(f"load average before recomputing: {os.getloadavg()[0]:.1f} (2 cores)")
start = time.perf_counter()
cpu = time.process_time()
count = report_services.recompute_all()
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu
statuses = dict(
    ReadinessRecord.objects.filter(is_latest=True).values_list("status").annotate(n=django.db.models.Count("id"))
)
print(
    f"recompute {count} enterprises in one worker process, chunks of {report_services.CHUNK_SIZE}: {elapsed:.1f} s wall "
    f"({elapsed / count * 1000:.2f} ms each; this process's CPU {cpu:.1f} s); {statuses}; "
    f"load average now {os.getloadavg()[0]:.1f}"
)


def page(user, enterprise) -> tuple[int, float]:
    client = Client()
    client.force_login(user)
    url = reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})
    client.get(url)
    timings, cpu = [], []
    for _ in range(20):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        timings.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries), statistics.median(timings), statistics.median(cpu)


with override_settings(ALLOWED_HOSTS=["testserver"]):
    q1, t1, c1 = page(first_user, first)
    for _ in range(40):
        report_services.readiness_recompute(enterprise_id=first.pk)
    q2, t2, c2 = page(first_user, first)
    print(
        f"report page ({len(template.snapshot['sub_items'])} sub-items): history 2: {q1} queries, median {t1:.0f} ms "
        f"(CPU {c1:.0f} ms); history 42: {q2} queries, median {t2:.0f} ms (CPU {c2:.0f} ms); "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    gacc = User.objects.create_user(
        email="gacc@example.com", password="x", customs_unit=CustomsUnit.objects.get(code="0000")
    )
    from django.contrib.auth.models import Group

    EmailAddress.objects.create(user=gacc, email=gacc.email, verified=True, primary=True)
    gacc.groups.add(Group.objects.get(name=Role.CUSTOMS_OFFICER.value))
    client = Client()
    client.force_login(gacc)
    url = reverse("readiness:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        client.get(url)
        dash_ms = (time.perf_counter() - t) * 1000
    ReadinessRecord.objects.filter(enterprise_id__in=[e.pk for e in enterprises[N // 2 :]]).delete()
    with CaptureQueriesContext(connection) as half:
        client.get(url)
    print(
        f"dashboard: {N} enterprises: {len(queries)} queries ({dash_ms:.0f} ms); {N // 2} enterprises: {len(half)} queries"
    )
