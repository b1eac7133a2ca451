"""The 2026 customs criteria ship as versioned, editable data."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness import reference_data
from readiness.models import CriteriaEdition, CriteriaItem, Criterion
from tests.factories import UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def count(edition_code: str, **filters) -> int:
    return Criterion.objects.filter(item__area__edition__code=edition_code, **filters).count()


def test_2026_editions_have_the_official_number_of_sub_items():
    assert (
        count(
            "2026-advanced",
            item__area__key__in=["internal_control", "financial_status", "compliance", "trade_security"],
        )
        == 68
    )
    assert count("2026-advanced", is_bonus=True) == 6
    assert count("2026-certified") == 62
    assert count("2026-advanced", item__area__key="specific") == 22
    advanced = CriteriaEdition.objects.get(code="2026-advanced")
    assert advanced.legal_basis == "海关总署公告2026年第34号"
    assert str(advanced.effective_from) == "2026-04-01"


def test_sub_items_keep_their_official_numbers_and_wording():
    first = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(1)")
    assert first.item.name_zh == "关企合作"
    assert first.item.area.name_zh == "内部控制"
    assert first.text_zh.startswith("指定海关业务联系人")
    assert first.sequence == 1


def test_every_item_and_area_of_every_edition_has_an_english_name():
    from readiness.models import CriteriaArea

    assert not CriteriaItem.objects.filter(name_en="").exists()
    assert not CriteriaArea.objects.filter(name_en="").exists()
    item = CriteriaItem.objects.get(area__edition__code="2026-certified", number=2)
    assert (item.name_zh, item.name_en) == ("单证复核", "Document review")


def test_reloading_adds_nothing_and_keeps_corrections():
    corrected = Criterion.objects.get(item__area__edition__code="2026-certified", code="(12)")
    corrected.text_zh = "（已由海关核对）" + corrected.text_zh
    corrected.save()
    before = Criterion.objects.count()
    reference_data.load(apps)
    assert Criterion.objects.count() == before
    corrected.refresh_from_db()
    assert corrected.text_zh.startswith("（已由海关核对）")


def test_officers_edit_criteria_in_the_back_office_and_trainers_only_read(client):
    criterion = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(5)")
    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    listing = client.get("/admin/snippets/readiness/criterion/", {"q": "复核"})
    assert listing.status_code == 200
    assert "内部复核" in listing.content.decode()
    assert client.get(f"/admin/snippets/readiness/criterion/edit/{criterion.pk}/").status_code == 200

    client.force_login(UserFactory(roles=[Role.TRAINER]))
    assert client.get("/admin/snippets/readiness/criterion/").status_code == 200
    refused = client.get(f"/admin/snippets/readiness/criterion/edit/{criterion.pk}/")
    # Wagtail sends a person without the permission back to the dashboard with a message.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def add_criteria(n: int, offset: int = 0) -> None:
    items = list(CriteriaItem.objects.order_by("pk"))
    Criterion.objects.bulk_create(
        Criterion(item=items[i % len(items)], sequence=100 + i, code=f"[{i}]", text_zh=f"标准{i}")
        for i in range(offset, offset + n)
    )


def listing_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/snippets/readiness/criterion/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_criteria_list_query_count_is_the_same_for_10_and_1000_rows(client, django_assert_max_num_queries):
    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    Criterion.objects.all().delete()
    add_criteria(10)
    listing_queries(client)  # warm per-process caches (site, locales, permissions)
    small, html = listing_queries(client)
    assert len(set(re.findall(r"标准\d+", html))) == 10
    add_criteria(990, offset=10)
    with django_assert_max_num_queries(40):
        large, html = listing_queries(client)
    assert len(set(re.findall(r"标准\d+", html))) == 50  # a full page of the 1,000 rows
    assert large == small
