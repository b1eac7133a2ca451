"""Threads for tests of concurrent writers on PostgreSQL: each runs on its own connection and
keeps its result or error; helpers wait until a connection blocks on a lock."""

import threading
import time

from django.db import connection, transaction

from training_bases import services
from training_bases.models import TrainingSession

from .factories import officer


def wait_until_blocked(n: int = 1, timeout: float = 10.0) -> None:
    """Until `n` other connections to this database wait for a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= n:
                return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {n} connections ever waited for a lock")


class Worker(threading.Thread):
    """Runs `job` on its own connection; keeps its result or its exception."""

    def __init__(self, job):
        super().__init__()
        self.job, self.result, self.error = job, None, None

    def run(self):
        try:
            self.result = self.job()
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            self.error = exc
        finally:
            connection.close()


class SessionLockHolder(threading.Thread):
    """Holds a session's row lock, as any booker, cancellation or officer does, until released."""

    def __init__(self, session_id: int):
        super().__init__()
        self.session_id = session_id
        self.locked, self.release = threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                TrainingSession.objects.select_for_update().get(pk=self.session_id)
                self.locked.set()
                self.release.wait(timeout=30)
        finally:
            connection.close()


class RoomMove(threading.Thread):
    """An officer moves the session to another room (`services.session_save`); the transaction
    stays open, the session row locked and changed, until released."""

    def __init__(self, session_id: int, room_id: int, monkeypatch):
        super().__init__()
        self.session_id, self.room_id, self.actor = session_id, room_id, officer()
        self.saved, self.release = threading.Event(), threading.Event()
        self.error = None
        real = services.session_after_change

        def pausing(**kwargs):
            real(**kwargs)
            self.saved.set()
            self.release.wait(timeout=30)

        monkeypatch.setattr(services, "session_after_change", pausing)

    def run(self):
        try:
            session = TrainingSession.objects.get(pk=self.session_id)
            session.room_id = self.room_id
            services.session_save(session=session, actor=self.actor)
        except Exception as exc:  # noqa: BLE001 - inspected by the test
            self.error = exc
        finally:
            self.saved.set()
            connection.close()


def at_once(jobs) -> list[Worker]:
    """One started `Worker` per job, all released together (a barrier)."""
    barrier = threading.Barrier(len(jobs))

    def released(job):
        def run():
            barrier.wait(timeout=60)
            return job()

        return run

    workers = [Worker(released(job)) for job in jobs]
    for worker in workers:
        worker.start()
    return workers


def finish(*threads, timeout: float = 60) -> None:
    """Join every thread; none may hang."""
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung"
