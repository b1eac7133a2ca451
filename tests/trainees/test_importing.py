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
    assert response.status_code == 302 and "/import/" in response["Location"]
    assert not Enterprise.objects.exists()  # the preview comes first
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="preview"' in page and 'data-row="2"' in page
    confirm = response["Location"] + "confirm/"
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"].endswith(reverse("trainees:enterprise_list"))
    assert Enterprise.objects.count() == 1
    response = client.post(confirm)  # confirming twice writes nothing more
    assert response.status_code == 302 and Enterprise.objects.count() == 1


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("score", ["inf", "1e400", "-inf", "nan", "88.5", "-1"])
def test_a_score_that_is_not_a_whole_number_0_to_100_is_a_row_error(score):
    for data, filename in (
        (xlsx([good_row(1, score=score)]), "x.xlsx"),
        (f"credit_code,name_zh,customs_unit,credit_score\n{credit_code(9001)},某公司,5301,{score}".encode(), "x.csv"),
    ):
        with pytest.raises(ImportRejected) as exc:
            enterprise_import(data=data, filename=filename, actor=officer("5300"))
        assert [(e.row, score in e.message) for e in exc.value.errors] == [(2, True)]
    assert not Enterprise.objects.exists()


def test_a_name_longer_than_the_model_allows_is_a_row_error_not_a_database_error():
    long_row = good_row(1)
    long_row[1] = "长" * 5000
    nul_row = good_row(2)
    nul_row[2] = "bad\x00name"
    data = "\n".join(
        [
            "credit_code,name_zh,name_en,customs_unit",
            f"{credit_code(9001)},{'长' * 5000},,5301",
            f"{credit_code(9002)},某公司,{'x' * 201},5301",
            f"{credit_code(9003)},某公司,bad\x00name,5301",
        ]
    ).encode()
    with pytest.raises(ImportRejected) as exc:
        enterprise_import(data=data, filename="x.csv", actor=officer("5300"))
    assert sorted(e.row for e in exc.value.errors) == [2, 3, 4]
    assert "200" in exc.value.errors[0].message  # the model's max_length, as Django words it
    with pytest.raises(ImportRejected):
        enterprise_import(data=xlsx([long_row]), filename="x.xlsx", actor=officer("5300"))
    assert not Enterprise.objects.exists()


def test_the_import_page_reports_bad_numbers_instead_of_failing(client):
    client.force_login(officer("5300"))
    bad = xlsx([good_row(1, score="1e400"), [*good_row(2)[:1], "名" * 5000, *good_row(2)[2:]]])
    response = client.post(reverse("trainees:import"), {"file": _named(bad, "credit.xlsx")})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-row="2"' in content and 'data-row="3"' in content


# --- uploads: size, zip bombs, large files in the background -------------------------------------


def _zip_bomb(uncompressed_mb: int) -> bytes:
    """A small .xlsx-named ZIP whose one sheet part unpacks to `uncompressed_mb` megabytes."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(uncompressed_mb):
                part.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client):
    from django.core.exceptions import ValidationError

    bomb = _zip_bomb(300)  # 300 MB of XML in a file of about 300 KB
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError) as exc:
        enterprise_import(data=bomb, filename="bomb.xlsx", actor=officer("5300"))
    assert exc.value.messages[0].startswith("该工作簿解压后将达 ")  # the size it would unpack to, then the advice
    dense = _zip_bomb(20)  # under the total, but compressed a thousand times
    with pytest.raises(ValidationError):
        enterprise_import(data=dense, filename="dense.xlsx", actor=officer("5300"))
    client.force_login(officer("5300"))
    response = client.post(reverse("trainees:import"), {"file": _named(bomb, "credit.xlsx")})
    assert response.status_code == 400
    assert not Enterprise.objects.exists()


def _english_import_url() -> str:
    from django.utils import translation

    with translation.override("en"):
        return reverse("trainees:import")


def test_a_file_above_the_upload_limit_is_refused_with_a_clear_message(client, settings):
    settings.LMS_UPLOAD_MAX_BYTES = 1000
    client.force_login(officer("5300"))
    response = client.post(_english_import_url(), {"file": _named(b"credit_code\n" + b"x" * 2000, "big.csv")})
    assert response.status_code == 400
    assert "files up to 1000" in response.content.decode()


def test_a_request_above_the_largest_limit_is_a_413_before_it_is_read(client, settings):
    settings.LMS_MAX_REQUEST_BYTES = 10_000
    client.force_login(officer("5300"))
    response = client.post(_english_import_url(), {"file": _named(b"x" * 20_000, "big.csv")})
    assert response.status_code == 413
    assert "at most 9.8" in response.content.decode()


def _csv(n: int, *, bad_row: int | None = None) -> bytes:
    lines = ["credit_code,name_zh,customs_unit,credit_score"]
    for i in range(n):
        score = "1e400" if i + 2 == bad_row else "80"
        lines.append(f"{credit_code(20000 + i)},企业{i},5301,{score}")
    return "\n".join(lines).encode()


def test_more_than_1000_rows_run_in_a_task_with_a_progress_page(client, django_capture_on_commit_callbacks):
    from trainees.models import ImportJob

    actor = officer("5300")
    client.force_login(actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("trainees:import"), {"file": _named(_csv(1001), "credit.csv")})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert job.total_rows == 1001 and not Enterprise.objects.exists()  # nothing done in the request
    page = client.get(response["Location"])
    assert 'http-equiv="refresh"' in page.content.decode() and 'data-status="checking"' in page.content.decode()
    for callback in callbacks:  # the commit: the check runs in the task (eagerly in tests)
        callback()
    job.refresh_from_db()
    assert job.status == "preview" and len(job.plan) == 1001 and not Enterprise.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page and 'id="import-confirm"' in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(response["Location"] + "confirm/")
    job.refresh_from_db()
    assert job.status == "pending" and not Enterprise.objects.exists()
    for callback in callbacks:  # the write runs in the task too
        callback()
    job.refresh_from_db()
    assert job.status == "done" and job.created == 1001 and job.data in (b"", memoryview(b""))
    assert Enterprise.objects.count() == 1001
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page and 'data-status="done"' in page
    client.force_login(officer("5300"))  # another officer does not see the job
    assert client.get(response["Location"]).status_code == 404


def test_a_large_import_with_a_bad_row_reports_it_on_the_progress_page(client, django_capture_on_commit_callbacks):
    client.force_login(officer("5300"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainees:import"), {"file": _named(_csv(1200, bad_row=700), "c.csv")})
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="rejected"' in page and 'data-row="700"' in page
    assert not Enterprise.objects.exists()
