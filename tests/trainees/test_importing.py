"""Import of enterprises and credit data: all or nothing, every bad row reported."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tests.factories import credit_code
from trainees.importing import ImportRejected, enterprise_import
from trainees.models import CultivationEvent, Enterprise

from .factories import enterprise_in, officer

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "英文名称",
    "海关编码",
    "主管海关",
    "中小企业",
    "信用等级",
    "信用评估分数",
    "评估日期",
    "业务类型",
]


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good_row(n, unit="5301", score=88):
    return [
        credit_code(9000 + n),
        f"导入企业{n}",
        f"Imported {n}",
        f"44039{n:05d}",
        unit,
        "是",
        "regular",
        score,
        "2026-12-01",
        "consignor;customs_broker",
    ]


def test_a_good_file_creates_and_updates():
    actor = officer("5300")
    summary = enterprise_import(data=xlsx([good_row(1), good_row(2, score=70)]), filename="x.xlsx", actor=actor)
    assert (summary.created, summary.updated) == (2, 0)
    e = Enterprise.objects.get(credit_code=credit_code(9001))
    assert e.credit_score == 88 and e.credit_level.code == "regular" and e.customs_unit.code == "5301"
    assert sorted(e.business_types.values_list("code", flat=True)) == ["consignor", "customs_broker"]
    summary = enterprise_import(data=xlsx([good_row(1, score=95)]), filename="x.xlsx", actor=actor)
    assert (summary.created, summary.updated) == (0, 1)
    assert Enterprise.objects.get(credit_code=credit_code(9001)).credit_score == 95


def test_every_bad_row_is_reported_and_nothing_is_imported():
    bad_check = credit_code(9003)[:-1] + ("0" if credit_code(9003)[-1] != "0" else "1")
    rows = [
        good_row(1),
        [bad_check, "坏校验位", "", "", "5301", "是", "", 80, "", ""],
        good_row(4, unit="9999"),
        good_row(5, score=101),
        good_row(6, unit="2301"),  # outside a Shenzhen officer's district
        good_row(1),  # duplicate of row 2
    ]
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=xlsx(rows), filename="x.xlsx", actor=officer("5300"))
    by_row = {}
    for e in exc.value.errors:
        by_row.setdefault(e.row, []).append(e.message)
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    # What the officer reads, in the default language (Simplified Chinese).
    expected_check = credit_code(9003)[-1]
    assert by_row[3] == [f"信用代码 {bad_check}：此信用代码的校验码有误（应为 {expected_check}），请检查是否输入错误。"]
    assert by_row[4] == ["未知的主管海关“9999”"]
    assert by_row[5] == ["信用评估分数 101 不是 0 到 100 之间的整数"]
    assert by_row[6] == ["海关 2301 不在您的关区范围内"]
    assert by_row[7] == [f"信用代码 {credit_code(9001)} 已在第 2 行出现"]
    assert not Enterprise.objects.exists()


def test_csv_in_gb18030_with_english_headers():
    lines = ["credit_code,name_zh,customs_unit,credit_score", f"{credit_code(9010)},广州某公司,5102,77"]
    data = "\n".join(lines).encode("gb18030")
    summary = enterprise_import(data=data, filename="credit.csv", actor=officer("0000"))
    assert summary.created == 1
    assert Enterprise.objects.get().name_zh == "广州某公司"


def test_missing_columns_and_wrong_file_types_are_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        enterprise_import(data=xlsx([], header=["foo"]), filename="x.xlsx", actor=officer("0000"))
    with pytest.raises(ValidationError):
        enterprise_import(data=b"x", filename="x.pdf", actor=officer("0000"))
    with pytest.raises(ValidationError):
        enterprise_import(data=b"not a zip", filename="x.xlsx", actor=officer("0000"))


def test_a_discredited_level_terminates_cultivation():
    e = enterprise_in("5301", cultivation_status="listed")
    row = [e.credit_code, e.name_zh, "", "", "5301", "否", "失信企业", 40, "", ""]
    summary = enterprise_import(data=xlsx([row]), filename="credit.xlsx", actor=officer("5300"))
    assert summary.terminated == [e.id]
    e.refresh_from_db()
    assert e.cultivation_status == "terminated"
    assert CultivationEvent.objects.get(enterprise=e).ground == "discredited"


def test_import_page(client):
    client.force_login(officer("5300"))
    bad = xlsx([good_row(1, unit="9999")])
    response = client.post(reverse("trainees:import"), {"file": io.BytesIO(bad)}, format="multipart")
    assert response.status_code == 400
    response = client.post(reverse("trainees:import"), {"file": _named(bad, "credit.xlsx")})
    assert response.status_code == 400
    assert 'data-row="2"' in response.content.decode()
    response = client.post(reverse("trainees:import"), {"file": _named(xlsx([good_row(1)]), "credit.xlsx")})
    assert response.status_code == 302
    assert Enterprise.objects.count() == 1


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
