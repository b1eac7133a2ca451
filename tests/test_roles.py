"""Roles are groups made by a data migration; trainers and customs officers work in the Wagtail
admin, everybody else stays on the public site."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import EnterpriseStaffFactory, UserFactory
from trainees.models import User
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize(
    ("roles", "admin_status"),
    [
        ([Role.TRAINER], 200),
        ([Role.CUSTOMS_OFFICER], 200),
        ([Role.ENTERPRISE_STAFF], 403),
        ([Role.VALIDATOR_CANDIDATE], 403),
        ([Role.INVIGILATOR], 403),
        ([], 403),
    ],
)
def test_only_trainers_and_officers_reach_the_wagtail_admin(client, roles, admin_status):
    user = UserFactory(roles=roles)
    client.force_login(user)
    assert client.get("/admin/").status_code == admin_status
    assert user.works_in_back_office is (admin_status == 200)


def test_trainers_can_edit_pages_under_the_home_page(client):
    from cms.models import HomePage

    client.force_login(UserFactory(roles=[Role.TRAINER]))
    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/cms/standardpage/{home.pk}/").status_code == 200


def test_django_admin_is_moved_aside_and_for_superusers_only(client):
    assert client.get("/django-admin/").status_code == 302
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get("/django-admin/").status_code == 403  # not staff: a clear refusal, no login loop
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/django-admin/").status_code == 200


def test_enterprise_staff_belong_to_one_enterprise_with_a_position():
    staff = EnterpriseStaffFactory()
    assert staff.enterprise is not None and staff.position
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=staff.pk).update(position="")


def test_training_bases_and_customs_tree_come_from_migrations():
    from trainees.models import CustomsUnit
    from training_bases.models import TrainingBase

    assert set(TrainingBase.objects.values_list("slug", flat=True)) == {"suzhou", "shenzhen", "guangzhou"}
    gacc = CustomsUnit.objects.get(level=CustomsUnit.Level.GACC)
    assert gacc.children.filter(name_zh="深圳海关").exists()
    assert CustomsUnit.objects.get(name_zh="苏州海关").parent.name_zh == "南京海关"


def test_seed_demo_is_idempotent_and_every_demo_account_can_log_in(client, mailoutbox, settings):
    backend = settings.EMAIL_BACKEND
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mailoutbox == [], "made-up demo addresses must not be mailed"
    assert backend == settings.EMAIL_BACKEND, "seeding must not silence e-mail for the rest of the process"
    counts = {model: model.objects.count() for model in (User, Group)}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {model: model.objects.count() for model in (User, Group)} == counts

    from trainees.demo import DEMO_PASSWORD

    expectations = {
        "officer@demo.aeo": 200,
        "trainer@demo.aeo": 200,
        "legal@demo.aeo": 403,
        "candidate@demo.aeo": 403,
        "invigilator@demo.aeo": 403,
    }
    for email, admin_status in expectations.items():
        client.logout()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/admin/").status_code == admin_status, email


@pytest.mark.django_db(transaction=True)
def test_seed_demo_leaves_no_mail_for_a_worker(site, mailoutbox):
    """With a worker on Redis, tasks queued while seeding would mail the made-up demo addresses
    later: seeding runs them in-process, with e-mail silenced, and marks them done."""
    from lms.celery import app
    from notices.models import Notice

    eager, app.conf.task_always_eager = app.conf.task_always_eager, False  # as with a worker
    try:
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    finally:
        app.conf.task_always_eager = eager
    assert Notice.objects.exists()
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert mailoutbox == []
