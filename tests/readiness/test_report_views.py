"""The readiness report page, its PDF and history chart, rectification tasks, and the officers'
district dashboard with its XLSX export (issue 16, points 2-3, bad input, query counts)."""

import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from readiness import report_services
from readiness.models import ReadinessRecord, RectificationTask
from tests.trainees.factories import enterprise_in, officer, staff_of
from trainees.models import Position

pytestmark = pytest.mark.django_db


def report_url(enterprise):
    return reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})


def test_enterprise_sees_its_report_others_get_404(client):
    enterprise = enterprise_in("5301")
    other = enterprise_in("2301")
    client.force_login(staff_of(enterprise))
    response = client.get(report_url(enterprise))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="readiness-status"' in body and "不是海关的决定" in body
    assert client.get(report_url(other)).status_code == 404
    assert client.get(reverse("readiness:report_pdf", kwargs={"enterprise_id": other.pk})).status_code == 404
    assert client.get(reverse("readiness:report_mine")).url == report_url(enterprise)


def test_officers_see_their_district_only_gacc_all(client):
    enterprise = enterprise_in("5301")
    client.force_login(officer("5300"))
    assert client.get(report_url(enterprise)).status_code == 200
    client.force_login(officer("2300"))
    assert client.get(report_url(enterprise)).status_code == 404
    client.force_login(officer("0000"))
    assert client.get(report_url(enterprise)).status_code == 200


def test_edition_without_assessment_says_how_to_start_one(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    response = client.get(report_url(enterprise), {"edition": "2022-advanced"})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("readiness:assessment_start", kwargs={"edition": "2022-advanced"}) in body
    assert client.get(report_url(enterprise), {"edition": "no-such"}).status_code == 404


def _page_queries(client, enterprise) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(report_url(enterprise)).status_code == 200
    return len(ctx.captured_queries)


def test_page_query_count_does_not_grow_with_sub_items_or_history(client, django_assert_max_num_queries):
    from tests.readiness.test_report_services import submitted

    small = enterprise_in("5301")
    client.force_login(officer("5300"))
    client.get(report_url(small))
    report_services.readiness_recompute(enterprise_id=small.pk)  # a new record: nothing cached
    budget = _page_queries(client, small)

    large = enterprise_in("5301")
    legal = staff_of(large, position=Position.LEGAL_REPRESENTATIVE)
    submitted(legal, value="basic")  # every sub-item below "meets": one rectification action each
    for _ in range(25):
        report_services.readiness_recompute(enterprise_id=large.pk)
    record = ReadinessRecord.objects.get(enterprise=large, is_latest=True)
    actions = [a for line in record.report["lines"] for a in line["actions"] if a["kind"] == "rectification"]
    assert len(actions) > 50 and ReadinessRecord.objects.filter(enterprise=large).count() == 25
    with django_assert_max_num_queries(budget):
        assert client.get(report_url(large)).status_code == 200
    # While the kept report is current, the page neither recomputes nor redraws: fewer queries.
    with django_assert_max_num_queries(budget - 1):
        assert client.get(report_url(large)).status_code == 200
    assert ReadinessRecord.objects.filter(enterprise=large).count() == 25


def test_page_shows_a_change_announced_by_a_signal_at_once(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    client.get(report_url(enterprise))
    first = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    client.get(report_url(enterprise))
    assert ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True) == first
    report_services.mark_changed(enterprise.pk)
    enterprise.application_bar_until = timezone.localdate() + datetime.timedelta(days=100)
    enterprise.save()
    body = client.get(report_url(enterprise)).content.decode()
    latest = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    assert latest != first and "application_bar" in latest.missing
    assert 'data-line="application_bar"' in body


def test_pdf_has_the_same_figures_in_chinese(client):
    enterprise = enterprise_in("5301", name_zh="深圳测试电子有限公司")
    client.force_login(staff_of(enterprise))
    response = client.get(reverse("readiness:report_pdf", kwargs={"enterprise_id": enterprise.pk}))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    text = text.decode()
    record = ReadinessRecord.objects.get(enterprise=enterprise, is_latest=True)
    assert "深圳测试电子有限公司" in text
    assert str(record.score) in text
    assert "2026" in text


def test_rectification_without_owner_or_due_date_is_refused_with_a_message(client):
    enterprise = enterprise_in("5301")
    admin = staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE, is_enterprise_admin=True)
    client.force_login(admin)
    url = reverse("readiness:rectification_create", kwargs={"enterprise_id": enterprise.pk})
    response = client.post(url, {"title": "发布单证复核制度", "owner": "", "due_date": "not a date"}, follow=True)
    assert RectificationTask.objects.count() == 0
    body = response.content.decode()
    assert "请选择本企业负责此项整改的人员。" in body and "这不是有效的日期" in body
    client.post(url, {"title": "发布单证复核制度", "owner": admin.pk, "due_date": "2026-12-31"})
    task = RectificationTask.objects.get()
    assert task.owner == admin and task.due_date == datetime.date(2026, 12, 31)
    # Plain staff cannot create tasks.
    client.force_login(staff_of(enterprise))
    assert client.post(url, {"title": "x", "owner": admin.pk, "due_date": "2026-12-31"}).status_code == 403


def dashboard_world(n):
    enterprises = [enterprise_in("5301") for _ in range(n)] + [enterprise_in("2301")]
    for enterprise in enterprises:
        report_services.readiness_recompute(enterprise_id=enterprise.pk)
    return enterprises


def test_dashboard_district_scope_filter_and_export(client):
    enterprises = dashboard_world(2)
    owner = staff_of(enterprises[0])
    RectificationTask.objects.create(
        enterprise=enterprises[0],
        title="整改信息系统",
        owner=owner,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    client.force_login(officer("5300"))
    response = client.get(reverse("readiness:dashboard"))
    assert response.status_code == 200
    rows = response.content.decode().count('data-enterprise="')
    assert rows == 2
    assert "整改信息系统" in response.content.decode()
    assert (
        client.get(reverse("readiness:dashboard"), {"status": "ready"}).content.decode().count('data-enterprise="') == 0
    )
    export = client.get(reverse("readiness:dashboard_export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert enterprises[0].name_zh in names and enterprises[2].name_zh not in names
    client.force_login(officer("0000"))
    assert client.get(reverse("readiness:dashboard")).content.decode().count('data-enterprise="') == 3
    client.force_login(staff_of(enterprises[0]))
    assert client.get(reverse("readiness:dashboard")).status_code == 403


def test_dashboard_query_count_is_constant(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer("0000"))
    dashboard_world(2)
    client.get(reverse("readiness:dashboard"))  # warm caches (site, locale)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("readiness:dashboard"))
    dashboard_world(10)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("readiness:dashboard"))
    assert len(large.captured_queries) == len(small.captured_queries)
