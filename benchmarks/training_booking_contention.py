"""200 clients book one 10-seat session at the same moment on PostgreSQL.

Prints confirmed and waitlisted counts, booking latency (p50/p95/max) and the time each client
waited for the session-row lock. Clients run on their own connections (CLIENTS threads, all
released by one barrier), so the figure includes real lock contention.
Run: .venv/bin/python benchmarks/training_booking_contention.py  (PostgreSQL on 127.0.0.1:5432)"""

import os
import random
import statistics
import threading
import time

import scratch_db

DB_NAME = "lms_training_booking_bench"
scratch_db.configure(DB_NAME, DATABASE_CONN_MAX_AGE="0")

CLIENTS = 200
CAPACITY = 10
# PostgreSQL's default max_connections is 100: at most this many clients hold a connection at once.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "80"))


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:

    scratch_db.recreate(DB_NAME)

    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from notices import tasks
    from trainees.models import CustomsUnit, Enterprise, User
    from trainees.validators import credit_code_check_character
    from training_bases import services
    from training_bases.models import Booking, Room, TrainingBase, TrainingSession

    call_command("migrate", verbosity=0)
    unit = CustomsUnit.objects.get(code="0000")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name_zh=f"并发企业{i}",
            credit_code=(lambda f: f + credit_code_check_character(f))(f"91440300MD{i:07d}"),
            customs_unit=unit,
        )
        for i in range(CLIENTS)
    )
    users = User.objects.bulk_create(
        User(email=f"client{i}@example.com", enterprise=e, position="customs_affairs", password="!")
        for i, e in enumerate(enterprises)
    )
    room = Room.objects.create(base=TrainingBase.objects.get(slug="shenzhen"), name_zh="并发教室", capacity=CAPACITY)
    start = timezone.now() + dt.timedelta(days=7)
    session = TrainingSession.objects.create(
        title_zh="并发场次",
        training_type="compliance",
        base=room.base,
        room=room,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=8),
        capacity=CAPACITY,
        status="open",
    )
    priorities = list(range(1, CLIENTS + 1))
    random.Random(3).shuffle(priorities)
    connection.close()

    tasks.send_notices.delay = lambda ids: None  # queued to a broker in production
    lock_waits: list[float] = []
    original_lock = services._lock_sessions

    def timed_lock(ids):
        t = time.perf_counter()
        result = original_lock(ids)
        lock_waits.append(time.perf_counter() - t)
        return result

    services._lock_sessions = timed_lock
    latencies: list[float] = []
    errors: list[Exception] = []
    gate = threading.BoundedSemaphore(CONNECTIONS)
    barrier = threading.Barrier(CLIENTS)

    def client(user, priority):
        try:
            barrier.wait(timeout=120)
            with gate:
                t = time.perf_counter()
                services.booking_create(user=user, session_id=session.pk, priority=priority)
                latencies.append(time.perf_counter() - t)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(u, pr)) for u, pr in zip(users, priorities, strict=True)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall

    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    waitlist = list(
        Booking.objects.filter(session=session, status="waitlisted")
        .order_by("priority", "created_at", "pk")
        .values_list("priority", flat=True)
    )
    ms = [v * 1000 for v in latencies]
    waits = [v * 1000 for v in lock_waits]
    print(f"{CLIENTS} concurrent clients, {CAPACITY} seats, {CONNECTIONS} connections at most, errors: {len(errors)}")
    print(f"  confirmed {statuses.count('confirmed')}, waitlisted {statuses.count('waitlisted')}")
    print(f"  waitlist in priority order: {waitlist == sorted(waitlist)}")
    print(f"  booking latency: p50 {statistics.median(ms):.1f} ms, p95 {p(ms, 0.95):.1f} ms, max {max(ms):.1f} ms")
    print(
        f"  lock wait:       p50 {statistics.median(waits):.1f} ms, p95 {p(waits, 0.95):.1f} ms, max {max(waits):.1f} ms"
    )
    print(f"  wall time {wall:.2f} s, {CLIENTS / wall:.0f} bookings/s")


if __name__ == "__main__":
    main()
