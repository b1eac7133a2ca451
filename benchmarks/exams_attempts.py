"""Attempt speed targets of issue 14, gunicorn + PostgreSQL + Redis sessions on this machine.

- Answer save: 500 simulated candidates saving every 10-15 s (open loop): p95 <= 20 ms,
  p99 <= 100 ms, 0 errors; sustained capacity (closed loop) >= 300 saves/s, printed as a ratio
  to a trivial Django view measured in the same run (target >= 20 %).
- Synchronised start: 200 candidates starting at once all get their attempt, p95 <= 1 s.
- Grading: 10,000 attempts of 50 questions left open past their deadline, graded by the beat
  job's entry point (`attempts_submit_overdue`, batches of `grading.attempts_submit`) in this
  process as the worker runs it (BENCH_GRADE_ATTEMPTS to change the number; BENCH_GRADE_SINGLE,
  default 200, more graded one by one with `attempt_submit` for comparison).
The 200 starters are checked in at a sitting whose tickets drew their papers when they were
issued, so the start takes no blueprint lock; they open the exam list before pressing start.

Connections: gunicorn keeps an idle connection 2 s (its default, kept: production's gunicorn,
behind nginx, gets a new connection for every request). A client that finds its kept
connection closed by the server sends the request again on a new one, as browsers do; the
retry's time counts in the latency and the retries are printed.

CPU seconds are printed next to wall times (gunicorn workers, this database's PostgreSQL
backends, the grading process): on a shared machine wall times follow the load average, which
is printed last.
BENCH_PARTS (default "start,save,grading") runs a subset.
Run: REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python benchmarks/exams_attempts.py"""

import functools
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import scratch_db

print = functools.partial(print, flush=True)

DB_NAME = "bench_exams_attempts"
COOKIE = "sessionid"
PORT = int(os.environ.get("BENCH_PORT", "8791"))
CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "500"))
STARTERS = int(os.environ.get("BENCH_STARTERS", "200"))
GRADE_ATTEMPTS = int(os.environ.get("BENCH_GRADE_ATTEMPTS", "10000"))
PARTS = set(os.environ.get("BENCH_PARTS", "start,save,grading").split(","))
GRADE_SINGLE = int(os.environ.get("BENCH_GRADE_SINGLE", "200"))
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
scratch_db.configure(DB_NAME)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def sessions_for(users):
    """Logged-in sessions written straight to the session cache, as a login writes them (no
    password hashing, no test client)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore

    from trainees.middleware import VERIFIED_SESSION_KEY

    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[VERIFIED_SESSION_KEY] = user.pk
        store.create()
        keys.append(store.session_key)
    return keys


def setup():
    scratch_db.recreate(DB_NAME)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from exams.models import Ticket
    from exams.services import sittings
    from tests.exams.factories import make_exam
    from trainees.models import User
    from trainees.roles import Role
    from training_bases.models import Room, TrainingBase

    settings.DEBUG = False
    exam = make_exam(essay=False, attempts_allowed=0)
    group = Group.objects.get_or_create(name=Role.ENTERPRISE_STAFF.value)[0]
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.com", last_name="基", first_name=f"准{i}", password="!")
            for i in range(CANDIDATES + STARTERS)
        ]
    )
    group.user_set.add(*users)
    # The synchronised start happens in a sitting: tickets issued beforehand draw every paper
    # then (one draw for the room), and the candidates are checked in.
    sitting_exam = make_exam(essay=False, online=False)
    room = Room.objects.create(
        base=TrainingBase.objects.get(slug="shenzhen"),
        name_zh="基准机房",
        kind=Room.Kind.COMPUTER_ROOM,
        capacity=STARTERS,
    )
    now = timezone.now()
    sitting = sittings.sitting_create(
        exam=sitting_exam, room=room, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=3)
    )
    sittings.tickets_issue(sitting=sitting, seats=[(u, i + 1) for i, u in enumerate(users[CANDIDATES:])])
    Ticket.objects.filter(sitting=sitting).update(checked_in_at=now)
    return exam, sitting_exam, users, sessions_for(users)


SERVER_PID = None


def _cpu_seconds(pid):
    """utime + stime of a process (all its threads), or 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                continue
    return found


class ServerCPU:
    """CPU seconds the gunicorn workers and this database's PostgreSQL backends (other than
    this process's own) use from now until `used()`: what the served requests cost, whatever
    else the shared machine runs."""

    def __init__(self):
        self.before = self._now()

    @staticmethod
    def _backends():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def _now(self):
        return (
            {pid: _cpu_seconds(pid) for pid in [SERVER_PID, *_children(SERVER_PID)]},
            {pid: _cpu_seconds(pid) for pid in self._backends()},
        )

    def used(self):
        after = self._now()
        return tuple(
            sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())
            for before, now in zip(self.before, after, strict=True)
        )


class Client:
    """One persistent HTTP/1.1 connection with a session and a CSRF token, used as a browser
    uses one: gunicorn closes a connection idle for longer than its keep-alive (2 s), and a
    request that then meets the closed connection before any byte of an answer came back
    (RemoteDisconnected, ConnectionResetError, BrokenPipeError) is sent once more on a new
    connection, the retry's time counted in its latency. Any other failure, or a failure on a
    new connection, is an error (status 0)."""

    retried = 0  # requests sent again on a new connection, all clients together
    _count = threading.Lock()

    def __init__(self, session_key):
        self.csrf = secrets.token_hex(16)
        self.headers = {
            "Cookie": f"{COOKIE}={session_key}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

    def _send(self, method, path, body):
        """(status, data), or raises _Closed when a reused connection was found closed before
        any byte of the answer."""
        reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=body, headers=self.headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            if reused:
                raise _Closed from exc
            raise
        return response.status, response.read()

    def request(self, method, path, body=None):
        started = time.perf_counter()
        try:
            try:
                status, data = self._send(method, path, body)
            except _Closed:
                self.conn.close()
                with Client._count:
                    Client.retried += 1
                status, data = self._send(method, path, body)
        except (OSError, http.client.HTTPException, _Closed):
            self.conn.close()
            status, data = 0, b""
        return status, data, time.perf_counter() - started


class _Closed(Exception):
    """The server had closed the kept-alive connection before this request reached it."""


def main():
    exam, sitting_exam, users, cookies = setup()
    if PARTS & {"start", "save"}:
        serve(exam, sitting_exam, users, cookies)
    if "grading" in PARTS:
        grading()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def serve(exam, sitting_exam, users, cookies):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "exams_wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--threads",
            "16",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=os.path.dirname(os.path.abspath(__file__)),
        env={**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))},
    )
    global SERVER_PID
    SERVER_PID = server.pid
    try:
        # Both workers answer before anything is measured (booting Django takes seconds).
        ready = 0
        for _ in range(600):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                probe.request("GET", "/bench/trivial/")
                ready += probe.getresponse().status == 200
                probe.close()
                if ready >= 4:
                    break
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        run(exam, sitting_exam, users, cookies)
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(exam, sitting_exam, users, cookies):
    if "start" in PARTS:
        synchronised_start(sitting_exam, cookies)
    if "save" in PARTS:
        saving(exam, users, cookies)


def synchronised_start(sitting_exam, cookies):
    """200 checked-in candidates of one sitting press "start" at once. Before, each opens the
    exam list (as they must, to see the button), which also gives the server's threads their
    database connections, as a room's arrival does in production."""
    starters = [Client(c) for c in cookies[CANDIDATES:]]
    with ThreadPoolExecutor(32) as pool:
        opened = list(pool.map(lambda client: client.request("GET", "/exams/")[0], starters))
    print(f"  exam list opened by the starters first: {opened.count(200)}/{len(starters)}")
    barrier = threading.Barrier(len(starters))

    def start(client):
        barrier.wait()
        return client.request("POST", f"/exams/{sitting_exam.pk}/start/")

    cpu = ServerCPU()
    with ThreadPoolExecutor(len(starters)) as pool:
        results = list(pool.map(start, starters))
    app_cpu, db_cpu = cpu.used()
    ok = sum(1 for status, _d, _t in results if status == 302)
    if ok < len(results):
        print("  refused starts:", sorted({(status, data[:120]) for status, data, _t in results if status != 302})[:3])
    times = [t for _s, _d, t in results]
    print(
        f"synchronised start: {ok}/{len(starters)} attempts, p50 {percentile(times, 50) * 1000:.0f} ms, "
        f"p95 {percentile(times, 95) * 1000:.0f} ms (target 1000 ms), slowest {max(times) * 1000:.0f} ms; "
        f"CPU {app_cpu:.2f} s gunicorn ({app_cpu / len(starters) * 1000:.1f} ms per start) + "
        f"{db_cpu:.2f} s PostgreSQL ({db_cpu / len(starters) * 1000:.1f} ms per start)"
    )


def saving(exam, users, cookies):
    # Attempts for the 500 savers (started through the service; the start path is measured above).
    from exams.models import Attempt
    from exams.services.attempts import attempt_start

    attempts = [attempt_start(exam=exam, user=u).pk for u in users[:CANDIDATES]]
    questions = len(Attempt.objects.get(pk=attempts[0]).items)
    clients = [Client(c) for c in cookies[:CANDIDATES]]

    # Open loop: each candidate saves every 10-15 s for LOAD_SECONDS.
    rng = random.Random(14)
    schedule = []
    for i in range(CANDIDATES):
        t = rng.uniform(0, 12.5)
        while t < LOAD_SECONDS:
            schedule.append((t, i))
            t += rng.uniform(10, 15)
    schedule.sort()
    seqs = [0] * CANDIDATES
    latencies, errors, lock = [], [], threading.Lock()
    per_client = [threading.Lock() for _ in range(CANDIDATES)]
    retried, cpu = Client.retried, ServerCPU()
    began = time.perf_counter()

    def save(i):
        with per_client[i]:
            seqs[i] += 1
            body = json.dumps({"position": seqs[i] % questions, "response": None, "seq": seqs[i]})
            status, data, elapsed = clients[i].request("POST", f"/exams/api/attempts/{attempts[i]}/answers/", body)
        with lock:
            (latencies if status == 200 else errors).append(elapsed if status == 200 else (status, data[:80]))

    with ThreadPoolExecutor(64) as pool:
        for due, i in schedule:
            delay = due - (time.perf_counter() - began)
            if delay > 0:
                time.sleep(delay)
            pool.submit(save, i)
    app_cpu, db_cpu = cpu.used()
    print(
        f"open loop: {CANDIDATES} candidates, {len(latencies)} saves in {LOAD_SECONDS} s, errors {len(errors)}; "
        f"p50 {percentile(latencies, 50) * 1000:.1f} ms, p95 {percentile(latencies, 95) * 1000:.1f} ms (target 20), "
        f"p99 {percentile(latencies, 99) * 1000:.1f} ms (target 100); "
        f"{Client.retried - retried} sent again on a new connection (the idle one closed by the server); "
        f"CPU per save {app_cpu / max(1, len(latencies)) * 1000:.2f} ms gunicorn + "
        f"{db_cpu / max(1, len(latencies)) * 1000:.2f} ms PostgreSQL"
    )
    if errors:
        print("  first errors:", errors[:3])

    # Closed loop: capacity of saves vs a trivial view, 32 clients for 10 s each.
    def closed(path_for, body_for, seconds=10, workers=32):
        done = [0]
        stop = time.perf_counter() + seconds

        def work(w):
            n = 0
            while time.perf_counter() < stop:
                status, _d, _t = clients[w].request(*path_for(w, n), body_for(w, n))
                n += status == 200
            with lock:
                done[0] += n

        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(work, range(workers)))
        return done[0] / seconds

    trivial = closed(lambda w, n: ("GET", "/bench/trivial/"), lambda w, n: None)

    def save_path(w, n):
        return ("POST", f"/exams/api/attempts/{attempts[w]}/answers/")

    def save_body(w, n):
        seqs[w] += 1
        return json.dumps({"position": seqs[w] % questions, "response": None, "seq": seqs[w]})

    saves = closed(save_path, save_body)
    print(
        f"closed loop: {saves:.0f} saves/s (target 300), trivial view {trivial:.0f} req/s, "
        f"ratio {saves / trivial * 100:.0f} % (target 20 %)"
    )


class Statements:
    """Counts the SQL statements this process sends: those through Django's cursors and the
    COPYs `lms.bulk` streams through psycopg directly."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        import psycopg
        from django.db import connection

        self._copy = psycopg.Cursor.copy
        counter = self

        def copy(cursor, *args, **kwargs):
            counter.count += 1
            return counter._copy(cursor, *args, **kwargs)

        psycopg.Cursor.copy = copy
        self._wrap = connection.execute_wrapper(self._execute)
        self._wrap.__enter__()
        return self

    def _execute(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        import psycopg

        self._wrap.__exit__(*exc)
        psycopg.Cursor.copy = self._copy


def backend_cpu() -> float:
    """CPU seconds used so far by this process's PostgreSQL backend (same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, fn, count):
    """Run fn(); print wall time, this process's CPU, the database backend's CPU, statements."""
    db_before = backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    with Statements() as statements:
        result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    db_cpu = backend_cpu() - db_before
    print(
        f"{label}: {count} attempts in {wall:.1f} s wall ({wall / count * 1000:.2f} ms each), "
        f"CPU {cpu:.1f} s here + {db_cpu:.1f} s PostgreSQL backend, {statements.count} statements "
        f"({statements.count / count:.2f} per attempt)"
    )
    return result, wall


def grading():
    """Grading GRADE_ATTEMPTS attempts of 50 questions left open past their deadline, through
    the entry point the worker runs: the beat job `attempts_submit_overdue` (the sitting close
    calls the same `grading.attempts_submit`). One attempt in ten left a question unanswered.
    For comparison, GRADE_SINGLE more are graded one by one with `attempt_submit`, as the beat
    job did before."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from exams import services
    from exams.models import Answer, Attempt, BlueprintCell, Exam, ExamBlueprint, Question, QuestionBank
    from exams.services.attempts import _paper_items, attempt_submit, attempts_submit_overdue
    from lms.bulk import copy_rows
    from readiness.models import CriteriaArea, CriteriaEdition
    from trainees.models import User
    from trainees.roles import Role

    edition = CriteriaEdition.objects.get(code="2026-advanced")
    area = CriteriaArea.objects.get(edition=edition, key="internal_control")
    bank = QuestionBank.objects.create(name="五十题题库", audience="enterprise", criteria_edition=edition)
    for n in range(50):
        services.question_save(
            question=Question(
                bank=bank,
                name=f"题{n}",
                stem=f"题干{n}",
                options=[{"text": "对", "fraction": 100}, {"text": "错", "fraction": 0}, {"text": "否", "fraction": 0}],
                criteria_area=area,
                difficulty=3,
                status="active",
            )
        )
    blueprint = ExamBlueprint.objects.create(name="五十题", bank=bank)
    BlueprintCell.objects.create(blueprint=blueprint, criteria_area=area, band="medium", count=50, points=2)
    now = timezone.now()
    exam = Exam.objects.create(
        title_zh="评分基准", audience="enterprise", blueprint=blueprint, online=True, opens_at=now, attempts_allowed=0
    )
    total = GRADE_ATTEMPTS + GRADE_SINGLE
    people = User.objects.bulk_create(
        [User(email=f"grade{i}@example.com", last_name="评", first_name=str(i), password="!") for i in range(total)],
        batch_size=2000,
    )
    Group.objects.get(name=Role.ENTERPRISE_STAFF.value).user_set.add(*people)
    paper, items = _paper_items(exam, people[0], None)
    prepared = time.perf_counter()
    started = now - timedelta(hours=2)
    copy_rows(
        Attempt,
        (
            "exam_id",
            "user_id",
            "number",
            "paper_id",
            "items",
            "state",
            "started_at",
            "extra_seconds",
            "paused_seconds",
            "deadline",
            "finished_by",
            "max_score",
        ),
        (
            (
                exam.pk,
                u.pk,
                1,
                paper.pk,
                items,
                "in_progress",
                started,
                0,
                0,
                started + timedelta(hours=1),
                "",
                Decimal(100),
            )
            for u in people
        ),
    )
    ids = list(Attempt.objects.filter(exam=exam).order_by("pk").values_list("pk", flat=True))
    rng = random.Random(10_000)
    copy_rows(
        Answer,
        ("attempt_id", "position", "response", "seq", "saved_at", "needs_marking"),
        (
            (pk, p, rng.randrange(3), 1, started, False)
            for i, pk in enumerate(ids)
            for p in range(50)
            if i % 10 or p != 49
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exams_attempt; ANALYZE exams_answer")
    print(f"grading set-up: {total} attempts x 50 questions in {time.perf_counter() - prepared:.0f} s")

    if GRADE_SINGLE:
        # The one-by-one path (a candidate's own submit), on attempts the beat job will not see.
        singles = ids[GRADE_ATTEMPTS:]
        Attempt.objects.filter(pk__in=singles).update(deadline=now + timedelta(hours=1))
        timed(
            "grading one by one (attempt_submit)",
            lambda: [attempt_submit(attempt=Attempt(pk=pk)) for pk in singles],
            len(singles),
        )
    submitted, elapsed = timed(
        "grading in the worker (beat job attempts_submit_overdue)", attempts_submit_overdue, GRADE_ATTEMPTS
    )
    graded = Attempt.objects.filter(
        pk__in=ids[:GRADE_ATTEMPTS], state="graded", submitted_at=started + timedelta(hours=1)
    )
    print(
        f"grading: {submitted} submitted, {graded.count()} graded at their deadline; "
        f"{elapsed:.1f} s for {GRADE_ATTEMPTS} (target for 10,000: 30 s)"
    )


if __name__ == "__main__":
    main()
