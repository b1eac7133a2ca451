"""Crash test (issue 14, reliability): candidates keep saving answers while the application
server is killed with SIGKILL and started again; no save that was acknowledged is lost, and
none is overwritten by an older one. A real gunicorn (two workers) on the test PostgreSQL
database, sessions where the settings keep them (Redis with REDIS_URL)."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from exams.models import Answer
from exams.services import attempts as svc
from tests.exams.factories import make_exam, positions
from tests.factories import UserFactory
from trainees.roles import Role

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group, so SIGKILL takes the master and workers at once."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self):
        env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "tests.exams.gunicorn_settings"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "-b", f"127.0.0.1:{self.port}"]
            + ["-w", "2", "--threads", "4", "--log-level", "error"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer")

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from trainees.middleware import VERIFIED_SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[VERIFIED_SESSION_KEY] = user.pk
    store.create()
    return store.session_key


class Candidate(threading.Thread):
    """Saves the fill-in answer again and again with rising sequence numbers; remembers every
    save the server acknowledged (200, not stale) and when."""

    def __init__(self, port, session_key, attempt, position, stop):
        super().__init__(daemon=True)
        self.port, self.attempt, self.position, self.stop = port, attempt, position, stop
        csrf = secrets.token_hex(16)
        self.headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.acked: list[tuple[float, int, str]] = []
        self.failures = 0
        self.seq = 0

    def run(self):
        conn = None
        while not self.stop.is_set():
            self.seq += 1
            response = f"答案{self.seq}"
            body = json.dumps({"position": self.position, "response": response, "seq": self.seq})
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("POST", f"/exams/api/attempts/{self.attempt}/answers/", body, self.headers)
                reply = conn.getresponse()
                data = json.loads(reply.read() or b"{}")
                if reply.status == 200 and not data.get("stale"):
                    self.acked.append((time.monotonic(), self.seq, response))
                elif reply.status != 200:
                    self.failures += 1
            except (OSError, http.client.HTTPException, ValueError):
                self.failures += 1
                if conn:
                    conn.close()
                conn = None
                time.sleep(0.05)


def until_acked(candidates, *, after: float, timeout: float = 120) -> None:
    """Wait until every candidate has a save acknowledged after `after` (monotonic seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(any(t > after for t, _s, _r in list(c.acked)) for c in candidates):
            return
        time.sleep(0.1)


def test_no_acknowledged_save_is_lost_when_the_server_is_killed(site):
    exam = make_exam(essay=False, attempts_allowed=0, duration_minutes=120)
    users = [UserFactory(roles=[Role.ENTERPRISE_STAFF]) for _ in range(4)]
    attempts = [svc.attempt_start(exam=exam, user=u) for u in users]
    server = Server(free_port())
    stop = threading.Event()
    candidates = [
        Candidate(server.port, session_for(u), a.pk, positions(a)["填空"], stop)
        for u, a in zip(users, attempts, strict=True)
    ]
    try:
        server.start()
        for candidate in candidates:
            candidate.start()
        # Kill only once every candidate has had saves acknowledged (a loaded machine may take
        # seconds to warm both workers up), and keep saving for a while: requests are in flight.
        until_acked(candidates, after=0)
        time.sleep(1)
        killed_at = time.monotonic()
        server.kill()  # SIGKILL: requests in flight die with it
        server.start()
        restarted_at = time.monotonic()
        until_acked(candidates, after=restarted_at)
        time.sleep(1)
    finally:
        stop.set()
        for candidate in candidates:
            candidate.join(timeout=15)
        server.kill()
    for candidate in candidates:
        assert any(t < killed_at for t, _s, _r in candidate.acked), "no save acknowledged before the kill"
        assert any(t > restarted_at for t, _s, _r in candidate.acked), "no save acknowledged after the restart"
        _t, seq, response = max(candidate.acked, key=lambda a: a[1])
        stored = Answer.objects.get(attempt_id=candidate.attempt, position=candidate.position)
        assert stored.seq >= seq
        if stored.seq == seq:
            assert stored.response == response
