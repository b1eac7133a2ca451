"""Watch-time heartbeat under load: 1,000 learners, one heartbeat each per 30 s spread evenly over
the interval (open loop, 33 requests/s), on gunicorn (2 workers x 4 threads) + PostgreSQL, with
sessions in Redis. A trivial view is requested on the same schedule in the same run.

Prints p50/p95/max latency and errors for both, the p95 ratio, the closed-loop throughput of both
(8 concurrent clients for 5 s) and the SQL statements one heartbeat runs besides authentication.
Target (issue 11): p95 < 30 ms, 0 errors, at most 2 SQL statements.
Run: .venv/bin/python benchmarks/courses_heartbeat.py   (ROUNDS=2 for a minute of load)"""

import json
import os
import statistics
import sys
from pathlib import Path

import scratch_db
from heartbeat_load import closed_loop, describe, gunicorn, open_loop, request

DB_NAME = "lms_courses_heartbeat_bench"
LEARNERS = int(os.environ.get("LEARNERS", "1000"))
INTERVAL = 30.0
ROUNDS = int(os.environ.get("ROUNDS", "1"))
PORT = int(os.environ.get("BENCH_PORT", "8791"))
REDIS = os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"))
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

scratch_db.configure(DB_NAME, REDIS_URL=REDIS, WATCH_HEARTBEAT_SECONDS="30", DATABASE_CONN_MAX_AGE="60")
os.environ["DJANGO_SETTINGS_MODULE"] = "heartbeat_site"
sys.path.insert(0, str(HERE))


def setup_data():
    import datetime as dt
    import uuid

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from courses.models import WatchTime
    from trainees.middleware import VERIFIED_SESSION_KEY
    from trainees.models import User

    call_command("migrate", verbosity=0)
    users = User.objects.bulk_create(
        [User(email=f"learner{i}@bench.example", last_name="学", first_name=f"员{i}") for i in range(LEARNERS)]
    )
    # Verified addresses, as allauth requires of every signed-in person.
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])
    watchable = f"lesson:{uuid.uuid4()}"
    start = timezone.now() - dt.timedelta(seconds=INTERVAL)
    WatchTime.objects.bulk_create(
        [WatchTime(user=u, watchable=watchable, duration_seconds=3600, last_beat_at=start) for u in users]
    )
    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[VERIFIED_SESSION_KEY] = user.pk
        store.create()
        sessions.append(store.session_key)
    return users, sessions, watchable


def statements_per_heartbeat(user, watchable) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from trainees.middleware import VERIFIED_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session  # as after the session's first request: its address is known verified
    session[VERIFIED_SESSION_KEY] = user.pk
    session.save()
    body = json.dumps({"watchable": watchable, "played": [[3000, 3001]]})
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/learning/heartbeat/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    statements = [q["sql"] for q in queries if "trainees_user" not in q["sql"]]
    if os.environ.get("SHOW_SQL"):
        print("\n".join(s[:200] for s in statements))
    return len(statements)


def beat(sessions, watchable):
    def make(i, rnd):
        played = [[rnd * INTERVAL, (rnd + 1) * INTERVAL]]
        return "POST", "/learning/heartbeat/", sessions[i], json.dumps({"watchable": watchable, "played": played})

    return make


def main():
    scratch_db.recreate(DB_NAME)
    users, sessions, watchable = setup_data()
    sql = statements_per_heartbeat(users[0], watchable)
    with gunicorn(PORT):
        print(
            f"{LEARNERS} learners, one heartbeat each per {INTERVAL:.0f} s for {ROUNDS} round(s), gunicorn 2x4 + PostgreSQL"
        )
        beats, trivials = open_loop(PORT, beat(sessions, watchable), len(sessions), INTERVAL, ROUNDS)
        p95_beat, beat_errors = describe("heartbeat", beats)
        p95_trivial, _ = describe("trivial view", trivials)
        print(f"p95 ratio heartbeat / trivial: {p95_beat / p95_trivial:.2f}")
        hb_rate, hb_err = closed_loop(
            lambda k, n: request(
                PORT,
                "POST",
                "/learning/heartbeat/",
                sessions[(k * 997 + n) % len(sessions)],
                json.dumps({"watchable": watchable, "played": []}),
            )
        )
        tr_rate, _ = closed_loop(lambda k, n: request(PORT, "GET", "/bench/trivial/"))
        print(
            f"throughput (8 clients, 5 s): heartbeat {hb_rate:.0f} req/s ({hb_err} errors), trivial {tr_rate:.0f} req/s, ratio {hb_rate / tr_rate:.2f}"
        )
        print(f"SQL statements per heartbeat besides authentication: {sql}")
        from courses.models import WatchTime

        credited = sum(WatchTime.objects.values_list("seconds", flat=True))
        print(f"seconds credited: {credited} (expected about {LEARNERS * ROUNDS * INTERVAL:.0f} + 1)")
        ok = p95_beat < 30 and beat_errors == 0 and sql <= 2
        print("target met" if ok else "TARGET MISSED")
    print(f"median heartbeat {statistics.median([m for m, _ in beats]):.1f} ms")


if __name__ == "__main__":
    main()
