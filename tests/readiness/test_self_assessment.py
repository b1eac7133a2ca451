"""Enterprise staff judge themselves, attach evidence, record figures and submit versions; officers
of the district read; nobody else sees anything."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from readiness import selectors, services
from readiness.models import AssessmentVersion, CriteriaEdition, Criterion, Evidence, FinancialYear, Judgement
from tests.factories import CustomsUnitFactory, EnterpriseFactory, EnterpriseStaffFactory, UserFactory
from tests.readiness.helpers import healthy_years
from trainees.models import BusinessType, CustomsUnit, Position
from trainees.roles import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def admin_of(enterprise=None, **kwargs):
    return EnterpriseStaffFactory(
        enterprise=enterprise or EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE, **kwargs
    )


def started(user, code="2026-advanced"):
    edition = CriteriaEdition.objects.get(code=code)
    return services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)


def judge_all(assessment, value="meets"):
    Judgement.objects.filter(assessment=assessment).update(value=value)


def officer(unit):
    return UserFactory(customs_unit=unit, roles=[Role.CUSTOMS_OFFICER])


def test_start_creates_a_row_per_applicable_sub_item_including_the_business_types_specific_criteria():
    user = admin_of()
    assert started(user).judgements.count() == 74
    user.enterprise.business_types.add(BusinessType.objects.get(code="plant_animal_quarantine"))
    other = admin_of()
    other.enterprise.business_types.add(BusinessType.objects.get(code="plant_animal_quarantine"))
    assert started(other).judgements.count() == 74 + 7
    assert started(other, "2022-advanced").judgements.count() == 62 + 3


def test_not_applicable_needs_a_reason_and_nothing_is_saved(client):
    user = admin_of()
    assessment = started(user)
    criterion = assessment.judgements.first().criterion
    client.force_login(user)
    url = reverse("readiness:judgement_save", args=[assessment.pk, criterion.pk])
    response = client.post(url, {f"c{criterion.pk}-value": "na", f"c{criterion.pk}-reason": " "}, follow=True)
    assert "请说明本项标准为何不适用于贵企业。" in response.content.decode()
    assert Judgement.objects.get(assessment=assessment, criterion=criterion).value == ""
    client.post(url, {f"c{criterion.pk}-value": "na", f"c{criterion.pk}-reason": "不涉及"})
    assert Judgement.objects.get(assessment=assessment, criterion=criterion).value == "na"


def test_colleagues_judge_what_is_assigned_to_their_position():
    admin = admin_of()
    assessment = started(admin)
    finance = EnterpriseStaffFactory(enterprise=admin.enterprise, position=Position.FINANCE)
    it = EnterpriseStaffFactory(enterprise=admin.enterprise, position=Position.IT)
    judgement = assessment.judgements.select_related("criterion").filter(criterion__financial_check="").first()
    services.judgements_assign(
        assessment=assessment, criterion_ids=[judgement.criterion_id], position="finance", user=admin
    )
    judgement.refresh_from_db()
    services.judgement_save(judgement=judgement, value="basic", reason="", notes="", user=finance)
    with pytest.raises(services.PermissionDenied):
        services.judgement_save(judgement=judgement, value="meets", reason="", notes="", user=it)
    with pytest.raises(services.PermissionDenied):
        services.judgements_assign(
            assessment=assessment, criterion_ids=[judgement.criterion_id], position="it", user=it
        )


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("report.pdf", PDF, True),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, True),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", False),
        ("logo.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', False),
        ("empty.pdf", b"", False),
    ],
)
def test_evidence_type_is_checked_on_the_content(client, name, content, accepted):
    user = admin_of()
    assessment = started(user)
    criterion = assessment.judgements.first().criterion
    client.force_login(user)
    client.post(
        reverse("readiness:evidence_upload", args=[assessment.pk, criterion.pk]),
        {"file": upload(name, content), "consent": "on"},
    )
    assert Evidence.objects.filter(assessment=assessment).exists() == accepted


def test_evidence_larger_than_20_mb_is_refused():
    user = admin_of()
    judgement = started(user).judgements.first()
    big = upload("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(judgement=judgement, upload=big, user=user)
    assert "不超过 20.0\xa0MB" in refused.value.messages[0]  # the limit, as people read file sizes


def test_evidence_is_a_download_for_the_enterprise_and_its_district_only(client):
    regional = CustomsUnitFactory(level=CustomsUnit.Level.REGIONAL)
    local = CustomsUnitFactory(parent=regional)
    user = admin_of(EnterpriseFactory(customs_unit=local))
    assessment = started(user)
    judgement = assessment.judgements.first()
    evidence = services.evidence_add(judgement=judgement, upload=upload("制度.pdf", PDF), user=user)
    url = reverse("readiness:evidence_download", args=[assessment.pk, evidence.pk])

    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF

    for outsider in (admin_of(), officer(CustomsUnitFactory())):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("readiness:assessment_detail", args=[assessment.pk])).status_code == 404
    for insider in (officer(regional), officer(local), officer(CustomsUnitFactory(level=CustomsUnit.Level.GACC))):
        client.force_login(insider)
        assert client.get(url).status_code == 200
        assert client.get(reverse("readiness:assessment_detail", args=[assessment.pk])).status_code == 200
        # Officers read; they do not judge for the enterprise.
        response = client.post(reverse("readiness:judgement_save", args=[assessment.pk, judgement.criterion_id]))
        assert response.status_code == 403


def test_submitting_an_incomplete_assessment_is_refused_naming_what_is_missing(client):
    user = admin_of()
    assessment = started(user)
    judge_all(assessment)
    Judgement.objects.filter(assessment=assessment, criterion__code="(20)").update(value="")
    client.force_login(user)
    response = client.post(reverse("readiness:submit", args=[assessment.pk]), follow=True)
    text = response.content.decode()
    assert "(20)" in text and "2025" in text  # the unjudged sub-item and the missing fiscal year
    assert not AssessmentVersion.objects.exists()


def test_submitted_versions_keep_their_wording_and_can_be_compared(client):
    user = admin_of()
    assessment = started(user)
    judge_all(assessment)
    healthy_years(user.enterprise, [2025])
    first = services.assessment_submit(assessment=assessment, user=user, today=TODAY)
    assert (first.outcome, first.score) == ("pass", 102)  # two bonus points at most

    criterion = Criterion.objects.get(item__area__edition__code="2026-advanced", code="(1)")
    old_wording = criterion.text_zh
    criterion.text_zh = "更正后的措辞"
    criterion.save()
    Judgement.objects.filter(assessment=assessment, criterion__code__in=["(2)", "(3)"]).update(value="fails")
    second = services.assessment_submit(assessment=assessment, user=user, today=TODAY)
    assert second.number == 2 and second.outcome == "fail" and second.score == 98
    assert len(second.blocking) == 2

    first.refresh_from_db()
    assert next(r for r in first.snapshot["sub_items"] if r["code"] == "(1)")["text_zh"] == old_wording
    changes = services.versions_compare(first, second)
    assert {c["code"] for c in changes} == {"(1)", "(2)", "(3)"}

    client.force_login(user)
    page = client.get(reverse("readiness:version_compare", args=[assessment.pk]), {"a": 1, "b": 2})
    assert page.status_code == 200 and "更正后的措辞" in page.content.decode()
    assert client.get(reverse("readiness:version_compare", args=[assessment.pk]), {"a": "x"}).status_code == 302
    latest = selectors.latest_submitted_version(enterprise_id=user.enterprise_id, edition_code="2026-advanced")
    assert latest == second
    assert selectors.latest_submitted_versions(enterprise_ids=[user.enterprise_id], edition_code="2026-advanced") == {
        user.enterprise_id: second
    }


def test_financial_figures_form_rejects_non_numbers_and_shows_ratios(client):
    user = admin_of()
    client.force_login(user)
    url = reverse("readiness:financials")
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "y-TOTAL_FORMS": "1",
        "y-INITIAL_FORMS": "0",
        "y-MIN_NUM_FORMS": "0",
        "y-MAX_NUM_FORMS": "5",
        "y-0-year": "2025",
        "y-0-total_assets": "一千",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not FinancialYear.objects.exists()
    data["y-0-total_assets"] = "1000"
    data["y-0-total_liabilities"] = "950"
    client.post(url, data | {"is_manufacturer": "on"})
    assert FinancialYear.objects.get().total_liabilities == Decimal(950)
    result = selectors.financial_check(
        enterprise_id=user.enterprise_id, edition=CriteriaEdition.objects.get(code="2026-advanced"), today=TODAY
    )
    assert result.judgement is None and result.missing  # cash, opinion … not given
    page = client.get(url).content.decode()
    assert "0.9500" in page


def test_assessment_page_query_count_is_constant_in_sub_items_and_versions(client):
    def measure(user, versions):
        assessment = started(user)
        judge_all(assessment)
        healthy_years(user.enterprise, [2025])
        for _ in range(versions):
            services.assessment_submit(assessment=assessment, user=user, today=TODAY)
        for judgement in assessment.judgements.all()[:3]:
            services.evidence_add(judgement=judgement, upload=upload("a.pdf", PDF), user=user)
        client.force_login(user)
        client.get(reverse("readiness:assessment_detail", args=[assessment.pk]))  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("readiness:assessment_detail", args=[assessment.pk])).status_code == 200
        return len(queries)

    small = measure(admin_of(), 1)
    bigger = admin_of()
    bigger.enterprise.business_types.add(*BusinessType.objects.filter(code__in=["health_quarantine", "food_cosmetics"]))
    assert measure(bigger, 4) == small


def test_an_officer_corrects_wording_in_the_admin_and_submitted_versions_keep_theirs(client):
    user = admin_of()
    assessment = started(user, "2022-advanced")
    judge_all(assessment)
    healthy_years(user.enterprise, range(TODAY.year - 5, TODAY.year))
    version = services.assessment_submit(assessment=assessment, user=user, today=TODAY)
    placeholder = Criterion.objects.get(item__area__edition__code="2022-advanced", code="(20)")
    client.force_login(UserFactory(roles=[Role.CUSTOMS_OFFICER]))
    response = client.post(
        f"/admin/snippets/readiness/criterion/edit/{placeholder.pk}/",
        {
            "code": "(20)",
            "text_zh": "按时足额缴纳税款",
            "text_en": "Taxes paid in full and on time",
            "financial_check": "",
            "guidance_zh": "",
            "guidance_en": "",
            "evidence_zh": "完税凭证",
            "evidence_en": "",
        },
    )
    assert response.status_code == 302
    placeholder.refresh_from_db()
    assert placeholder.text_zh == "按时足额缴纳税款" and not placeholder.is_placeholder
    version.refresh_from_db()
    frozen = next(row for row in version.snapshot["sub_items"] if row["code"] == "(20)")
    assert frozen["text_zh"] == "（原文未找到，请在后台编辑）"
    page = client.get(reverse("readiness:version_detail", args=[assessment.pk, version.number]))
    assert page.status_code == 404  # an officer of no district sees no enterprise


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_submitting_at_once_make_two_ordered_versions(site):
    import threading

    from django.db import close_old_connections

    user = admin_of()
    colleague = EnterpriseStaffFactory(enterprise=user.enterprise, position=Position.FINANCE)
    assessment = started(user)
    judge_all(assessment)
    healthy_years(user.enterprise, [2025])
    barrier = threading.Barrier(2)
    errors = []

    def submit(person):
        try:
            barrier.wait()
            services.assessment_submit(assessment=assessment, user=person, today=TODAY)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit, args=(person,)) for person in (user, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(assessment.versions.values_list("number", flat=True)) == [1, 2]


def test_courses_that_teach_an_area_come_from_the_courses_own_links(db):
    """Issue 15, point 2: one source for course ↔ criteria links (the course page's areas); a
    draft course is not offered."""
    from readiness.models import CriteriaArea
    from readiness.selectors import courses_by_area
    from tests.courses.factories import course as make_course

    areas = list(CriteriaArea.objects.filter(edition__code="2026-advanced").order_by("pk")[:2])
    taught = make_course("teaches-internal-control")
    taught.criteria_areas.add(areas[0])
    taught.save_revision().publish()
    draft = make_course("draft-course", live=False)
    draft.criteria_areas.add(areas[0])
    draft.save_revision()
    found = courses_by_area(area_ids=[a.pk for a in areas])
    assert [c.pk for c in found[areas[0].pk]] == [taught.pk]
    assert areas[1].pk not in found


def test_the_self_assessment_page_shows_each_sub_items_guidance_and_expected_evidence(client):
    user = admin_of()
    assessment = started(user, "2026-certified")
    criterion = Criterion.objects.get(item__area__edition__code="2026-certified", code="(8)")
    client.force_login(user)

    def block(prefix=""):
        page = client.get(prefix + reverse("readiness:assessment_detail", args=[assessment.pk])).content.decode()
        start = page.index(f'id="c{criterion.pk}"')
        return page[start : page.index("</article>", start)]

    chinese = block()
    assert f"指引： {escape(criterion.guidance_zh)}" in chinese
    assert f"应备佐证材料： {escape(criterion.evidence_zh)}" in chinese
    assert "系统数据自进出口货物办结海关手续之日起保存3年以上" in chinese
    english = block("/en")
    assert f"Guidance: {escape(criterion.guidance_en)}" in english
    assert f"Evidence expected: {escape(criterion.evidence_en)}" in english
    assert "at least 3 years after customs clearance" in english
