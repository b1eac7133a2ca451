"""The seat paths as users hit them, side by side with a raw psycopg version of the same writes.

On a 10,000-person published key training list, in one run:
- booking: 200 clients book one 10-seat session through `services.booking_create` exactly as
  the web view calls it (priority=None: the service looks the person's entry up itself), then
  the raw transaction (lock the session, count confirmed, insert booking, insert notice,
  commit); concurrently (200 threads, at most CONNECTIONS connections) and serially, each on a
  new connection, then serially on connections kept open (as the web server keeps them), where
  the raw transaction's SQL also runs through Django's own connection, cursor and `atomic`
  ("floor": what any Django code doing these writes costs at least);
- cancellation with promotion: 100 confirmed trainees cancel, each freeing a seat for the top
  of a 100-person waitlist (raw: lock, cancel, pick the top waiter, confirm it, two notices);
- allocation confirm: one run placing the list (raw: lock run and sessions, insert the
  bookings and notices in bulk, update sessions and run).
Each side first books and cancels once, untimed (a new process's one-time work: compiling
statements, filling caches). Booking and cancellation run BENCH_ROUNDS rounds (default 3) of
each mode, project and raw in turn; allocation alternates its runs. Prints throughput, p50/p95,
this process's CPU time per operation (the client side: ORM or raw psycopg), errors by kind,
the project/raw ratios of each round, their medians in the summary, and the load average.
Ratios are computed within one run, so they stay meaningful on a busy machine.
BENCH_CONNECTIONS lowers the connection cap when other programs share the PostgreSQL server
(its `max_connections` is printed).
Run: .venv/bin/python benchmarks/training_booking_contention.py  (PostgreSQL on 127.0.0.1:5432)"""

import contextlib
import datetime as dt
import os
import statistics
import threading
import time
import uuid

import scratch_db

DB_NAME = "lms_training_booking_bench"
scratch_db.configure(DB_NAME, DATABASE_CONN_MAX_AGE="0")

CLIENTS = 200
CAPACITY = 10
LIST_SIZE = int(os.environ.get("BENCH_LIST_SIZE", "10000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "80"))  # PostgreSQL's default limit is 100
ALLOCATION_REPEATS = int(os.environ.get("BENCH_ALLOCATION_REPEATS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # booking and cancellation: rounds of each mode
# Which parts run (all by default): booking, cancel, allocation.
RAW_TYPE = "aeo_certification"  # the raw side's sessions when both sides run in turn
PARTS = set(os.environ.get("BENCH_PARTS", "booking,cancel,allocation").split(","))


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run_clients(jobs, concurrent: bool, *, close=True):
    """Run callables; returns (wall seconds, latencies in ms, errors, CPU seconds of this process).
    `close`: each job on a new connection (else Django's connection is kept open)."""
    from django.db import connection

    latencies, errors = [], []
    gate = threading.BoundedSemaphore(CONNECTIONS)
    barrier = threading.Barrier(len(jobs)) if concurrent else None

    def one(job):
        try:
            if barrier:
                barrier.wait(timeout=300)
            with gate:
                t = time.perf_counter()
                job()
                latencies.append((time.perf_counter() - t) * 1000)
        except Exception as exc:  # noqa: BLE001 - reported
            errors.append(exc)
        finally:
            if close:
                connection.close()

    wall, cpu = time.perf_counter(), time.process_time()
    if concurrent:
        threads = [threading.Thread(target=one, args=(j,)) for j in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for j in jobs:
            one(j)
    return time.perf_counter() - wall, latencies, errors, time.process_time() - cpu


def run_alternating(project_jobs, raw_jobs, *, close=True):
    """Serially, one project job then one raw job, in turn; returns {"project": ..., "raw": ...}
    shaped as `run_clients` answers (wall time: the sum of the jobs' own times). `close`: each
    job on a new connection (else Django's connection is kept open, as the web server keeps it)."""
    from django.db import connection

    out = {name: ([], [], 0.0) for name in ("project", "raw")}
    for pair in zip(project_jobs, raw_jobs, strict=True):
        for name, job in zip(("project", "raw"), pair, strict=True):
            latencies, errors, cpu = out[name]
            c, t = time.process_time(), time.perf_counter()
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - reported
                errors.append(exc)
            finally:
                if close:
                    connection.close()
            latencies.append((time.perf_counter() - t) * 1000)
            out[name] = (latencies, errors, cpu + time.process_time() - c)
    return {name: (sum(ms) / 1000, ms, errors, cpu) for name, (ms, errors, cpu) in out.items()}


def line(name, n, wall, ms, errors, cpu):
    kinds = sorted({f"{type(e).__name__}: {str(e).splitlines()[0][:80]}" for e in errors})
    print(
        f"  {name:<8} {n / wall:7.1f}/s  p50 {statistics.median(ms):7.1f} ms  p95 {p(ms, 0.95):7.1f} ms"
        f"  CPU {cpu * 1000 / n:5.1f} ms/op  errors {len(errors)}{'  ' + '; '.join(kinds) if kinds else ''}"
    )
    return n / wall, p(ms, 0.95)


def compare(title, n, project, raw):
    rate_p, p95_p = line("project", n, *project)
    rate_r, p95_r = line("raw", n, *raw)
    print(f"  => throughput ratio {rate_p / rate_r:.2f} (target >= 0.8), p95 ratio {p95_p / p95_r:.2f} (<= 1.25)")
    return title, rate_p / rate_r, p95_p / p95_r


def main() -> None:
    scratch_db.recreate(DB_NAME)
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from notices import tasks
    from notices.models import Notice
    from tests.training_bases.factories import officer, publish_key_list
    from trainees.models import CustomsUnit, Enterprise, KeyListEntry, NominatedTrainee, User
    from trainees.validators import credit_code_check_character
    from training_bases import services
    from training_bases.models import Booking, Room, TrainingBase, TrainingSession

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # as in production: no per-statement query log on either side
    tasks.send_notices.delay = lambda ids: None  # queued to a broker in production
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
    round_ = publish_key_list([(users[0], 1, ("shenzhen",), "customs_affairs")])
    first = KeyListEntry.objects.get(round=round_)
    nominees = NominatedTrainee.objects.bulk_create(
        NominatedTrainee(
            application=first.application,
            user=users[i] if i < CLIENTS else None,
            name=f"名单{i}",
            position="customs_affairs",
        )
        for i in range(1, LIST_SIZE)
    )
    KeyListEntry.objects.bulk_create(
        KeyListEntry(
            round=round_,
            decision=first.decision,
            application=first.application,
            nominee=n,
            enterprise=first.enterprise,
            training_type="compliance",
            priority=i + 2,
        )
        for i, n in enumerate(nominees)
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # what autovacuum does after a list is published
    base = TrainingBase.objects.get(slug="shenzhen")
    counter = iter(range(10**6))

    def new_session(capacity, status="open", days=7, training_type="compliance"):
        room = Room.objects.create(base=base, name_zh=f"教室{next(counter)}", capacity=capacity)
        start = timezone.now() + dt.timedelta(days=days)
        return TrainingSession.objects.create(
            title_zh="并发场次",
            training_type=training_type,
            base=base,
            room=room,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
            capacity=capacity,
            status=status,
        )

    booking_ct = ContentType.objects.get_for_model(Booking).pk
    b_fields = [f for f in Booking._meta.concrete_fields if not f.primary_key]
    n_fields = [f for f in Notice._meta.concrete_fields if not f.primary_key]
    insert_booking = (
        f"INSERT INTO {Booking._meta.db_table} ({', '.join(f.column for f in b_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(b_fields))}) RETURNING id"
    )
    insert_notice = (
        f"INSERT INTO {Notice._meta.db_table} ({', '.join(f.column for f in n_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(n_fields))})"
    )

    def row(fields, **values):
        now = timezone.now()
        out = []
        for f in fields:
            if f.attname in values:
                v = values[f.attname]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                v = now
            else:
                v = f.get_default()
            out.append(f.get_db_prep_save(v, connection))
        return out

    def booking_row(**values):
        return row(b_fields, uid=uuid.uuid4(), **values)

    def notice_row(recipient, target, kind):
        return row(n_fields, recipient_id=recipient, target_type_id=booking_ct, target_id=target, kind=kind)

    dsn = settings.DATABASES["default"]
    conninfo = f"host={dsn['HOST']} port={dsn['PORT']} dbname={dsn['NAME']} user={dsn['USER']}"
    if dsn.get("PASSWORD"):
        conninfo += f" password={dsn['PASSWORD']}"

    def bare_booking(cur, user, session_id, training_type):
        """The bare transaction's statements on any DB-API cursor (the caller opens and commits
        the transaction): lock the session, count confirmed seats, insert the booking and its notice."""
        cur.execute("SELECT capacity FROM training_bases_trainingsession WHERE id = %s FOR UPDATE", [session_id])
        (capacity,) = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM training_bases_booking WHERE session_id = %s AND status = 'confirmed'",
            [session_id],
        )
        confirmed = cur.fetchone()[0] < capacity
        cur.execute(
            insert_booking,
            booking_row(
                session_id=session_id,
                user_id=user.pk,
                enterprise_id=user.enterprise_id,
                training_type=training_type,
                position=user.position,
                status="confirmed" if confirmed else "waitlisted",
            ),
        )
        booking_id = cur.fetchone()[0]
        cur.execute(insert_notice, notice_row(user.pk, booking_id, "confirmation" if confirmed else "waitlist"))

    def raw_book(user, session_id, training_type="compliance", kept=None):
        with contextlib.nullcontext(kept) if kept else psycopg.connect(conninfo) as conn, conn.transaction():
            bare_booking(conn.cursor(), user, session_id, training_type)

    def floor_book(user, session_id, training_type="compliance"):
        """raw_book's statements through Django's own connection, cursor and `atomic`: the least
        any Django code doing these writes costs (the framework's floor)."""
        with transaction.atomic(), connection.cursor() as cur:
            bare_booking(cur, user, session_id, training_type)

    def check_full(session):
        statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
        assert statuses.count("confirmed") == CAPACITY, statuses.count("confirmed")

    def reset():
        Notice.objects.all().delete()
        Booking.objects.all().delete()
        connection.close()

    results = []
    load = os.getloadavg()
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('max_connections')::int, (SELECT count(*) FROM pg_stat_activity)")
        limit, in_use = cur.fetchone()
    print(
        f"key list {LIST_SIZE} people; {CONNECTIONS} connections at most (server: {limit}, {in_use} in use);"
        f" load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )

    # --- Booking, as the web view calls the service -------------------------------------------
    # Serially, project and raw transactions alternate (one each in turn, on two sessions of two
    # training types, so one person may hold both bookings): a change of the machine's load
    # during the run weighs on both alike.
    # Warm-up, untimed: each side books and cancels once on sessions of their own, so the work a
    # new process does once (compiling statements, filling caches, importing modules) is not
    # counted in the first measured run.
    if PARTS & {"booking", "cancel"}:
        for training_type in ("compliance", RAW_TYPE):
            warm = new_session(CAPACITY, training_type=training_type)
            held = services.booking_create(user=users[0], session_id=warm.pk)
            services.booking_create(user=users[1], session_id=warm.pk)
            services.booking_cancel(actor=users[0], booking_id=held.pk)
            raw_book(users[2], warm.pk, training_type)
            floor_book(users[3], warm.pk, training_type)
            TrainingSession.objects.filter(pk=warm.pk).update(status="cancelled")
        reset()

    def measure(title, n, one_round):
        """`one_round()` -> {"project": run, "raw": run}, ROUNDS times (project and raw in turn, so
        a change of the machine's speed weighs on both); the summary takes the median ratios."""
        rates, p95s, floors = [], [], []
        for i in range(ROUNDS):
            runs = one_round()
            print(f"{title}, round {i + 1} of {ROUNDS}")
            _, rate, p95_ratio = compare(title, n, runs["project"], runs["raw"])
            rates.append(rate)
            p95s.append(p95_ratio)
            if "floor" in runs:
                floor_rate, _ = line("floor", n, *runs["floor"])
                raw_rate = n / runs["raw"][0]
                floors.append(floor_rate / raw_rate)
                print(
                    f"  => floor / raw {floor_rate / raw_rate:.2f}"
                    f" (the same SQL as raw through Django), project / floor {rate * raw_rate / floor_rate:.2f}"
                )
        results.append((title, statistics.median(rates), statistics.median(p95s)))
        if floors:
            results.append(("  Django floor (raw's SQL)", statistics.median(floors), float("nan")))

    def booking_round(concurrent, kept=None):
        sessions = {
            "project": new_session(CAPACITY),
            "raw": new_session(CAPACITY, training_type=RAW_TYPE if not concurrent else "compliance"),
        }
        jobs = {
            "project": [
                lambda u=u, s=sessions["project"].pk: services.booking_create(user=u, session_id=s) for u in users
            ],
            "raw": [lambda u=u, s=sessions["raw"]: raw_book(u, s.pk, s.training_type, kept) for u in users],
        }
        if concurrent:
            runs = {}
            for name in ("project", "raw"):
                runs[name] = run_clients(jobs[name], concurrent)
                check_full(sessions[name])
                reset()
            return runs
        runs = run_alternating(jobs["project"], jobs["raw"], close=kept is None)
        for session in sessions.values():
            check_full(session)
        reset()
        if kept is not None:
            # The floor next, on Django's kept connection (its training type is free again).
            floor = new_session(CAPACITY)
            runs["floor"] = run_clients([lambda u=u: floor_book(u, floor.pk) for u in users], False, close=False)
            check_full(floor)
            reset()
        return runs

    for concurrent in (True, False) if "booking" in PARTS else ():
        mode = "200 concurrent" if concurrent else "200 serial"
        print(f"web booking, {mode} (project: booking_create as the view calls it, priority=None)")
        measure(f"booking, {mode}", CLIENTS, lambda concurrent=concurrent: booking_round(concurrent))
    if "booking" in PARTS:
        # As the web server runs them: on connections kept open (CONN_MAX_AGE), both sides.
        print("web booking, 200 serial, connections kept open")
        with psycopg.connect(conninfo) as kept:
            measure("booking, 200 serial, kept open", CLIENTS, lambda: booking_round(False, kept))

    # --- Cancellation with promotion ---------------------------------------------------------
    half = CLIENTS // 2

    def seed_cancel(training_type="compliance"):
        session = new_session(half, training_type=training_type)
        Booking.objects.bulk_create(
            Booking(
                session=session,
                user=u,
                enterprise_id=u.enterprise_id,
                training_type=training_type,
                position=u.position,
                priority=i + 1,
                status="confirmed" if i < half else "waitlisted",
            )
            for i, u in enumerate(users)
        )
        TrainingSession.objects.filter(pk=session.pk).update(status="full")
        ids = list(Booking.objects.filter(session=session, status="confirmed").values_list("pk", "user_id"))
        connection.close()
        return session, ids

    def cancel_jobs(name, session, ids):
        if name == "project":
            return [lambda b=b, u=u: services.booking_cancel(actor=by_id[u], booking_id=b) for b, u in ids]
        return [lambda b=b, u=u, s=session.pk: raw_cancel(b, u, s) for b, u in ids]

    def check_promoted(session):
        confirmed = Booking.objects.filter(session=session, status="confirmed").count()
        assert confirmed == half, confirmed

    def raw_cancel(booking_id, user_id, session_id):
        with psycopg.connect(conninfo) as conn, conn.transaction():
            cur = conn.cursor()
            cur.execute("SELECT capacity FROM training_bases_trainingsession WHERE id = %s FOR UPDATE", [session_id])
            cur.execute(
                "UPDATE training_bases_booking SET status = 'cancelled', cancelled_at = now(), seat_number = NULL,"
                " ics_sequence = ics_sequence + 1, updated_at = now() WHERE id = %s AND status = 'confirmed'",
                [booking_id],
            )
            cur.execute(insert_notice, notice_row(user_id, booking_id, "cancellation"))
            cur.execute(
                "SELECT id, user_id FROM training_bases_booking WHERE session_id = %s AND status = 'waitlisted'"
                " ORDER BY priority, created_at, id LIMIT 1",
                [session_id],
            )
            top = cur.fetchone()
            if top:
                cur.execute(
                    "UPDATE training_bases_booking SET status = 'confirmed', ics_sequence = ics_sequence + 1,"
                    " updated_at = now() WHERE id = %s",
                    [top[0]],
                )
                cur.execute(insert_notice, notice_row(top[1], top[0], "promotion"))

    by_id = {u.pk: u for u in users}

    def cancel_round(concurrent):
        seeded = {"project": seed_cancel()}
        seeded["raw"] = seed_cancel(training_type=RAW_TYPE) if not concurrent else None
        if concurrent:
            runs = {}
            for name in ("project", "raw"):
                session, ids = seeded[name] or seed_cancel()
                runs[name] = run_clients(cancel_jobs(name, session, ids), concurrent)
                check_promoted(session)
                reset()
            return runs
        runs = run_alternating(*(cancel_jobs(name, *seeded[name]) for name in ("project", "raw")))
        for session, _ids in seeded.values():
            check_promoted(session)
        reset()
        return runs

    for concurrent in (True, False) if "cancel" in PARTS else ():
        mode = f"{half} concurrent" if concurrent else f"{half} serial"
        print(f"cancellation with promotion, {mode}")
        measure(f"cancel + promote, {mode}", half, lambda concurrent=concurrent: cancel_round(concurrent))

    # --- Allocation confirm --------------------------------------------------------------------
    def allocation_part():
        TrainingSession.objects.all().update(status="cancelled")
        sessions = [new_session(100, status="draft", days=14 + i) for i in range(10)]
        actor = officer()
        run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
        decisions = [d for d in run.plan["decisions"] if d["session_id"]]
        enterprise_of = dict(KeyListEntry.objects.filter(round=round_).values_list("id", "enterprise_id"))

        raw_connection = []  # kept open between runs in the "warm" mode

        def raw_confirm():
            conn = raw_connection[0] if raw_connection else psycopg.connect(conninfo)
            with conn.transaction():
                cur = conn.cursor()
                cur.execute("SELECT id FROM training_bases_allocationrun WHERE id = %s FOR UPDATE", [run.pk])
                cur.execute(
                    "SELECT id FROM training_bases_trainingsession WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                    [[s.pk for s in sessions]],
                )
                rows = [
                    booking_row(
                        session_id=d["session_id"],
                        user_id=d["user_id"],
                        enterprise_id=enterprise_of[int(d["key"])],
                        training_type="compliance",
                        position="customs_affairs",
                        priority=d["priority"],
                        status="confirmed" if d["outcome"] == "placed" else "waitlisted",
                        source="allocation",
                        allocation_run_id=run.pk,
                    )
                    for d in decisions
                ]
                cur.executemany(insert_booking, rows, returning=True)
                ids = []
                while True:
                    ids.append(cur.fetchone()[0])
                    if not cur.nextset():
                        break
                cur.executemany(
                    insert_notice,
                    [notice_row(d["user_id"], i, "confirmation") for d, i in zip(decisions, ids, strict=True)],
                )
                cur.execute(
                    "UPDATE training_bases_trainingsession SET status = 'open' WHERE id = ANY(%s)",
                    [[s.pk for s in sessions]],
                )
                cur.execute("UPDATE training_bases_allocationrun SET status = 'confirmed' WHERE id = %s", [run.pk])
            if not raw_connection:
                conn.close()

        from django.test.utils import CaptureQueriesContext

        def timed(job):
            t, c = time.perf_counter(), time.process_time()
            job()
            return time.perf_counter() - t, time.process_time() - c

        def project_confirm():
            services.allocation_confirm(actor=actor, run_id=run.pk)

        def reset_allocation(close=True):
            Notice.objects.all().delete()
            Booking.objects.all().delete()
            TrainingSession.objects.filter(pk__in=[s.pk for s in sessions]).update(status="draft")
            type(run).objects.filter(pk=run.pk).update(status="preview", confirmed_at=None, confirmed_by=None)
            if close:
                connection.close()

        # Alternating runs (the plan was previewed once; each confirm starts from the same state),
        # first each on a new connection, as the other parts run, then on connections kept open
        # between runs, as the web server keeps them (CONN_MAX_AGE): a new connection's first
        # statements also load the catalog entries of every table they touch.
        for mode in ("new connections", "connections kept open"):
            warm = mode != "new connections"
            if warm:
                raw_connection.append(psycopg.connect(conninfo))
            timings = {"project": [], "raw": []}
            with CaptureQueriesContext(connection) as statements:  # counted once, untimed
                project_confirm()
            reset_allocation(close=not warm)
            for _ in range(ALLOCATION_REPEATS):
                for name, job in (("project", project_confirm), ("raw", raw_confirm)):
                    timings[name].append(timed(job))
                    placed = Booking.objects.filter(allocation_run=run).count()
                    assert placed == len(decisions), (name, placed)
                    reset_allocation(close=not warm)
            project_s = statistics.median(t for t, _ in timings["project"])
            project_cpu = min(c for _, c in timings["project"])
            raw_s, raw_cpu = statistics.median(t for t, _ in timings["raw"]), min(c for _, c in timings["raw"])
            print(
                f"allocation confirm, {len(decisions)} bookings from a {LIST_SIZE}-person list, {mode}"
                f" ({len(statements)} statements in Django's log, + COPY streams;"
                f" median of {ALLOCATION_REPEATS} alternating runs)"
            )
            print(f"  project {project_s * 1000:7.0f} ms  CPU {project_cpu * 1000:6.1f} ms")
            if os.environ.get("BENCH_SHOW_STATEMENTS"):
                for query in statements.captured_queries:
                    print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")
            print(f"  raw     {raw_s * 1000:7.0f} ms  CPU {raw_cpu * 1000:6.1f} ms")
            for name in ("project", "raw"):
                print(f"    {name} runs: {' '.join(f'{t * 1000:.0f}' for t, _ in timings[name])} ms")
            print(f"  => ratio {raw_s / project_s:.2f} (raw time / project time, target >= 0.8)")
            results.append((f"allocation confirm, {mode}", raw_s / project_s, project_s / raw_s))
        raw_connection.pop().close()

    if "allocation" in PARTS:
        allocation_part()
    print(
        f"summary (project / raw; booking and cancellation: median of {ROUNDS} rounds):"
        " throughput ratio target >= 0.8, p95 ratio target <= 1.25"
    )
    for title, rate, p95 in results:
        print(f"  {title:<36} throughput {rate:5.2f}   p95 {'—' if p95 != p95 else f'{p95:5.2f}'}")
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
