"""The 2022 edition ships beside the 2026 ones, with pass rules and financial checks as data."""

import pytest

from readiness import rules
from readiness.models import CriteriaEdition, Criterion, SpecificCriteriaMapping
from trainees.models import BusinessType

pytestmark = pytest.mark.django_db


def test_2022_edition_has_16_items_and_62_general_sub_items_with_placeholders_marked():
    general = Criterion.objects.filter(item__area__edition__code="2022-advanced").exclude(item__area__key="specific")
    assert general.count() == 62
    assert general.values("item").distinct().count() == 16
    placeholders = sorted(int(c.code.strip("()")) for c in general.filter(is_placeholder=True))
    assert placeholders == list(range(20, 31)) + list(range(50, 58))
    assert all("edit in the back office" in c.text_en for c in general.filter(is_placeholder=True))
    specific = Criterion.objects.filter(item__area__edition__code="2022-advanced", item__area__key="specific")
    assert specific.count() == 32
    assert specific.filter(is_placeholder=True).count() == 32
    assert general.get(code="(14)").financial_check == "asset_liability"
    assert general.get(code="(43)").text_zh == "集装箱七点检查"


def test_each_edition_carries_its_pass_rule_and_financial_checks():
    e2022 = CriteriaEdition.objects.get(code="2022-advanced")
    e2026 = CriteriaEdition.objects.get(code="2026-advanced")
    certified = CriteriaEdition.objects.get(code="2026-certified")
    assert e2022.pass_rule == rules.PassRule(max_basic_total=3, bonus_cap=0)
    assert e2026.pass_rule.bonus_cap == 2
    assert e2022.financial_rule.method == rules.FinancialMethod.ASSET_LIABILITY
    assert e2022.financial_rule.years == 5
    assert e2026.financial_rule.method == rules.FinancialMethod.SOLVENCY_PROFITABILITY
    assert e2026.financial_rule.years == 1
    assert certified.financial_rule == e2026.financial_rule
    assert "not found" in certified.rules_note_en
    assert "未找到" in certified.rules_note_zh
    linked = dict(
        Criterion.objects.filter(item__area__edition=e2026)
        .exclude(financial_check="")
        .values_list("code", "financial_check")
    )
    assert linked == {"(12)": "audit_opinion", "(13)": "solvency", "(14)": "profitability"}


def test_business_types_map_to_specific_criteria_per_edition():
    quarantine = BusinessType.objects.get(code="plant_animal_quarantine")
    assert quarantine.criteria_aspect == "animal_plant_quarantine"
    keys = {
        m.edition.code: m.specific_key
        for m in SpecificCriteriaMapping.objects.filter(business_type=quarantine).select_related("edition")
    }
    assert keys == {"2022-advanced": "animal_plant_quarantine", "2026-advanced": "animal_plant_quarantine"}
    specific_2026 = set(
        Criterion.objects.filter(item__area__edition__code="2026-advanced", item__area__key="specific").values_list(
            "item__business_type_key", flat=True
        )
    )
    assert specific_2026 == {"health_quarantine", "animal_plant_quarantine", "food_cosmetics", "commodity_inspection"}
    road = BusinessType.objects.get(code="road_transport")
    assert SpecificCriteriaMapping.objects.get(business_type=road, edition__code="2022-advanced").specific_key == (
        "logistics_transport"
    )
    assert not SpecificCriteriaMapping.objects.filter(business_type=road, edition__code="2026-advanced").exists()


def test_officers_edit_editions_and_placeholders_in_the_back_office_with_the_doubts_shown(client):
    from tests.factories import UserFactory
    from trainees.roles import Role

    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    edition = CriteriaEdition.objects.get(code="2026-certified")
    page = client.get(f"/admin/snippets/readiness/criteriaedition/edit/{edition.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "advanced" in text and "未找到" in text
    listing = client.get("/admin/snippets/readiness/criterion/", {"is_placeholder": "true"})
    assert listing.status_code == 200
    placeholder = Criterion.objects.get(item__area__edition__code="2022-advanced", code="(20)")
    assert client.get(f"/admin/snippets/readiness/criterion/edit/{placeholder.pk}/").status_code == 200
    assert client.get("/admin/snippets/readiness/specificcriteriamapping/").status_code == 200
    assert client.get("/admin/snippets/readiness/criteriaitem/").status_code == 200
