"""Publish a key training list of 10,000 entries to PostgreSQL (target: under 15 s).

Uses a scratch database (dropped and recreated on each run), migrates it, loads 3,400
applications with 3 nominated people each (10,200 people) and 10,000 seats, then times
`trainees.services.round_publish`. Prints seconds and the query count.
Run: .venv/bin/python benchmarks/trainees_publish.py  (PostgreSQL on 127.0.0.1:5432)"""

import time
from datetime import UTC, date, datetime, timedelta

import scratch_db

DB_NAME = "lms_trainees_bench"
scratch_db.configure(DB_NAME)
scratch_db.recreate(DB_NAME)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from trainees import services  # noqa: E402
from trainees.models import (  # noqa: E402
    CustomsUnit,
    Enterprise,
    KeyListEntry,
    NominatedTrainee,
    RoundCapacity,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
)
from trainees.validators import credit_code_check_character  # noqa: E402

APPLICATIONS = 3_400
PEOPLE = 3
SEATS = {"suzhou": 3_334, "shenzhen": 3_333, "guangzhou": 3_333}  # 10,000


def credit_code(n: int) -> str:
    first17 = f"91440300MB{n:07d}"
    return first17 + credit_code_check_character(first17)


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate:             {time.perf_counter() - t0:.1f} s")
    unit = CustomsUnit.objects.get(code="5301")
    policy = SelectionPolicy.objects.create(version=1, name="bench", is_active=True)
    round_ = SelectionRound.objects.create(
        name="bench",
        customs_unit=CustomsUnit.objects.get(code="5300"),
        policy=policy,
        applications_close_on=date(2027, 1, 10),
        status=SelectionRound.Status.CLOSED,
    )
    RoundCapacity.objects.bulk_create(
        RoundCapacity(round=round_, training_type="compliance", base_slug=b, seats=n) for b, n in SEATS.items()
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"基准企业{i}",
            credit_code=credit_code(i),
            customs_code=f"4403{i:06d}",
            customs_unit=unit,
            credit_score=40 + i % 60,
            is_key_enterprise=i % 10 == 0,
            cultivation_status="applied",
        )
        for i in range(APPLICATIONS)
    )
    start = datetime(2026, 12, 1, tzinfo=UTC)
    apps = TrainingApplication.objects.bulk_create(
        TrainingApplication(
            round=round_,
            enterprise=e,
            training_type="compliance",
            willingness="strong" if i % 2 else "moderate",
            planned_aeo_application_date=date(2027, 6, 1),
            preferred_bases=["shenzhen", "guangzhou", "suzhou"],
            submitted_at=start + timedelta(seconds=i),
        )
        for i, e in enumerate(enterprises)
    )
    positions = ["legal_representative", "senior_management", "customs_affairs"]
    NominatedTrainee.objects.bulk_create(
        (
            NominatedTrainee(application=a, name=f"学员{a.id}-{k}", position=positions[k], sort_order=k)
            for a in apps
            for k in range(PEOPLE)
        ),
        batch_size=5_000,
    )
    print(
        f"applications:        {len(apps):,} with {len(apps) * PEOPLE:,} nominated people; seats {sum(SEATS.values()):,}"
    )

    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        services.round_publish(round_id=round_.id, actor=None)
        elapsed = time.perf_counter() - t0
    entries = KeyListEntry.objects.filter(round=round_).count()
    print(f"entries published:   {entries:,}")
    print(f"publish time:        {elapsed:.2f} s (target < 15 s), {len(queries.captured_queries)} queries")
    print(f"database:            PostgreSQL {connection.pg_version // 10000} ({DB_NAME})")
    if entries != 10_000:
        raise SystemExit(f"FAILED: expected 10,000 entries, got {entries}")
    if elapsed >= 15:
        raise SystemExit("FAILED: publishing took 15 s or more")


if __name__ == "__main__":
    main()
