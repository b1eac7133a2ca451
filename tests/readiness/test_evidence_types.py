"""Evidence files (self-assessment and rectification tasks) are what their content says, and a name
saying another type is refused with a clear message on the page (the page comes back, 400)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from readiness import services
from readiness.models import CriteriaEdition, Evidence, RectificationTask
from tests.factories import EnterpriseFactory, EnterpriseStaffFactory
from trainees.models import Position

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def admin():
    return EnterpriseStaffFactory(
        enterprise=EnterpriseFactory(), position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True
    )


def started(user):
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    return services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)


def test_a_pdf_named_jpg_is_refused_with_a_message_on_its_sub_item(client):
    user = admin()
    assessment = started(user)
    criterion = assessment.judgements.order_by("criterion__sequence").first().criterion
    client.force_login(user)
    url = reverse("readiness:evidence_upload", args=[assessment.pk, criterion.pk])
    response = client.post(url, {"file": SimpleUploadedFile("scan.jpg", PDF, "image/jpeg"), "consent": "on"})
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    body = response.content.decode()
    article = body.split(f'id="c{criterion.pk}"', 1)[1].split("</article>", 1)[0]
    assert "“scan.jpg”按内容是 PDF 文件" in article and "改名为 .pdf" in article


def test_a_pdf_named_pdf_is_kept_under_its_name(client):
    user = admin()
    assessment = started(user)
    criterion = assessment.judgements.first().criterion
    client.force_login(user)
    url = reverse("readiness:evidence_upload", args=[assessment.pk, criterion.pk])
    response = client.post(url, {"file": SimpleUploadedFile("scan.pdf", PDF, "image/jpeg"), "consent": "on"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.content_type) == ("scan.pdf", "application/pdf")


def test_a_refused_judgement_comes_back_with_the_notes_typed(client):
    user = admin()
    assessment = started(user)
    criterion = assessment.judgements.filter(criterion__financial_check="").first().criterion
    client.force_login(user)
    url = reverse("readiness:judgement_save", args=[assessment.pk, criterion.pk])
    prefix = f"c{criterion.pk}"
    response = client.post(url, {f"{prefix}-value": "na", f"{prefix}-reason": "", f"{prefix}-notes": "制度草案已起草"})
    assert response.status_code == 400
    article = response.content.decode().split(f'id="c{criterion.pk}"', 1)[1].split("</article>", 1)[0]
    assert "制度草案已起草" in article and "不适用" in article
    assert 'value="na" selected' in article


def test_assigning_without_ticks_keeps_the_position_chosen(client):
    user = admin()
    assessment = started(user)
    client.force_login(user)
    response = client.post(reverse("readiness:assign", args=[assessment.pk]), {"position": "finance"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="assign-errors"' in body and '<option value="finance" selected>' in body


def test_rectification_evidence_named_for_another_type_is_refused(client):
    user = admin()
    task = RectificationTask.objects.create(
        enterprise=user.enterprise,
        title="整改",
        owner=user,
        due_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    client.force_login(user)
    url = reverse("readiness:rectification_update", kwargs={"pk": task.pk})
    response = client.post(
        url,
        {"status": "done", "evidence_note": "", "evidence_file": SimpleUploadedFile("photo.png", PDF, "image/png")},
    )
    assert response.status_code == 400
    assert "“photo.png”按内容是 PDF 文件" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open" and not task.evidence_name
