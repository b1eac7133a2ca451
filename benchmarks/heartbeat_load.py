"""The load harness both heartbeat benchmarks share (lesson videos and live sessions): gunicorn
2 workers x 4 threads on the benchmark settings, a keep-alive HTTP client per thread, an open
loop spread evenly over the heartbeat window, a closed loop for throughput, percentiles."""

import collections
import concurrent.futures
import contextlib
import http.client
import os
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CSRF = "b" * 32
_local = threading.local()


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def request(port, method, path, session_key=None, body=None):
    """(milliseconds, status) of one request on this thread's keep-alive connection; status 0 on
    a connection error."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1", "Cookie": f"csrftoken={CSRF}"}
    if session_key:
        headers["Cookie"] += f"; sessionid={session_key}"
    if body is not None:
        headers.update(
            {"Content-Type": "application/json", "X-CSRFToken": CSRF, "Referer": f"http://127.0.0.1:{port}/"}
        )
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        _local.connection = None
        status = 0
    return (time.perf_counter() - started) * 1000, status


def open_loop(port, beat, count, interval, rounds):
    """Each of `count` clients sends `beat(i, rnd)` (a request's method, path, session, body) once
    per `interval` seconds, spread evenly over it, with a trivial-view request half a slot later."""
    beats, trivials = [], []
    t0 = time.perf_counter() + 0.5
    slot = interval / count

    def one(i, rnd):
        time.sleep(max(0.0, t0 + rnd * interval + i * slot - time.perf_counter()))
        beats.append(request(port, *beat(i, rnd)))
        time.sleep(max(0.0, t0 + rnd * interval + (i + 0.5) * slot - time.perf_counter()))
        trivials.append(request(port, "GET", "/bench/trivial/"))

    with concurrent.futures.ThreadPoolExecutor(max_workers=48) as pool:
        list(pool.map(lambda args: one(*args), [(i, r) for r in range(rounds) for i in range(count)]))
    return beats, trivials


def closed_loop(make_request, seconds=5.0, clients=8, ok=(200,)):
    """Requests per second and errors of `clients` threads sending back to back."""
    count, errors = [0], [0]
    deadline = time.perf_counter() + seconds

    def run(k):
        n = 0
        while time.perf_counter() < deadline:
            _ms, status = make_request(k, n)
            n += 1
            count[0] += 1
            if status not in ok:
                errors[0] += 1

    threads = [threading.Thread(target=run, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count[0] / seconds, errors[0]


def describe(name, results):
    ms = [m for m, _s in results]
    failed = collections.Counter(s for _m, s in results if s != 200)
    errors = sum(failed.values())
    detail = f" ({', '.join(f'{status}x{n}' for status, n in sorted(failed.items()))})" if failed else ""
    print(
        f"{name:<22} n={len(ms):>5}  p50 {pct(ms, 0.5):6.1f} ms  p95 {pct(ms, 0.95):6.1f} ms  max {max(ms):7.1f} ms  errors {errors}{detail}"
    )
    return pct(ms, 0.95), errors


@contextlib.contextmanager
def gunicorn(port):
    """gunicorn 2 workers x 4 threads on the benchmark settings, ready and warmed when entered."""
    env = {**os.environ, "PYTHONPATH": f"{HERE}:{ROOT}"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "lms.wsgi:application", "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "-w", "2", "--threads", "4", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            if request(port, "GET", "/bench/trivial/")[1] == 200:
                break
            time.sleep(0.2)
        for _ in range(50):  # warm the workers' connections
            request(port, "GET", "/bench/trivial/")
        print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=10)
