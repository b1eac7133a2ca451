"""The booking paths run a constant number of statements, whatever the size of the key training
list or the number of placements, and a web booking uses the person's own listed round."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notices.models import Notice
from trainees.models import KeyListEntry, NominatedTrainee, SelectionRound, User
from training_bases import rules, services
from training_bases.models import AllocationRun, Booking, TrainingBase, TrainingSession

from .factories import RoomFactory, SessionFactory, officer, publish_key_list, staff

pytestmark = pytest.mark.django_db


def extend_key_list(round_, n: int, *, with_users: bool = False) -> list:
    """Add `n` people after the last priority of `round_`'s list (same application as its first entry)."""
    first = KeyListEntry.objects.filter(round=round_).order_by("priority").first()
    start = KeyListEntry.objects.filter(round=round_).order_by("-priority").first().priority + 1
    users = [None] * n
    if with_users:
        users = User.objects.bulk_create(
            User(email=f"listed{round_.pk}-{i}@example.com", enterprise=first.enterprise, position="customs_affairs")
            for i in range(n)
        )
    nominees = NominatedTrainee.objects.bulk_create(
        NominatedTrainee(application=first.application, user=u, name=f"名单{i}", position="customs_affairs")
        for i, u in enumerate(users)
    )
    KeyListEntry.objects.bulk_create(
        KeyListEntry(
            round=round_,
            decision=first.decision,
            application=first.application,
            nominee=nominee,
            enterprise=first.enterprise,
            training_type=first.training_type,
            priority=start + i,
        )
        for i, nominee in enumerate(nominees)
    )
    return users


def web_booking_queries(user, session) -> tuple[int, Booking]:
    """Statements of one booking exactly as `views.session_book` calls the service."""
    with CaptureQueriesContext(connection) as ctx:
        booking = services.booking_create(user=user, session_id=session.pk)
    return len(ctx), booking


def test_web_booking_uses_the_persons_own_round_not_the_latest_in_the_country(db):
    session = SessionFactory(capacity=5)
    listed = staff()
    own_round = publish_key_list([(listed, 7, ("suzhou",), "customs_affairs")])
    later = publish_key_list([(staff(), 1, ("suzhou",), "customs_affairs")])
    SelectionRound.objects.filter(pk=later.pk).update(published_at=own_round.published_at + dt.timedelta(days=1))
    assert services.booking_create(user=listed, session_id=session.pk).priority == 7


def test_a_person_on_two_published_lists_books_with_the_later_one(db):
    session = SessionFactory(capacity=5)
    listed = staff()
    publish_key_list([(listed, 9, ("suzhou",), "customs_affairs")])
    publish_key_list([(listed, 2, ("suzhou",), "customs_affairs")])  # entries written when published
    assert services.booking_create(user=listed, session_id=session.pk).priority == 2


def test_removed_from_the_list_books_as_unlisted(db):
    session = SessionFactory(capacity=5)
    listed = staff()
    round_ = publish_key_list([(listed, 3, ("suzhou",), "customs_affairs")])
    KeyListEntry.objects.filter(round=round_).update(removed_at=timezone.now())
    assert services.booking_create(user=listed, session_id=session.pk).priority == rules.UNLISTED_PRIORITY


def test_web_booking_query_count_does_not_grow_with_the_key_list(django_assert_max_num_queries):
    session = SessionFactory(capacity=5)
    first, second = staff(), staff()
    round_ = publish_key_list([(first, 1, ("suzhou",), "customs_affairs")])
    extend_key_list(round_, 9)
    services.booking_create(user=staff(), session_id=session.pk)  # the process's one-time lookups (content types)
    small, booking = web_booking_queries(first, session)
    assert booking.priority == 1
    extend_key_list(round_, 990)
    last = KeyListEntry.objects.filter(round=round_).order_by("-priority").first()
    NominatedTrainee.objects.filter(pk=last.nominee_id).update(user=second)
    with django_assert_max_num_queries(small):
        large, booking = web_booking_queries(second, session)
    assert KeyListEntry.objects.filter(round=round_).count() == 1000
    assert booking.priority == 1000
    assert large == small


@pytest.mark.postgres
def test_a_booking_reads_locks_and_counts_in_one_round_trip_then_writes_once(db):
    """Who is booking, the session's lock and its confirmed seats (and the booking's key) go to
    PostgreSQL as one query string; under the lock only the booking and its notice follow, as one
    query string too (the bare transaction's writes, one round trip fewer)."""
    session = SessionFactory(capacity=5)
    count, booking = web_booking_queries(staff(), session)
    assert booking.status == Booking.Status.CONFIRMED
    second = staff()
    with CaptureQueriesContext(connection) as ctx:
        made = services.booking_create(user=second, session_id=session.pk)
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert "cultivation_status" in sent[0] and "FOR UPDATE" in sent[0] and "SELECT position, seat_number" in sent[0]
    assert len(sent) == 2
    assert sent[1].startswith('INSERT INTO "training_bases_booking"')
    assert '; INSERT INTO "notices_notice"' in sent[1]
    assert count == len(ctx)
    stored = Booking.objects.get(pk=made.pk)
    assert (stored.user_id, stored.status) == (second.pk, Booking.Status.CONFIRMED)
    notice = Notice.objects.get(target_id=made.pk, kind=Notice.Kind.CONFIRMATION)
    assert notice.recipient_id == second.pk


@pytest.mark.postgres
def test_the_booking_that_fills_a_session_sets_it_full_with_its_writes(db):
    session, person = SessionFactory(capacity=1), staff()
    # The notice's content type is looked up once per process (Django's cache), then never again.
    services.booking_create(user=staff(), session_id=SessionFactory().pk)
    with CaptureQueriesContext(connection) as ctx:
        services.booking_create(user=person, session_id=session.pk)
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sent) == 2
    assert sent[1].startswith("UPDATE training_bases_trainingsession SET status")
    assert '; INSERT INTO "training_bases_booking"' in sent[1]
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.FULL


@pytest.mark.postgres
def test_a_cancellation_reads_the_seats_it_frees_with_the_cancel(db):
    session = SessionFactory(capacity=1)
    holder = staff()
    held = services.booking_create(user=holder, session_id=session.pk)
    services.booking_create(user=staff(), session_id=session.pk)
    with CaptureQueriesContext(connection) as ctx:
        services.booking_cancel(actor=holder, booking_id=held.pk)
    together = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE training_bases_booking")]
    assert len(together) == 2  # the cancel with the seat read, then the promotion with both notices
    assert "RETURNING id; SELECT c.total" in together[0]
    assert '; INSERT INTO "notices_notice"' in together[1]
    assert sorted(
        Notice.objects.filter(target_id__in=Booking.objects.filter(session=session).values("pk")).values_list(
            "kind", flat=True
        )
    ) == ["cancellation", "confirmation", "promotion", "waitlist"]
    assert Booking.objects.get(session=session, status="confirmed").user_id != holder.pk


@pytest.mark.postgres
def test_a_cancellation_that_reopens_a_full_session_sets_it_open_with_its_last_writes(db):
    """Nobody waiting: the seat freed reopens the session, and that update goes with the
    cancellation's notice, not as a round trip of its own under the lock."""
    session = SessionFactory(capacity=1)
    holder = staff()
    held = services.booking_create(user=holder, session_id=session.pk)
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.FULL
    with CaptureQueriesContext(connection) as ctx:
        services.booking_cancel(actor=holder, booking_id=held.pk)
    sent = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(sent) == 3  # lock and read; the cancel with the seats it frees; status and notice
    assert sent[2].startswith("UPDATE training_bases_trainingsession SET status")
    assert '; INSERT INTO "notices_notice"' in sent[2]
    assert TrainingSession.objects.get(pk=session.pk).status == TrainingSession.Status.OPEN
    assert Notice.objects.get(target_id=held.pk, kind="cancellation").recipient_id == holder.pk


def test_cancellation_with_promotion_query_count_does_not_grow_with_the_waitlist(db):
    def cancel_queries(waiting: int) -> tuple[int, Booking]:
        session = SessionFactory(capacity=1)
        holder = staff()
        held = services.booking_create(user=holder, session_id=session.pk)
        waiters = [staff() for _ in range(waiting)]
        for priority, user in enumerate(waiters, start=1):
            services.booking_create(user=user, session_id=session.pk, priority=priority)
        with CaptureQueriesContext(connection) as ctx:
            services.booking_cancel(actor=holder, booking_id=held.pk)
        return len(ctx), Booking.objects.get(session=session, status="confirmed")

    small, promoted_small = cancel_queries(1)
    large, promoted_large = cancel_queries(12)
    assert promoted_small.priority == 1 and promoted_large.priority == 1
    assert large == small


@pytest.mark.postgres  # elsewhere `bulk_create` splits the bookings by the driver's parameter limit
def test_allocation_confirm_query_count_does_not_grow_with_placements(db):
    base = TrainingBase.objects.get(slug="suzhou")
    actor = officer()

    def confirm_queries(extra: int) -> tuple[int, int]:
        Booking.objects.all().delete()
        AllocationRun.objects.all().delete()
        SessionFactory(room=RoomFactory(base=base, capacity=200), capacity=200)
        first = staff()
        round_ = publish_key_list([(first, 1, ("suzhou",), "customs_affairs")])
        extend_key_list(round_, extra, with_users=True)
        run = services.allocation_preview(actor=actor, training_type="compliance", round_id=round_.pk)
        with CaptureQueriesContext(connection) as ctx:
            services.allocation_confirm(actor=actor, run_id=run.pk)
        return len(ctx), Booking.objects.filter(allocation_run=run, status="confirmed").count()

    small, placed_small = confirm_queries(2)
    large, placed_large = confirm_queries(60)
    assert (placed_small, placed_large) == (3, 61)
    assert large <= small  # the first run may also fill per-process caches (content types)


def test_without_client_side_binding_the_statements_go_one_by_one_with_the_same_result(db, monkeypatch):
    """The path of other databases (SQLite for `make run`) and of server-side binding."""
    from training_bases import seats

    class NotTheDriversCursor:
        pass

    monkeypatch.setattr(seats.psycopg, "ClientCursor", NotTheDriversCursor)
    session = SessionFactory(capacity=1)
    listed = staff()
    publish_key_list([(listed, 3, ("suzhou",), "customs_affairs")])
    holder = staff()
    held = services.booking_create(user=holder, session_id=session.pk)
    with CaptureQueriesContext(connection) as ctx:
        waiting = services.booking_create(user=listed, session_id=session.pk)
    assert (waiting.status, waiting.priority) == (Booking.Status.WAITLISTED, 3)
    assert not any("FOR UPDATE" in q["sql"] and "SELECT position" in q["sql"] for q in ctx.captured_queries)
    services.booking_cancel(actor=holder, booking_id=held.pk)
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
