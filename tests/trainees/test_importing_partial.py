"""Imports as customs offices fill their spreadsheets (issue 8, points 13-15): partial columns
change only what the file holds, with a per-row preview first; cells typed the Chinese way;
codes stored in one form whatever the entry path."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import credit_code
from tests.test_spreadsheets import workbook_bytes as xlsx
from trainees.importing import ImportRejected, enterprise_import
from trainees.models import BusinessType, CreditLevel, Enterprise

from .factories import enterprise_in, officer

pytestmark = pytest.mark.django_db


def _full_enterprise():
    e = enterprise_in(
        "5301",
        name_zh="旧名称",
        name_en="Old Name Ltd",
        customs_code="4403960001",
        is_sme=False,
        credit_level=CreditLevel.objects.get(code="regular"),
        credit_score=91,
        credit_score_date=date(2026, 6, 30),
    )
    e.business_types.set(BusinessType.objects.filter(code="consignor"))
    return e


def test_a_three_column_file_fixes_the_name_and_clears_nothing():
    e = _full_enterprise()
    data = xlsx([["统一社会信用代码", "企业名称", "主管海关"], [e.credit_code, "新名称", "5301"]])
    summary = enterprise_import(data=data, filename="names.xlsx", actor=officer("5300"))
    assert (summary.created, summary.updated) == (0, 1)
    e.refresh_from_db()
    assert e.name_zh == "新名称"
    assert (e.name_en, e.customs_code, e.is_sme) == ("Old Name Ltd", "4403960001", False)
    assert (e.credit_level.code, e.credit_score, e.credit_score_date) == ("regular", 91, date(2026, 6, 30))
    assert list(e.business_types.values_list("code", flat=True)) == ["consignor"]


def test_an_empty_cell_in_a_held_column_keeps_the_stored_value():
    e = _full_enterprise()
    header = ["统一社会信用代码", "企业名称", "主管海关", "信用评估分数", "英文名称", "中小企业", "业务类型"]
    data = xlsx([header, [e.credit_code, "旧名称", "5301", 95, None, None, None]])
    enterprise_import(data=data, filename="scores.xlsx", actor=officer("5300"))
    e.refresh_from_db()
    assert (e.credit_score, e.name_en, e.is_sme) == (95, "Old Name Ltd", False)
    assert e.business_types.count() == 1


def test_the_preview_names_the_columns_each_row_will_change_and_writes_nothing():
    e = _full_enterprise()
    header = ["统一社会信用代码", "企业名称", "主管海关", "信用评估分数"]
    rows = [header, [e.credit_code, "新名称", "5301", 91], [credit_code(7001), "新企业", "5301", 80]]
    summary = enterprise_import(data=xlsx(rows), filename="x.xlsx", actor=officer("5300"), dry_run=True)
    plan = {p.row: p for p in summary.plan}
    assert (plan[2].new, plan[2].changes) == (False, ["名称（中文）"])  # the score is unchanged
    assert plan[3].new and set(plan[3].changes) >= {"名称（中文）", "信用评估分数"}
    e.refresh_from_db()
    assert e.name_zh == "旧名称" and not Enterprise.objects.filter(credit_code=credit_code(7001)).exists()


def test_the_import_page_previews_per_row_then_writes_on_confirmation(client):
    e = _full_enterprise()
    client.force_login(officer("5300"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = xlsx([["统一社会信用代码", "企业名称", "主管海关"], [e.credit_code, "新名称", "5301"]])
    response = client.post(reverse("trainees:import"), {"file": SimpleUploadedFile("n.xlsx", data)})
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-plan"' in page and 'data-row="2"' in page and "名称（中文）" in page
    assert "英文" not in page.split('id="import-plan"')[1]  # the English name is not among the changes
    e.refresh_from_db()
    assert e.name_zh == "旧名称"
    client.post(response["Location"] + "confirm/")
    e.refresh_from_db()
    assert e.name_zh == "新名称" and e.name_en == "Old Name Ltd"


HEADER = ["统一社会信用代码", "企业名称", "主管海关", "海关编码", "信用评估分数", "评估日期", "业务类型", "中小企业"]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    "score_date",
    [
        "2026年3月5日",
        "2026/3/5",
        "2026.3.5",
        "2026-03-05",
        46086,
        date(2026, 3, 5),
        "２０２６年３月５日",
        "20260305",
        "2026年3月5日星期四",
        "二〇二六年三月五日",
        "2026/3/5 下午 2:30:00",
    ],
)
def test_dates_as_chinese_spreadsheets_write_them_are_imported(score_date):
    row = [credit_code(7100), "某公司", "5301", "4403960100", 88, score_date, "consignor", "是"]
    enterprise_import(data=xlsx([HEADER, row]), filename="x.xlsx", actor=officer("5300"))
    assert Enterprise.objects.get().credit_score_date == date(2026, 3, 5)


def test_full_width_codes_numbers_and_lists_are_imported_half_width():
    row = [
        _fullwidth(credit_code(7101).lower()),  # full-width small letters and digits
        "某公司（苏州）",  # full-width brackets in a name stay as typed
        "５３０１",
        "\u3000" + _fullwidth("4403960101") + "\u3000",
        "８８",
        "２０２６－０３－０５",
        "ｃｏｎｓｉｇｎｏｒ；ｃｕｓｔｏｍｓ＿ｂｒｏｋｅｒ",
        "否",
    ]
    enterprise_import(data=xlsx([HEADER, row]), filename="x.xlsx", actor=officer("5300"))
    e = Enterprise.objects.get()
    assert (e.credit_code, e.name_zh, e.customs_unit.code) == (credit_code(7101), "某公司（苏州）", "5301")
    assert (e.customs_code, e.credit_score, e.credit_score_date) == ("4403960101", 88, date(2026, 3, 5))
    assert sorted(e.business_types.values_list("code", flat=True)) == ["consignor", "customs_broker"]
    assert e.is_sme is False


@pytest.mark.parametrize(
    ("level", "types", "expected_level", "expected_types"),
    [
        ("高级认证企业(251号令)", "报关企业", "d251_advanced_certified", ["customs_broker"]),  # half-width brackets
        (
            "高级认证企业（251号令）",
            "报关企业、进出口货物收发货人",
            "d251_advanced_certified",
            ["consignor", "customs_broker"],
        ),
        ("失信企业 (251号令)", "ＣＵＳＴＯＭＳ＿ＢＲＯＫＥＲ", "d251_discredited", ["customs_broker"]),
        ("ａｄｖａｎｃｅｄ＿ｃｅｒｔｉｆｉｅｄ", "customs_broker", "advanced_certified", ["customs_broker"]),
        ("Advanced Certified Enterprise", "consignor", "advanced_certified", ["consignor"]),
        ("\u3000认证企业\u3000", "consignor", "certified", ["consignor"]),
    ],
)
def test_credit_levels_and_business_types_in_any_width_or_case(level, types, expected_level, expected_types):
    header = ["统一社会信用代码", "企业名称", "主管海关", "信用等级", "业务类型"]
    enterprise_import(
        data=xlsx([header, [credit_code(7106), "某公司", "5301", level, types]]),
        filename="x.xlsx",
        actor=officer("5300"),
    )
    e = Enterprise.objects.get()
    assert e.credit_level.code == expected_level
    assert sorted(e.business_types.values_list("code", flat=True)) == expected_types


@pytest.mark.parametrize(
    ("typed", "sme"),
    [("是", True), ("Ｙ", True), ("ＹＥＳ", True), ("√", True), ("✓", True), ("１", True), (True, True)]
    + [("否", False), ("ｎｏ", False), ("×", False), ("０", False), (False, False)],
)
def test_sme_yes_and_no_as_chinese_forms_mark_them(typed, sme):
    header = ["统一社会信用代码", "企业名称", "主管海关", "中小企业"]
    enterprise_import(
        data=xlsx([header, [credit_code(7108), "某公司", "5301", typed]]), filename="x.xlsx", actor=officer("5300")
    )
    assert Enterprise.objects.get().is_sme is sme


@pytest.mark.parametrize(
    "typed", ["5301", 5301, "５３０１", "福田海关", " 福田海关 ", "Futian Customs", "ＦＵＴＩＡＮ　ＣＵＳＴＯＭＳ"]
)
def test_the_competent_customs_by_code_or_by_name(typed):
    from trainees.models import CustomsUnit

    unit = CustomsUnit.objects.get(code="5301")  # 福田海关, Futian Customs
    enterprise_import(
        data=xlsx([["统一社会信用代码", "企业名称", "主管海关"], [credit_code(7109), "某公司", typed]]),
        filename="x.xlsx",
        actor=officer("5300"),
    )
    assert Enterprise.objects.get().customs_unit == unit


def test_a_competent_customs_outside_the_district_is_named_as_such():
    rows = [["统一社会信用代码", "企业名称", "主管海关"], [credit_code(7110), "某公司", "上海海关"]]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx(rows), filename="x.xlsx", actor=officer("5300"))
    assert "上海海关" in exc.value.errors[0].message and "关区" in exc.value.errors[0].message


def test_codes_stored_as_numbers_keep_their_digits_or_are_reported():
    rows = [
        HEADER,
        [credit_code(7102), "甲", 5301, 4403960102, 88.0, None, None, None],  # numbers: no ".0"
        [credit_code(7103), "乙", "5301", 201234567, None, None, None, None],  # 0201234567 lost its zero
    ]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx(rows), filename="x.xlsx", actor=officer("5300"))
    assert [e.row for e in exc.value.errors] == [3]
    assert "201234567" in exc.value.errors[0].message and "0" in exc.value.errors[0].message
    enterprise_import(data=xlsx(rows[:2]), filename="x.xlsx", actor=officer("5300"))
    assert Enterprise.objects.get().customs_code == "4403960102"


def test_a_hidden_character_is_named_instead_of_counted():
    row = [credit_code(7104) + "\u200b", "某公司", "5301", None, None, None, None, None]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx([HEADER, row]), filename="x.xlsx", actor=officer("5300"))
    message = exc.value.errors[0].message.split("：", 1)[1]
    assert "U+200B ZERO WIDTH SPACE" in message and "18" not in message  # not "has 19 characters, not 18"


def test_a_hidden_character_in_a_credit_level_is_named():
    header = ["统一社会信用代码", "企业名称", "主管海关", "信用等级"]
    row = [credit_code(7107), "某公司", "5301", "认证\u200b企业"]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx([header, row]), filename="x.xlsx", actor=officer("5300"))
    (error,) = exc.value.errors
    assert "U+200B ZERO WIDTH SPACE" in error.message and "信用等级" in error.message


def test_a_header_without_rows_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        enterprise_import(data=xlsx([HEADER]), filename="x.xlsx", actor=officer("5300"))
    with pytest.raises(ValidationError):
        enterprise_import(data=",".join(HEADER).encode(), filename="x.csv", actor=officer("5300"))


@pytest.mark.parametrize(
    ("data", "name"),
    [(xlsx([HEADER]), "credit.xlsx"), (",".join(HEADER).encode("gb18030") + b"\r\n,,,\r\n", "credit.csv")],
)
def test_the_import_page_refuses_a_header_without_rows(client, data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from trainees.models import ImportJob

    client.force_login(officer("5300"))
    with translation.override("en"):
        url = reverse("trainees:import")
    response = client.post(url, {"file": SimpleUploadedFile(name, data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file has a header row but no data rows" in page
    assert not ImportJob.objects.exists() and not Enterprise.objects.exists()


def test_a_formula_without_a_saved_result_is_reported_with_its_cell():
    row = [credit_code(7105), "某公司", "5301", None, "=80+8", None, None, None]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx([HEADER, row]), filename="x.xlsx", actor=officer("5300"))
    assert [e.row for e in exc.value.errors] == [2] and "E2" in exc.value.errors[0].message
