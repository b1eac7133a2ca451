"""Demo objects for the URL table: one of each role, and the objects their URLs name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from notices import services as notice_services
from tests.factories import UserFactory
from tests.trainees.factories import SelectionRoundFactory, enterprise_in, officer, staff_of, unit
from tests.training_bases.factories import RoomFactory, SessionFactory
from trainees import services as trainee_services
from trainees.models import Position, SelectionRound
from trainees.roles import Role
from training_bases import services
from training_bases.models import AllocationRun, TrainingBase

from .tables import (
    ADMIN,
    ANON,
    CANDIDATE,
    GACC,
    INVIGILATOR,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    STAFF,
    TRAINER,
)


@dataclass
class World:
    users: dict
    enterprise: object
    other_enterprise: object
    session: object
    booking: object
    round: object
    allocation_run: object
    invitation_token: str
    feed_token: str
    checkin_token: str
    day: dt.date
    live_session: object = None
    live_question: object = None


def build() -> World:
    enterprise = enterprise_in("5301")  # Futian, in the Shenzhen district
    other_enterprise = enterprise_in("2301")  # Suzhou, in the Nanjing district
    users = {
        ANON: None,
        STAFF: staff_of(enterprise),
        ADMIN: staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True),
        OTHER_STAFF: staff_of(other_enterprise),
        TRAINER: UserFactory(roles=[Role.TRAINER], customs_unit=unit("5300")),
        OFFICER: officer("5300"),
        OTHER_OFFICER: officer("2300"),
        GACC: officer("0000"),
        INVIGILATOR: UserFactory(roles=[Role.INVIGILATOR], customs_unit=unit("5100")),
        CANDIDATE: UserFactory(roles=[Role.VALIDATOR_CANDIDATE], customs_unit=unit("5300")),
    }
    session = SessionFactory(room=RoomFactory(base=TrainingBase.objects.get(slug="shenzhen")))
    session.trainers.add(users[TRAINER])
    booking = services.booking_create(user=users[STAFF], session_id=session.pk)
    round_ = SelectionRoundFactory(
        customs_unit=unit("5300"), status=SelectionRound.Status.PUBLISHED, published_at=timezone.now()
    )
    run = AllocationRun.objects.create(training_type="compliance", round_id=round_.pk, created_by=users[OFFICER])
    _, invitation_token = trainee_services.invitation_send(
        enterprise_id=enterprise.pk,
        email="invited@example.com",
        position=Position.CUSTOMS_AFFAIRS,
        actor=users[ADMIN],
        accept_url="/{token}",
    )
    day = timezone.localtime(session.starts_at).date()
    live_session, live_question = _live(users[STAFF])
    return World(
        users=users,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        session=session,
        booking=booking,
        round=round_,
        allocation_run=run,
        invitation_token=invitation_token,
        feed_token=notice_services.preference_get(user=users[STAFF]).feed_token,
        checkin_token=services.checkin_token(session_id=session.pk, day=day),
        day=day,
        live_session=live_session,
        live_question=live_question,
    )


def _live(viewer):
    """A live observation session on air now, the staff member registered and watching."""
    from live import services as live_services
    from tests.live.factories import live_session

    now = timezone.now()
    session = live_session(starts_at=now - dt.timedelta(minutes=5), minutes=60)
    session.venues.update(stream_url="http://127.0.0.1:9/closed/index.m3u8", backup_url="")
    live_services.registration_create(session_id=session.pk, user=viewer, now=now)
    live_services.viewer_start(session=session, user_id=viewer.pk, now=now - dt.timedelta(seconds=10))
    question = live_services.question_ask(session=session, user=viewer, text="现场检查看什么？")
    return session, question
