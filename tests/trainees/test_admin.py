"""The back office: officers manage the enterprises and rounds of their district only."""

import pytest
from django.contrib.auth.models import Group, Permission

from .factories import SelectionRoundFactory, add_capacity, enterprise_in, officer, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers():
    group = Group.objects.get(name="Customs officers")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin"]),
        *Permission.objects.filter(
            content_type__app_label="trainees",
            codename__in=[
                "view_enterprise",
                "change_enterprise",
                "add_enterprise",
                "view_selectionround",
                "change_selectionround",
                "add_selectionround",
                "view_selectionpolicy",
            ],
        ),
    )
    return {"gacc": officer("0000"), "shenzhen": officer("5300"), "nanjing": officer("2300")}


def test_enterprise_snippets_by_district(client, officers):
    a = enterprise_in("5301")
    b = enterprise_in("2301")
    client.force_login(officers["shenzhen"])
    index = client.get("/admin/snippets/trainees/enterprise/")
    assert index.status_code == 200
    content = index.content.decode()
    assert a.credit_code in content and b.credit_code not in content
    assert client.get(f"/admin/snippets/trainees/enterprise/edit/{a.pk}/").status_code == 200
    assert client.get(f"/admin/snippets/trainees/enterprise/edit/{b.pk}/").status_code == 404
    client.force_login(officers["gacc"])
    assert client.get(f"/admin/snippets/trainees/enterprise/edit/{b.pk}/").status_code == 200


def test_round_snippets_by_district(client, officers):
    r = SelectionRoundFactory(customs_unit=unit("5300"))
    add_capacity(r)
    client.force_login(officers["nanjing"])
    assert r.name not in client.get("/admin/snippets/trainees/selectionround/").content.decode()
    assert client.get(f"/admin/snippets/trainees/selectionround/edit/{r.pk}/").status_code == 404
    client.force_login(officers["shenzhen"])
    assert client.get(f"/admin/snippets/trainees/selectionround/edit/{r.pk}/").status_code == 200
    assert client.get("/admin/snippets/trainees/selectionpolicy/").status_code == 200


def test_policy_used_by_a_published_round_cannot_change(officers):
    from django.core.exceptions import ValidationError

    from trainees import services

    r = SelectionRoundFactory(customs_unit=unit("5300"))
    add_capacity(r)
    services.round_publish(round_id=r.pk, actor=None)
    policy = r.policy
    policy.high_score_threshold = 70
    with pytest.raises(ValidationError):
        policy.full_clean()
    policy.refresh_from_db()
    policy.name = "renamed"
    policy.full_clean()
