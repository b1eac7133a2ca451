"""Page throughput under wrk (issue 9, point 3): gunicorn (2 workers x 4 threads) on PostgreSQL
with the demo data (`seed_demo`), sessions and caches in Redis, production-like settings
(`heartbeat_site`: DEBUG off) plus a trivial view measured in the same run.

For every page, anonymous (no cookie: served from the page cache after the first request) and
logged in (a session cookie: never cached), wrk runs DURATION seconds with 8 connections on
127.0.0.1 and the script prints req/s, p50/p95 latency, non-2xx answers and the ratio of the
page's rate to the trivial view's, measured right before that page (a shared machine's speed
drifts during a run; each ratio compares two neighbouring measurements, REPEATS times in turn,
and the median ratio is printed with its pair of measurements). Targets: anonymous
public pages >= 25 % of the trivial view, logged-in pages >= 6 %.

Run: .venv/bin/python benchmarks/web_pages.py
     (REUSE_DB=1 keeps an already seeded database; DURATION=5 seconds per measurement; REPEATS=3;
     PAGES=/enterprises/applications/,/enterprises/list/ measures only these paths)"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import scratch_db

DB_NAME = "lms_web_pages_bench"
PORT = int(os.environ.get("BENCH_PORT", "8793"))
DURATION = int(os.environ.get("DURATION", "5"))
REPEATS = int(os.environ.get("REPEATS", "3"))
ONLY = {path for path in os.environ.get("PAGES", "").split(",") if path}
CONNECTIONS = 8
REDIS = os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = f"http://127.0.0.1:{PORT}"

scratch_db.configure(DB_NAME, REDIS_URL=REDIS, DATABASE_CONN_MAX_AGE="60")
os.environ["DJANGO_SETTINGS_MODULE"] = "heartbeat_site"
sys.path.insert(0, str(HERE))

ANONYMOUS = ["/", "/en/", "/about/", "/courses/", "/courses/aeo-criteria-2026/", "/training/", "/en/training/"]
LOGGED_IN = {
    "legal@demo.aeo": ["/", "/courses/", "/training/", "/training/bookings/", "/learning/"],
    "officer@demo.aeo": ["/enterprises/rounds/", "/enterprises/applications/", "/enterprises/list/"],
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def setup_data() -> dict[str, str]:
    """Migrate and seed (unless REUSE_DB), then one logged-in session per account: {email: key}."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore
    from django.core.management import call_command

    from trainees.middleware import VERIFIED_SESSION_KEY
    from trainees.models import User

    if not os.environ.get("REUSE_DB"):
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    keys = {}
    for email in LOGGED_IN:
        user = User.objects.get(email=email)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[VERIFIED_SESSION_KEY] = user.pk
        store.create()
        keys[email] = store.session_key
    return keys


def wrk(path: str, script: str, cookie: str | None = None) -> dict:
    command = ["/usr/bin/wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run([*command, BASE + path], capture_output=True, text=True, timeout=DURATION + 30).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["rate"] = result["requests"] / result["seconds"]
    return result


def check(path: str, cookie: str | None) -> int:
    request = urllib.request.Request(BASE + path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def main():
    if not os.environ.get("REUSE_DB"):
        scratch_db.recreate(DB_NAME)
    sessions = setup_data()
    env = {**os.environ, "PYTHONPATH": f"{HERE}:{ROOT}"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "lms.wsgi:application", "-b", f"127.0.0.1:{PORT}"]
    server = subprocess.Popen([*command, "-w", "2", "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(WRK_SCRIPT)
    try:
        for _ in range(150):
            try:
                if check("/bench/trivial/", None) == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        runs = [("anonymous", path, None) for path in ANONYMOUS]
        runs += [(email, path, key) for email, key in sessions.items() for path in LOGGED_IN[email]]
        if ONLY:
            runs = [run for run in runs if run[1] in ONLY]
        for _, path, cookie in runs:  # warm: workers' connections, caches; every page answers 200
            status = check(path, cookie)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        print(
            f"load average before the run: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores;"
            f" wrk {CONNECTIONS} connections x {DURATION} s per measurement, {REPEATS} pairs per page (median ratio); gunicorn 2 workers x 4 threads, PostgreSQL, Redis"
        )
        # The trivial view runs right before each page and the page's ratio is to that run, REPEATS
        # times in turn; the median of the ratios is kept: a shared machine's speed drifts during a
        # run, and both sides of each ratio see the same speed.
        print(
            f"{'who':<18} {'page':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'non-2xx':>8} {'trivial':>8} {'ratio':>7}"
        )
        results = []
        for who, path, cookie in runs:
            pairs = []
            for _ in range(REPEATS):
                trivial = wrk("/bench/trivial/", lua.name)
                result = wrk(path, lua.name, cookie)
                pairs.append((result["rate"] / trivial["rate"], result, trivial))
            ratio, result, trivial = sorted(pairs, key=lambda pair: pair[0])[len(pairs) // 2]
            failures = sum(r["non2xx"] + r["errors"] for _, r, _ in pairs)
            results.append((who, ratio))
            print(
                f"{who:<18} {path:<30} {result['rate']:8.0f} {result['p50_ms']:8.1f} {result['p95_ms']:8.1f}"
                f" {failures:8d} {trivial['rate']:8.0f} {ratio:7.1%}"
            )
        anonymous = min((r for who, r in results if who == "anonymous"), default=None)
        logged_in = min((r for who, r in results if who != "anonymous"), default=None)
        if anonymous is not None:
            print(
                f"lowest anonymous ratio {anonymous:.1%} (target >= 25 %): {'met' if anonymous >= 0.25 else 'NOT met'}"
            )
        if logged_in is not None:
            print(
                f"lowest logged-in ratio {logged_in:.1%} (target >= 6 %): {'met' if logged_in >= 0.06 else 'NOT met'}"
            )
        print(f"load average after the run: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(lua.name)


if __name__ == "__main__":
    main()
