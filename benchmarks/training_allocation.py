"""Allocate 10,000 listed trainees into 200 sessions across the three training bases.

1. Rules only (`training_bases.rules.allocate`, a pure function): target under 2 s.
2. End to end on PostgreSQL (target under 20 s): a scratch database (dropped and recreated) is
   migrated and loaded with a published key training list of 10,000 people (2,000 enterprises,
   5 people each, ranked base preferences) and 200 sessions; then `allocation_preview` and
   `allocation_confirm` run as an officer would. E-mails are queued to Celery (not sent inline),
   as with a worker in production.
Run: .venv/bin/python benchmarks/training_allocation.py  (PostgreSQL on 127.0.0.1:5432)"""

import datetime as dt
import random
import statistics
import time

import scratch_db

DB_NAME = "lms_training_alloc_bench"
scratch_db.configure(DB_NAME)

PEOPLE = 10_000
SESSIONS = 200
BASES = ("suzhou", "shenzhen", "guangzhou")
POSITIONS = ("legal_representative", "senior_management", "customs_affairs", "finance", "internal_control")
T0 = dt.datetime(2027, 3, 1, 1, 0, tzinfo=dt.UTC)


def preferences(rng: random.Random) -> tuple[str, ...]:
    bases = list(BASES)
    rng.shuffle(bases)
    return tuple(bases[: rng.randint(0, 3)])


def rules_benchmark() -> None:
    from training_bases import rules

    rng = random.Random(7)
    candidates = [
        rules.Candidate(
            key=str(i),
            user_id=i,
            person_name=f"P{i}",
            enterprise_id=i // 5,
            position=POSITIONS[i % 5],
            priority=i,
            base_preferences=preferences(rng),
        )
        for i in range(1, PEOPLE + 1)
    ]
    rng.shuffle(candidates)
    slots = [
        rules.SessionSlot(
            session_id=i,
            base_slug=BASES[i % 3],
            starts_at=T0 + dt.timedelta(days=i // 3),
            capacity=45,
            reserved_leadership=5,
        )
        for i in range(1, SESSIONS + 1)
    ]
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        plan = rules.allocate(candidates, slots)
        timings.append(time.perf_counter() - start)
    print("Rules only (pure function), 10,000 trainees x 200 sessions (9,000 seats):")
    print(f"  best {min(timings):.3f} s, median {statistics.median(timings):.3f} s over 5 runs (target < 2 s)")
    print(f"  placed {plan.counts['placed']}, waitlisted {plan.counts['waitlisted']}, skipped {plan.counts['skipped']}")


def end_to_end_benchmark() -> None:

    scratch_db.recreate(DB_NAME)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notices import tasks
    from trainees.models import (
        CustomsUnit,
        Enterprise,
        KeyListEntry,
        NominatedTrainee,
        SelectionDecision,
        SelectionPolicy,
        SelectionRound,
        TrainingApplication,
        User,
    )
    from trainees.validators import credit_code_check_character
    from training_bases import services
    from training_bases.models import Booking, Room, TrainingBase, TrainingSession

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"\nEnd to end on PostgreSQL ({DB_NAME}); migrated in {time.perf_counter() - t0:.1f} s")

    rng = random.Random(11)
    unit = CustomsUnit.objects.get(code="0000")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"基准企业{i}",
            credit_code=(lambda f: f + credit_code_check_character(f))(f"91440300MC{i:07d}"),
            customs_unit=unit,
            cultivation_status="listed",
        )
        for i in range(PEOPLE // 5)
    )
    users = User.objects.bulk_create(
        User(
            email=f"bench{i}@example.com",
            last_name="基",
            first_name=f"准{i}",
            enterprise=enterprises[i // 5],
            position=POSITIONS[i % 5],
            password="!",
        )
        for i in range(PEOPLE)
    )
    policy = SelectionPolicy.objects.create(version=99, name="bench", is_active=False)
    round_ = SelectionRound.objects.create(
        name="bench", customs_unit=unit, policy=policy, status="published", applications_close_on=dt.date(2027, 1, 1)
    )
    applications = TrainingApplication.objects.bulk_create(
        TrainingApplication(
            round=round_,
            enterprise=e,
            training_type="compliance",
            willingness="strong",
            preferred_bases=list(preferences(rng)),
        )
        for e in enterprises
    )
    decisions = SelectionDecision.objects.bulk_create(
        SelectionDecision(
            round=round_, application=a, outcome="listed", rank=i, total=len(applications), policy_version=99
        )
        for i, a in enumerate(applications, start=1)
    )
    nominees = NominatedTrainee.objects.bulk_create(
        NominatedTrainee(application=applications[i // 5], user=u, name=str(u), position=u.position)
        for i, u in enumerate(users)
    )
    KeyListEntry.objects.bulk_create(
        KeyListEntry(
            round=round_,
            decision=decisions[i // 5],
            application=applications[i // 5],
            nominee=n,
            enterprise_id=applications[i // 5].enterprise_id,
            training_type="compliance",
            priority=i + 1,
        )
        for i, n in enumerate(nominees)
    )
    bases = {b.slug: b for b in TrainingBase.objects.all()}
    rooms = Room.objects.bulk_create(
        Room(base=bases[BASES[i % 3]], name_zh=f"教室{i}", capacity=50) for i in range(SESSIONS)
    )
    start = timezone.now() + dt.timedelta(days=30)
    TrainingSession.objects.bulk_create(
        TrainingSession(
            title_zh=f"场次{i}",
            training_type="compliance",
            base=room.base,
            room=room,
            starts_at=start + dt.timedelta(days=i // 3),
            ends_at=start + dt.timedelta(days=i // 3, hours=8),
            capacity=45,
            reserved_leadership_seats=5,
            status="draft",
        )
        for i, room in enumerate(rooms)
    )
    officer = User.objects.create(email="bench-officer@example.com", is_superuser=True, password="!")
    print(f"  loaded {PEOPLE} listed people, {SESSIONS} sessions in {time.perf_counter() - t0:.1f} s (setup)")

    queued = []
    tasks.send_notices.delay = lambda ids: queued.append(len(ids))  # a broker would take them

    with CaptureQueriesContext(connection) as q1:
        t1 = time.perf_counter()
        run = services.allocation_preview(actor=officer, training_type="compliance")
        preview_s = time.perf_counter() - t1
    with CaptureQueriesContext(connection) as q2:
        t2 = time.perf_counter()
        services.allocation_confirm(actor=officer, run_id=run.pk)
        confirm_s = time.perf_counter() - t2
    counts = dict(Booking.objects.values_list("status").annotate(n=django.db.models.Count("id")).order_by())
    print(f"  preview:  {preview_s:.2f} s, {len(q1)} queries")
    print(f"  confirm:  {confirm_s:.2f} s, {len(q2)} queries (re-plans under locks, writes bookings and notices)")
    print(f"  total:    {preview_s + confirm_s:.2f} s (target < 20 s)")
    print(f"  bookings: {counts}; notices queued: {sum(queued)} in {len(queued)} tasks")


if __name__ == "__main__":
    rules_benchmark()
    end_to_end_benchmark()
