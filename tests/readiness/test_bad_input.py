"""Bad input on the self-assessment pages is refused with a clear message in the page's language
(Chinese, and English under /en/), and nothing is saved half-way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from readiness import services
from readiness.models import AssessmentVersion, CriteriaEdition, Evidence, FinancialYear, Judgement
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from trainees.models import Position

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MESSAGES = {
    "zh-hans": {
        "reason": "请说明本项标准为何不适用于贵企业。",
        "type": "只能上传 PDF 文件、图片和办公文档。",
        "size": "只能上传不超过 20.0\xa0MB 的文件。",
        "incomplete": "评估尚未完成：",
        "number": "输入一个数字",
    },
    "en": {
        "reason": "Say why this sub-item does not apply to your enterprise.",
        "type": "Only PDF files, images and office documents can be attached.",
        "size": "files up to 20.0\xa0MB can be uploaded.",
        "incomplete": "The assessment is not complete:",
        "number": "Enter a number",
    },
}


def url(name, *args, language):
    with translation.override(language):
        return reverse(f"readiness:{name}", args=args)


def sub_item_html(body: str, criterion_pk: int) -> str:
    return body.split(f'id="c{criterion_pk}"', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_refusals_are_said_in_the_pages_language_and_nothing_is_saved(client, language):
    words = MESSAGES[language]
    user = EnterpriseStaffFactory(
        enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True
    )
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)
    criterion = assessment.judgements.filter(criterion__financial_check="").order_by("criterion__sequence")[0].criterion
    client.force_login(user)

    # "Not applicable" without a reason (blank after trimming).
    response = client.post(
        url("judgement_save", assessment.pk, criterion.pk, language=language),
        {f"c{criterion.pk}-value": "na", f"c{criterion.pk}-reason": "  ", f"c{criterion.pk}-notes": "草稿"},
    )
    assert response.status_code == 400
    assert words["reason"] in sub_item_html(response.content.decode(), criterion.pk)
    saved = Judgement.objects.get(assessment=assessment, criterion=criterion)
    assert (saved.value, saved.notes) == ("", "")

    # An HTML file renamed .pdf, an SVG renamed .pdf, a file over 20 MB.
    upload = url("evidence_upload", assessment.pk, criterion.pk, language=language)
    for name, content, message in (
        ("制度.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", words["type"]),
        ("logo.pdf", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', words["type"]),
        ("big.pdf", PDF + b"0" * (20 * 1024 * 1024), words["size"]),
    ):
        response = client.post(upload, {"file": SimpleUploadedFile(name, content, "application/pdf"), "consent": "on"})
        assert response.status_code == 400, name
        assert message in sub_item_html(response.content.decode(), criterion.pk), name
    assert not Evidence.objects.exists()

    # Submitting an incomplete assessment.
    response = client.post(url("submit", assessment.pk, language=language), follow=True)
    assert words["incomplete"] in response.content.decode()
    assert not AssessmentVersion.objects.exists()

    # A figure that is not a number.
    data = {
        "y-TOTAL_FORMS": "1",
        "y-INITIAL_FORMS": "0",
        "y-MIN_NUM_FORMS": "0",
        "y-MAX_NUM_FORMS": "5",
        "y-0-year": "2025",
        "y-0-total_assets": "1000",
        "y-0-total_liabilities": "九百",
    }
    response = client.post(url("financials", language=language), data)
    assert response.status_code == 200
    assert words["number"] in response.content.decode()
    assert not FinancialYear.objects.exists()


def test_another_enterprises_assessment_and_evidence_urls_are_404(client):
    owner = EnterpriseStaffFactory(enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE)
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = services.assessment_start(enterprise=owner.enterprise, edition=edition, user=owner)
    judgement = assessment.judgements.filter(criterion__financial_check="").first()
    evidence = services.evidence_add(
        judgement=judgement, upload=SimpleUploadedFile("a.pdf", PDF, "application/pdf"), user=owner
    )
    other = EnterpriseStaffFactory(enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE)
    client.force_login(other)
    pk, criterion = assessment.pk, judgement.criterion_id
    for method, path in (
        ("get", f"/readiness/{pk}/"),
        ("get", f"/readiness/{pk}/evidence/{evidence.pk}/download/"),
        ("get", f"/readiness/{pk}/compare/?a=1&b=1"),
        ("get", f"/readiness/{pk}/versions/1/"),
        ("post", f"/readiness/{pk}/judge/{criterion}/"),
        ("post", f"/readiness/{pk}/evidence/{criterion}/"),
        ("post", f"/readiness/{pk}/assign/"),
        ("post", f"/readiness/{pk}/submit/"),
    ):
        assert getattr(client, method)(path).status_code == 404, path
    # Their own assessment with the other enterprise's evidence number: 404 as well.
    mine = services.assessment_start(enterprise=other.enterprise, edition=edition, user=other)
    assert client.get(f"/readiness/{mine.pk}/evidence/{evidence.pk}/download/").status_code == 404
