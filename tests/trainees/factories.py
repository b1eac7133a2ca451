"""Factories and helpers for the trainees tests."""

from datetime import date

import factory

from tests.factories import EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from trainees.models import (
    CustomsUnit,
    NominatedTrainee,
    Position,
    RoundCapacity,
    SelectionPolicy,
    SelectionRound,
    TrainingApplication,
    TrainingType,
)
from trainees.roles import Role


class SelectionPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionPolicy
        django_get_or_create = ("version",)

    version = 1
    name = "Default"
    is_active = True


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionRound

    name = factory.Sequence(lambda n: f"2027 Q1 round {n}")
    customs_unit = factory.LazyFunction(lambda: CustomsUnit.objects.get(code="5300"))
    policy = factory.SubFactory(SelectionPolicyFactory)
    applications_close_on = date(2027, 1, 10)


def add_capacity(round_, seats=10, training_type=TrainingType.COMPLIANCE, bases=("suzhou", "shenzhen", "guangzhou")):
    for base in bases:
        RoundCapacity.objects.create(round=round_, training_type=training_type, base_slug=base, seats=seats)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingApplication

    round = factory.SubFactory(SelectionRoundFactory)
    enterprise = factory.SubFactory(
        EnterpriseFactory, customs_unit=factory.LazyFunction(lambda: CustomsUnit.objects.get(code="5301"))
    )
    training_type = TrainingType.COMPLIANCE
    willingness = "moderate"
    preferred_bases = factory.LazyFunction(lambda: ["shenzhen"])


class NomineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominatedTrainee

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"学员{n}")
    position = Position.CUSTOMS_AFFAIRS


def unit(code: str) -> CustomsUnit:
    return CustomsUnit.objects.get(code=code)


def officer(code: str, **kwargs):
    return UserFactory(customs_unit=unit(code), roles=[Role.CUSTOMS_OFFICER], **kwargs)


def enterprise_in(code: str, **kwargs):
    return EnterpriseFactory(customs_unit=unit(code), **kwargs)


def staff_of(enterprise, position=Position.CUSTOMS_AFFAIRS, **kwargs):
    return EnterpriseStaffFactory(enterprise=enterprise, position=position, roles=[Role.ENTERPRISE_STAFF], **kwargs)
