"""PostgreSQL: racing submissions and publications stay consistent (row locks + constraints)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from trainees import services
from trainees.models import CultivationEvent, KeyListEntry, Position, SelectionRound, TrainingApplication
from trainees.services import NomineeData

from .factories import ApplicationFactory, NomineeFactory, SelectionRoundFactory, add_capacity, enterprise_in, unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(n, fn):
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(("ok", fn()))
        except ValidationError as exc:
            outcomes.append(("refused", exc.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_racing_duplicate_applications_make_exactly_one(site):
    round_ = SelectionRoundFactory(customs_unit=unit("5300"))
    enterprise = enterprise_in("5301")

    def submit():
        return services.application_submit(
            enterprise_id=enterprise.id,
            round_id=round_.id,
            training_type="compliance",
            willingness="strong",
            nominees=[NomineeData(name="张三", position=Position.LEGAL_REPRESENTATIVE)],
            actor=None,
        ).id

    outcomes = race(8, submit)
    assert sorted(o[0] for o in outcomes) == ["ok"] + ["refused"] * 7
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"duplicate"}
    assert TrainingApplication.objects.count() == 1
    assert CultivationEvent.objects.filter(action="apply").count() == 1


def test_racing_publications_publish_once(site):
    round_ = SelectionRoundFactory(customs_unit=unit("5300"), status=SelectionRound.Status.CLOSED)
    add_capacity(round_, seats=50)
    for _ in range(30):
        app = ApplicationFactory(round=round_, enterprise=enterprise_in("5301", cultivation_status="applied"))
        NomineeFactory(application=app)
    outcomes = race(4, lambda: services.round_publish(round_id=round_.id, actor=None).id)
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused", "refused"]
    assert KeyListEntry.objects.count() == 30
    assert CultivationEvent.objects.filter(action="select").count() == 30
