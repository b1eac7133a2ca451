"""What the readiness pages say in each language, and when: Chinese in the Chinese UI and English
in /en/ (the editions' notes, the basis of each report line, the related courses once each),
editions by their names rather than their codes, judgements and audit opinions in words, and
times in Asia/Shanghai (the history chart, the back office's records)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import Locale

from readiness import charts, report_services
from readiness.models import CriteriaArea, CriteriaEdition, ReadinessRecord
from tests.readiness.test_report_services import submitted
from tests.trainees.factories import enterprise_in, officer, staff_of
from trainees.models import Position

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def english(url: str) -> str:
    with translation.override("en"):
        return url if url.startswith("/en/") else "/en" + url


def assessment_of(user):
    version = submitted(user)
    return version.assessment


# --- Times ---------------------------------------------------------------------------------------


def test_history_chart_shows_times_in_asia_shanghai():
    # 17:30 UTC on 30 November is 01:30 on 1 December in Shanghai.
    points = [
        (datetime.datetime(2026, 11, 29, 23, 0, tzinfo=UTC), Decimal("40.0"), "not_ready"),
        (datetime.datetime(2026, 11, 30, 17, 30, tzinfo=UTC), Decimal("85.0"), "nearly_ready"),
    ]
    svg = str(charts.history_svg(points, title="history"))
    assert "<title>2026-11-30 07:00 · 40.0</title>" in svg
    assert "<title>2026-12-01 01:30 · 85.0</title>" in svg
    assert ">2026-11-30</text>" in svg and ">2026-12-01</text>" in svg
    assert "17:30" not in svg and "23:00" not in svg


def test_report_page_chart_shows_the_recomputation_in_local_time(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    late_evening_utc = datetime.datetime(2026, 11, 30, 16, 5, tzinfo=UTC)  # 00:05 on 1 December in Shanghai
    report_services.readiness_recompute(enterprise_id=enterprise.pk, now=late_evening_utc)
    body = client.get(reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})).content.decode()
    assert "2026-12-01 00:05 ·" in body
    assert "2026-11-30 16:05" not in body


def test_a_kept_record_is_named_with_its_local_time():
    enterprise = enterprise_in("5301")
    record = report_services.readiness_recompute(
        enterprise_id=enterprise.pk, now=datetime.datetime(2026, 11, 30, 16, 5, tzinfo=UTC)
    )
    assert "2026-12-01 00:05" in str(record)


# --- The assessment page: notes and courses --------------------------------------------------------


def test_edition_notes_are_chinese_in_the_chinese_ui_and_english_in_english(client):
    user = staff_of(enterprise_in("5301"), position=Position.LEGAL_REPRESENTATIVE)
    assessment = assessment_of(user)
    client.force_login(user)
    url = reverse("readiness:assessment_detail", args=[assessment.pk])
    chinese = client.get(url).content.decode()
    assert "通过规则：在2022版基础上" in chinese and "据公告附件的公开转载整理" in chinese
    assert "Pass rule:" not in chinese and "Transcribed from" not in chinese
    assert "海关总署公告2026年第34号" in chinese
    english_page = client.get(english(url)).content.decode()
    assert "Pass rule: as 2022 plus 1 point" in english_page and "Transcribed from a public" in english_page
    assert "通过规则：在2022版基础上" not in english_page
    lead = english_page.split('class="lead"', 1)[1].split("</p>", 1)[0]
    assert "GACC Bulletin No. 34 of 2026" in lead and "海关总署公告" not in lead


def test_an_officer_keeps_notes_in_both_languages_in_the_back_office():
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    edition.rules_note_zh, edition.rules_note_en = "中文说明", "English note"
    edition.save()
    assert edition.rules_note == "中文说明"
    with translation.override("en"):
        assert edition.rules_note == "English note"


def test_related_courses_show_once_each_in_the_pages_language(client):
    from tests.courses.factories import course as make_course

    area = CriteriaArea.objects.get(edition__code="2026-advanced", key="internal_control")
    chinese_course = make_course("teaches-control", title="内部控制精讲")
    chinese_course.criteria_areas.add(area)
    chinese_course.save_revision().publish()
    english_course = chinese_course.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english_course.title = "Internal control explained"
    english_course.save_revision().publish()
    english_course.criteria_areas.add(area)
    english_course.save_revision().publish()

    user = staff_of(enterprise_in("5301"), position=Position.LEGAL_REPRESENTATIVE)
    assessment = assessment_of(user)
    client.force_login(user)
    url = reverse("readiness:assessment_detail", args=[assessment.pk])
    chinese = client.get(url).content.decode()
    assert chinese.count("内部控制精讲") == 1 and "Internal control explained" not in chinese
    english_page = client.get(english(url)).content.decode()
    assert english_page.count("Internal control explained") == 1 and "内部控制精讲" not in english_page


def test_a_course_without_a_translation_shows_in_its_own_language(client):
    from readiness.selectors import courses_by_area
    from tests.courses.factories import course as make_course

    area = CriteriaArea.objects.get(edition__code="2026-advanced", key="compliance")
    only_chinese = make_course("only-chinese", title="只有中文的课程")
    only_chinese.criteria_areas.add(area)
    only_chinese.save_revision().publish()
    with translation.override("en"):
        assert [c.title for c in courses_by_area(area_ids=[area.pk])[area.pk]] == ["只有中文的课程"]


# --- The report: basis lines and edition names -----------------------------------------------------


def test_report_basis_lines_are_english_in_english_and_chinese_in_chinese(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    url = reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})
    chinese = client.get(url).content.decode()
    assert "海关总署令第 282 号（企业信用管理办法）：信用等级与申请条件" in chinese
    assert "海关高级认证企业标准（2026）：通过规则" in chinese
    english_page = client.get(english(url)).content.decode()
    assert "GACC Decree No. 282 (Measures for Enterprise Credit Management)" in english_page
    assert "Advanced certified enterprise criteria (2026): pass rule" in english_page
    assert "海关总署令第" not in english_page and "本平台" not in english_page
    for body in (chinese, english_page):
        assert "2026-advanced）" not in body and "(2026-advanced)" not in body


def test_dashboard_and_export_name_the_edition_not_its_code(client):
    enterprise = enterprise_in("5301")
    report_services.readiness_recompute(enterprise_id=enterprise.pk)
    client.force_login(officer("5300"))
    body = client.get(reverse("readiness:dashboard")).content.decode()
    row = body.split(f'data-enterprise="{enterprise.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "海关高级认证企业标准（2026）" in row and "2026-advanced" not in row
    export = client.get(reverse("readiness:dashboard_export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == enterprise.name_zh]
    assert rows and "海关高级认证企业标准（2026）" in rows[0] and "2026-advanced" not in rows[0]
    english_page = client.get(english(reverse("readiness:dashboard"))).content.decode()
    assert "Advanced certified enterprise criteria (2026)" in english_page


def test_a_submitted_version_shows_judgements_in_words(client):
    user = staff_of(enterprise_in("5301"), position=Position.LEGAL_REPRESENTATIVE)
    assessment = assessment_of(user)
    client.force_login(user)
    body = client.get(reverse("readiness:version_detail", args=[assessment.pk, 1])).content.decode()
    table = body.split('id="snapshot"', 1)[1]
    assert "<td>达标</td>" in table and "<td>meets</td>" not in table
    assert "→ 达标" in body and "→ meets" not in body
    compare = client.get(reverse("readiness:version_compare", args=[assessment.pk]), {"a": 1, "b": 1})
    assert compare.status_code == 200


def test_a_version_submitted_in_chinese_states_its_blocking_reasons_in_english_in_english(client):
    from readiness import services
    from readiness.models import Judgement
    from tests.readiness.helpers import healthy_years

    user = staff_of(enterprise_in("5301"), position=Position.LEGAL_REPRESENTATIVE)
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)
    Judgement.objects.filter(assessment=assessment).update(value="meets")
    Judgement.objects.filter(assessment=assessment, criterion__code="(2)").update(value="fails")
    healthy_years(user.enterprise, [timezone.localdate().year - 1])
    with translation.override("zh-hans"):
        version = services.assessment_submit(assessment=assessment, user=user, today=timezone.localdate())
    assert version.outcome == "fail" and "不达标" in version.blocking[0]
    client.force_login(user)
    url = reverse("readiness:version_detail", args=[assessment.pk, version.number])
    chinese = client.get(url).content.decode()
    assert "(2) 关企合作不达标" in chinese and "偿债能力" in chinese
    english_page = client.get(english(url)).content.decode()
    blocking = english_page.split('id="blocking"', 1)[1].split("</ul>", 1)[0]
    assert "(2) Customs–enterprise cooperation does not meet the criterion" in blocking and "不达标" not in blocking
    groups = english_page.split("<h2>Financial checks</h2>", 1)[1].split("</ul>", 1)[0]
    assert "Solvency" in groups and "偿债能力" not in groups

    # The readiness report states the version's reasons in the page's language too.
    with translation.override("zh-hans"):
        report = reverse("readiness:report", kwargs={"enterprise_id": user.enterprise_id})
    assert "(2) 关企合作不达标" in client.get(report).content.decode()
    english_report = client.get(english(report)).content.decode()
    assert "(2) Customs–enterprise cooperation does not meet the criterion" in english_report
    assert "关企合作不达标" not in english_report


def test_my_report_keeps_the_edition_asked_for(client):
    enterprise = enterprise_in("5301")
    client.force_login(staff_of(enterprise))
    response = client.get(reverse("readiness:report_mine"), {"edition": "2022-advanced"})
    assert response.status_code == 302
    assert response["Location"] == reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk}) + (
        "?edition=2022-advanced"
    )
    page = client.get(response["Location"]).content.decode()
    assert '<option value="2022-advanced" selected>' in page
    plain = client.get(reverse("readiness:report_mine"))
    assert plain["Location"] == reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})


def test_a_report_kept_before_rectifiable_sub_items_were_listed_is_recomputed():
    enterprise = enterprise_in("5301")
    staff = staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE)
    submitted(staff, value="basic")
    record = report_services.readiness_recompute(enterprise_id=enterprise.pk)
    report = dict(record.report)
    report.pop("rectifiable")
    ReadinessRecord.objects.filter(pk=record.pk).update(report=report)
    again = report_services.readiness_recompute(enterprise_id=enterprise.pk, only_if_changed=True, now=timezone.now())
    assert again.pk != record.pk and again.report["rectifiable"]


def test_report_criteria_areas_are_named_in_the_pages_language(client):
    enterprise = enterprise_in("5301")
    user = staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE)
    submitted(user)
    client.force_login(user)
    url = reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})
    chinese = client.get(url).content.decode().split('id="readiness-criteria-areas"', 1)[1]
    assert "<td>内部控制</td>" in chinese
    english_page = client.get(english(url)).content.decode().split('id="readiness-criteria-areas"', 1)[1]
    assert "<td>Internal control</td>" in english_page and "内部控制" not in english_page


def test_generic_words_have_their_readiness_meaning_in_chinese(client):
    """Words other apps translate otherwise keep this app's meaning: a ready enterprise is 已就绪
    (not 已完成), a task in progress 整改中, sorting by name sorts enterprises (企业名称, not a
    person's 姓名), the report's points are earned (得分), an auditor's "qualified" is 保留意见."""
    from readiness.models import FinancialYear, ReadinessRecord, RectificationTask

    assert str(ReadinessRecord.Status.READY.label) == "已就绪"
    assert str(RectificationTask.Status.IN_PROGRESS.label) == "整改中"
    assert str(FinancialYear.AuditOpinion.QUALIFIED.label) == "保留意见"
    enterprise = enterprise_in("5301")
    report_services.readiness_recompute(enterprise_id=enterprise.pk)
    client.force_login(officer("5300"))
    dashboard = client.get(reverse("readiness:dashboard")).content.decode()
    assert '<option value="name">企业名称</option>' in dashboard
    assert 'data-status="ready">已就绪' in dashboard
    report = client.get(reverse("readiness:report", kwargs={"enterprise_id": enterprise.pk})).content.decode()
    assert "<th>得分</th>" in report.split('id="readiness-components"', 1)[1].split("</thead>", 1)[0]
