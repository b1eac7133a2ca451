"""Demo data of the self-assessment: two enterprises judged themselves, one under the 2022
criteria and one under the 2026 criteria, with evidence and five fiscal years of figures; their
verdicts differ for reasons the submitted versions state."""

import pytest
from django.core.management import call_command

from readiness.models import AssessmentVersion, Evidence, FinancialYear

pytestmark = pytest.mark.django_db


def test_demo_has_a_2022_and_a_2026_assessment_whose_verdicts_differ_for_stated_reasons(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    versions = {
        v.assessment.enterprise.name_zh: v
        for v in AssessmentVersion.objects.select_related("assessment__enterprise", "assessment__edition")
    }
    hengxin = versions["苏州恒信精密机械有限公司"]
    haichuan = versions["深圳海川电子科技有限公司"]
    assert hengxin.assessment.edition.code == "2026-advanced"
    assert haichuan.assessment.edition.code == "2022-advanced"

    for version in (hengxin, haichuan):
        enterprise = version.assessment.enterprise
        assert FinancialYear.objects.filter(enterprise=enterprise).count() == 5
        assert len(version.snapshot["figures"]) == 5
        assert Evidence.objects.filter(assessment=version.assessment).count() >= 3
        assert any(row["evidence"] for row in version.snapshot["sub_items"])

    assert (hengxin.outcome, hengxin.blocking) == ("pass", [])
    assert haichuan.outcome == "fail"
    # The stated reasons: the asset-liability ratio above 95 % in one year (sub-item 14, judged from
    # the figures) and four "basically meets" where the 2022 rule allows three.
    frozen = {row["code"]: row for row in haichuan.snapshot["sub_items"]}
    assert frozen["(14)"]["computed"] and frozen["(14)"]["judgement"] == "fails"
    assert haichuan.financial["judgement"] == "fails"
    assert len(haichuan.blocking) == 2
    assert any("(14)" in line for line in haichuan.blocking)
    assert any("4" in line and "3" in line for line in haichuan.blocking if "(14)" not in line)
    assert sum(row["judgement"] == "basic" for row in haichuan.snapshot["sub_items"]) == 4

    # Both show to their enterprises' people.
    for email, version in (("legal@demo.aeo", hengxin), ("manager@demo.aeo", haichuan)):
        client.force_login(version.assessment.enterprise.staff.get(email=email))
        page = client.get(f"/readiness/{version.assessment_id}/versions/{version.number}/")
        assert page.status_code == 200
        assert f'data-outcome="{version.outcome}"' in page.content.decode()
