"""The 2026 customs criteria ship as versioned, editable data."""

import json
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


GUIDANCE_FIELDS = ("guidance_zh", "guidance_en", "evidence_zh", "evidence_en")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_2026_sub_item_has_guidance_and_expected_evidence_in_both_languages():
    criteria = Criterion.objects.filter(item__area__edition__code__in=["2026-advanced", "2026-certified"])
    assert criteria.count() == 74 + 22 + 62
    for criterion in criteria.select_related("item__area__edition"):
        where = f"{criterion.item.area.edition.code} {criterion.item.area.key} {criterion.code or criterion.sequence}"
        for field in GUIDANCE_FIELDS:
            assert getattr(criterion, field).strip(), f"{where}: {field} is blank"
        assert CJK.search(criterion.guidance_zh) and CJK.search(criterion.evidence_zh), where
        assert not CJK.search(criterion.guidance_en + criterion.evidence_en), where
    seals = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(55)")
    assert "PAS ISO 17712" in seals.guidance_en and "封条领用登记表" in seals.evidence_zh
    # The same requirement over another period: each edition's guidance names its own.
    advanced = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(27)")
    certified = Criterion.objects.get(item__area__edition__code="2026-certified", code="(25)")
    assert advanced.guidance_zh.startswith("确认2年内") and "within the last 2 years" in advanced.guidance_en
    assert certified.guidance_zh.startswith("确认1年内") and "within the last year" in certified.guidance_en
    visitors = Criterion.objects.get(item__area__edition__code="2026-certified", code="(46)")
    assert visitors.guidance_en == "Identify visitors and register their entry and exit."


def test_guidance_was_written_for_the_wording_each_sub_item_carries():
    """Each entry of the guidance file names the official wording it was written from: the keys
    (edition and number, or business type and order) lead to the sub-item with that wording."""
    data = json.loads(reference_data.GUIDANCE.read_text(encoding="utf-8"))
    for business_key, entries in data.pop("specific").items():
        for sequence, entry in entries.items():
            criterion = Criterion.objects.get(
                item__area__edition__code="2026-advanced", item__business_type_key=business_key, sequence=sequence
            )
            assert criterion.text_zh == entry["text"]
    for edition_code, entries in data.items():
        for code, entry in entries.items():
            assert Criterion.objects.get(item__area__edition__code=edition_code, code=code).text_zh == entry["text"]


def test_2022_placeholders_get_no_guidance_and_wording_shared_with_2026_gets_the_same():
    placeholders = Criterion.objects.filter(item__area__edition__code="2022-advanced", is_placeholder=True)
    assert placeholders.exists()
    assert not placeholders.exclude(guidance_zh="", guidance_en="", evidence_zh="", evidence_en="").exists()
    recovered = Criterion.objects.get(item__area__edition__code="2022-advanced", code="(3)")
    assert recovered.guidance_zh == ""  # its short wording is no 2026 sub-item's
    recovered.text_zh = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(5)").text_zh
    recovered.save()
    reference_data.fill_guidance(apps)
    recovered.refresh_from_db()
    assert recovered.guidance_zh.startswith("明确制单和复核岗位的工作流程")
    assert recovered.evidence_en.startswith("Document preparation and review procedure")


def test_filling_keeps_what_an_officer_wrote_and_undoing_clears_only_what_was_filled():
    review = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(5)")
    filled = {field: getattr(review, field) for field in GUIDANCE_FIELDS}
    review.guidance_zh = "由关务部经理复核每票报关单。"
    review.evidence_en = ""
    review.save()

    reference_data.clear_guidance(apps)
    review.refresh_from_db()
    assert (review.guidance_zh, review.guidance_en, review.evidence_zh, review.evidence_en) == (
        "由关务部经理复核每票报关单。",
        "",
        "",
        "",
    )
    assert not Criterion.objects.filter(item__area__edition__code="2026-certified").exclude(guidance_en="").exists()

    reference_data.fill_guidance(apps)
    review.refresh_from_db()
    assert review.guidance_zh == "由关务部经理复核每票报关单。"
    assert (review.guidance_en, review.evidence_zh, review.evidence_en) == (
        filled["guidance_en"],
        filled["evidence_zh"],
        filled["evidence_en"],
    )
