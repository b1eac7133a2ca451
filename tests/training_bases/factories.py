"""Factories for the training-bases tests, and a helper that publishes a key training list."""

import datetime as dt

import factory
from django.utils import timezone

from tests.factories import EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from tests.trainees.factories import ApplicationFactory, NomineeFactory, SelectionRoundFactory
from trainees.models import (
    KeyListEntry,
    Position,
    SelectionDecision,
    SelectionRound,
    TrainingType,
)
from trainees.roles import Role
from training_bases.models import Room, TrainingBase, TrainingSession


def base(slug: str = "suzhou") -> TrainingBase:
    return TrainingBase.objects.get(slug=slug)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    base = factory.LazyFunction(lambda: TrainingBase.objects.get(slug="suzhou"))
    name_zh = factory.Sequence(lambda n: f"第{n}教室")
    name_en = factory.Sequence(lambda n: f"Classroom {n}")
    kind = Room.Kind.CLASSROOM
    capacity = 40


def _start():
    return (timezone.now() + dt.timedelta(days=14)).replace(hour=1, minute=0, second=0, microsecond=0)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    title_zh = factory.Sequence(lambda n: f"AEO合规培训第{n}期")
    title_en = factory.Sequence(lambda n: f"Compliance training {n}")
    training_type = TrainingType.COMPLIANCE
    room = factory.SubFactory(RoomFactory)
    base = factory.LazyAttribute(lambda o: o.room.base)
    starts_at = factory.LazyFunction(_start)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=8))
    capacity = 10
    status = TrainingSession.Status.OPEN
    booking_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    booking_closes_at = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=1))
    cancellation_cutoff = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=2))


def staff(position=Position.CUSTOMS_AFFAIRS, **kwargs):
    return EnterpriseStaffFactory(position=position, roles=[Role.ENTERPRISE_STAFF], **kwargs)


def officer(**kwargs):
    """A customs officer, at GACC level unless a `customs_unit` is given (sees every district)."""
    from trainees.models import CustomsUnit

    kwargs.setdefault("customs_unit", CustomsUnit.objects.get(code="0000"))
    return UserFactory(roles=[Role.CUSTOMS_OFFICER], **kwargs)


def trainer(**kwargs):
    return UserFactory(roles=[Role.TRAINER], **kwargs)


def publish_key_list(people, training_type=TrainingType.COMPLIANCE):
    """A published round whose key list holds `people`: (user or None, priority, preferred bases,
    position) tuples. Returns the round."""
    round_ = SelectionRoundFactory(status=SelectionRound.Status.PUBLISHED, published_at=timezone.now())
    applications = {}
    decisions = {}
    for user, priority, bases, position in people:
        enterprise = user.enterprise if user is not None else EnterpriseFactory()
        if enterprise.pk not in applications:
            applications[enterprise.pk] = ApplicationFactory(
                round=round_, enterprise=enterprise, training_type=training_type, preferred_bases=list(bases)
            )
            decisions[enterprise.pk] = SelectionDecision.objects.create(
                round=round_,
                application=applications[enterprise.pk],
                outcome="listed",
                rank=priority,
                total=len(people),
                policy_version=1,
            )
        application = applications[enterprise.pk]
        decision = decisions[enterprise.pk]
        nominee = NomineeFactory(
            application=application, user=user, name=str(user) if user else f"无账号{priority}", position=position
        )
        KeyListEntry.objects.create(
            round=round_,
            decision=decision,
            application=application,
            nominee=nominee,
            enterprise=enterprise,
            training_type=training_type,
            priority=priority,
        )
    return round_


def booking_deleted_after_access_check(monkeypatch, module) -> None:
    """Make `module`'s view delete the booking right after its access check passes, as an
    officer deleting it in the back office at that moment would: the service then finds no row."""
    from training_bases.models import Booking

    real = module.may_act_on_booking

    def deleting(user, found):
        allowed = real(user, found)
        Booking.objects.filter(pk=found.pk).delete()
        return allowed

    monkeypatch.setattr(module, "may_act_on_booking", deleting)


def listed_staff(**kwargs):
    """A member of staff of an enterprise on the key training list (cultivation "listed")."""
    from trainees.models import CultivationStatus

    user = staff(**kwargs)
    user.enterprise.cultivation_status = CultivationStatus.LISTED
    user.enterprise.save()
    return user


def suspend(user, actor):
    """An officer suspends the cultivation of `user`'s enterprise (being audited)."""
    from trainees import services as trainees_services

    return trainees_services.cultivation_suspend(
        enterprise_id=user.enterprise_id, actor=actor, ground="being_audited", reason="稽查中"
    )
