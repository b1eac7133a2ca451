"""factory_boy factories shared by the whole suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from trainees.models import CustomsUnit, Enterprise, Position, User
from trainees.validators import credit_code_check_character

TEST_PASSWORD = "correct-horse-battery-9"


def credit_code(n: int) -> str:
    first17 = f"91440300MA{n:07d}"
    return first17 + credit_code_check_character(first17)


class CustomsUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomsUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:03d}")
    name_zh = factory.Sequence(lambda n: f"测试海关{n}")
    name_en = factory.Sequence(lambda n: f"Test Customs {n}")
    level = CustomsUnit.Level.LOCAL


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name_zh = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n} Co., Ltd.")
    credit_code = factory.Sequence(credit_code)
    customs_code = factory.Sequence(lambda n: f"44039{n:05d}")
    customs_unit = factory.SubFactory(CustomsUnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    last_name = "张"
    first_name = factory.Sequence(lambda n: f"测试{n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=role.value)[0])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class EnterpriseStaffFactory(UserFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)
    position = Position.CUSTOMS_AFFAIRS
