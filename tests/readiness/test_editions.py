"""The 2022 edition ships beside the 2026 ones, with pass rules and financial checks as data."""

import re

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


def test_the_back_office_refuses_a_financial_link_the_editions_method_does_not_make(client):
    from tests.factories import UserFactory
    from trainees.roles import Role

    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    sub_item = Criterion.objects.get(item__area__edition__code="2022-advanced", code="(13)")
    fields = {
        "code": "(13)",
        "text_zh": sub_item.text_zh,
        "text_en": sub_item.text_en,
        "guidance_zh": "",
        "guidance_en": "",
        "evidence_zh": "",
        "evidence_en": "",
    }
    url = f"/admin/snippets/readiness/criterion/edit/{sub_item.pk}/"
    refused = client.post(url, fields | {"financial_check": "solvency"})
    assert refused.status_code == 200
    assert "do not include this check" in refused.content.decode() or "不含此项检查" in refused.content.decode()
    sub_item.refresh_from_db()
    assert sub_item.financial_check == ""

    edition = CriteriaEdition.objects.get(code="2022-advanced")
    edition.financial_method = rules.FinancialMethod.NONE.value
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refusal:
        edition.full_clean()
    assert "(14)" in str(refusal.value.message_dict["financial_method"])


def test_a_new_edition_changes_no_assessment_or_report_made_under_an_older_one(client):
    import datetime

    from django.utils import timezone

    from readiness import report_services, selectors
    from readiness.models import AssessmentVersion, CriteriaArea, CriteriaItem
    from tests.readiness.test_report_services import submitted
    from tests.trainees.factories import enterprise_in, staff_of
    from trainees.models import Position

    user = staff_of(enterprise_in("5301"), position=Position.LEGAL_REPRESENTATIVE)
    version = submitted(user)
    assessment = version.assessment
    kept = report_services.readiness_recompute(enterprise_id=user.enterprise_id)
    frozen = AssessmentVersion.objects.values().get(pk=version.pk)
    client.force_login(user)
    draft_before = client.get(f"/readiness/{assessment.pk}/").content.decode().count('class="panel criterion"')

    # Officers add the next edition, in force from yesterday, with a stricter rule and one more sub-item.
    today = timezone.localdate()
    newer = CriteriaEdition.objects.create(
        code="2027-advanced",
        title_zh="海关高级认证企业标准（2027）",
        legal_basis_zh="（新公告）",
        level="advanced",
        effective_from=today - datetime.timedelta(days=1),
        max_basic_total=0,
        min_score=101,
        financial_method=rules.FinancialMethod.ASSET_LIABILITY.value,
        financial_years=5,
    )
    area = CriteriaArea.objects.create(edition=newer, key="internal_control", name_zh="内部控制", position=1)
    item = CriteriaItem.objects.create(area=area, number=1, name_zh="关企合作")
    Criterion.objects.create(item=item, sequence=1, code="(1)", text_zh="新的措辞")
    assert selectors.edition_in_force(today=today) == newer

    assert AssessmentVersion.objects.values().get(pk=version.pk) == frozen
    assessment.refresh_from_db()
    assert assessment.edition.code == "2026-advanced"
    draft = client.get(f"/readiness/{assessment.pk}/").content.decode()
    assert draft.count('class="panel criterion"') == draft_before == 74
    assert "新的措辞" not in draft
    kept_report = kept.report
    kept.refresh_from_db()
    assert (kept.edition_code, kept.report) == ("2026-advanced", kept_report)
    # Recomputed, the report still judges the enterprise under the edition it submitted against.
    again = report_services.readiness_recompute(enterprise_id=user.enterprise_id)
    assert (again.edition_code, again.status, again.score) == ("2026-advanced", kept.status, kept.score)


def test_placeholders_are_counted_in_the_back_office_and_on_the_self_assessment_page(client):
    from readiness import services
    from tests.factories import EnterpriseFactory, EnterpriseStaffFactory, UserFactory
    from trainees.models import Position
    from trainees.roles import Role

    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    listing = client.get("/admin/snippets/readiness/criteriaedition/")
    assert listing.status_code == 200
    row = listing.content.decode().split("海关高级认证企业标准（2022）", 1)[1].split("</tr>", 1)[0]
    cells = [cell.strip() for cell in re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", row)]
    assert "94" in cells and "51" in cells  # 62 general + 32 specific; 19 general + 32 specific placeholders

    user = EnterpriseStaffFactory(enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE)
    for code, count in (("2022-advanced", 19), ("2026-advanced", 0)):
        edition = CriteriaEdition.objects.get(code=code)
        assessment = services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)
        client.force_login(user)
        page = client.get(f"/readiness/{assessment.pk}/").content.decode()
        if count:
            assert f"本页有{count}项细目为占位内容" in page
        else:
            assert 'id="placeholders"' not in page
