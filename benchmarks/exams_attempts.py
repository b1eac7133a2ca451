"""Attempt speed targets of issue 14, gunicorn + PostgreSQL + Redis sessions on this machine.

- Answer save: 500 simulated candidates saving every 10-15 s (open loop): p95 <= 20 ms,
  p99 <= 100 ms, 0 errors; sustained capacity (closed loop) >= 300 saves/s, printed as a ratio
  to a trivial Django view measured in the same run (target >= 20 %).
- Synchronised start: 200 candidates starting at once all get their attempt, p95 <= 1 s.
- Grading: submitted attempts graded in a worker process (figure per 1,000 attempts of 50
  questions, extrapolated to 10,000).
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
STARTERS = 200
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
scratch_db.configure(DB_NAME)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def setup():
    scratch_db.recreate(DB_NAME)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from tests.exams.factories import make_exam
    from trainees.models import User
    from trainees.roles import Role

    settings.DEBUG = False
    exam = make_exam(essay=False, attempts_allowed=0)
    from django.contrib.auth.models import Group

    group = Group.objects.get_or_create(name=Role.ENTERPRISE_STAFF.value)[0]
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.com", last_name="基", first_name=f"准{i}", password="!")
            for i in range(CANDIDATES + STARTERS)
        ]
    )
    group.user_set.add(*users)
    # Sessions as a login makes them (no password hashing: the start path must not hash either).
    from django.test import Client as DjangoClient

    cookies = []
    for user in users:
        client = DjangoClient()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return exam, users, cookies


class Client:
    """One persistent HTTP/1.1 connection with a session and a CSRF token."""

    def __init__(self, session_key):
        self.csrf = secrets.token_hex(16)
        self.headers = {
            "Cookie": f"{COOKIE}={session_key}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)

    def request(self, method, path, body=None):
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=self.headers)
            response = self.conn.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            status, data = 0, b""
        return status, data, time.perf_counter() - started


def main():
    exam, users, cookies = setup()
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
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/bench/trivial/")
                break
            except OSError:
                time.sleep(0.2)
        run(exam, users, cookies)
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(exam, users, cookies):
    # Synchronised start: 200 candidates press "start" at once.
    starters = [Client(c) for c in cookies[CANDIDATES:]]
    barrier = threading.Barrier(len(starters))

    def start(client):
        barrier.wait()
        return client.request("POST", f"/exams/{exam.pk}/start/")

    with ThreadPoolExecutor(len(starters)) as pool:
        results = list(pool.map(start, starters))
    ok = sum(1 for status, _d, _t in results if status == 302)
    times = [t for _s, _d, t in results]
    print(
        f"synchronised start: {ok}/{len(starters)} attempts, p50 {percentile(times, 50) * 1000:.0f} ms, "
        f"p95 {percentile(times, 95) * 1000:.0f} ms (target 1000 ms)"
    )

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
    print(
        f"open loop: {CANDIDATES} candidates, {len(latencies)} saves in {LOAD_SECONDS} s, errors {len(errors)}; "
        f"p50 {percentile(latencies, 50) * 1000:.1f} ms, p95 {percentile(latencies, 95) * 1000:.1f} ms (target 20), "
        f"p99 {percentile(latencies, 99) * 1000:.1f} ms (target 100)"
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

    # Grading: submit 1,000 attempts of the exam's paper in this process (a worker does the same).
    from exams.services.attempts import attempt_submit

    started = time.perf_counter()
    for pk in attempts[:1000]:
        attempt_submit(attempt=Attempt(pk=pk))
    elapsed = time.perf_counter() - started
    graded = min(1000, len(attempts))
    print(
        f"grading: {graded} attempts of {questions} questions in {elapsed:.1f} s "
        f"({elapsed / graded * 1000:.1f} ms each; 10,000 attempts ≈ {elapsed / graded * 10000:.0f} s at this size)"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
