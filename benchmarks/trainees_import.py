"""Import 10,000 enterprises from an XLSX file into PostgreSQL (target: under 10 s), then the
same file again (10,000 updates), as an officer of the Shenzhen district.

Uses a scratch database (dropped and recreated on each run), migrates it, writes the workbook
in memory, then times `trainees.importing.enterprise_import` end to end (reading the file,
checking every row, writing). Prints seconds and query counts.
Run: .venv/bin/python benchmarks/trainees_import.py  (PostgreSQL on 127.0.0.1:5432)"""

import io
import os
import time

import scratch_db

DB_NAME = "lms_import_bench"
scratch_db.configure(DB_NAME)
scratch_db.recreate(DB_NAME)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from trainees.importing import COLUMNS, enterprise_import, read_rows  # noqa: E402
from trainees.models import CustomsUnit, Enterprise, User  # noqa: E402
from trainees.roles import Role  # noqa: E402
from trainees.validators import credit_code_check_character  # noqa: E402

ROWS = 10_000
HEADER = [chinese for _english, chinese in COLUMNS.values()]  # the headers customs offices write


def credit_code(n: int) -> str:
    first17 = f"91440300MB{n:07d}"
    return first17 + credit_code_check_character(first17)


def workbook(score_offset: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(ROWS):
        ws.append(
            [
                credit_code(i),
                f"深圳导入企业{i}有限公司",
                f"Shenzhen Import {i} Co., Ltd.",
                f"44039{i:05d}",
                "5301" if i % 2 else "5300",
                "是",
                "regular" if i % 10 else "certified",
                (60 + i + score_offset) % 101,
                "2026-11-01",
                "consignor;customs_broker" if i % 3 else "consignor",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def timed(label: str, data: bytes, actor: User, *, dry_run: bool = False) -> float:
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        rows = read_rows(data, "bench.xlsx")
        read = time.perf_counter() - started
        summary = enterprise_import(data=data, filename="bench.xlsx", actor=actor, rows=rows, dry_run=dry_run)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label:<22} {seconds:5.2f} s (read {read:4.2f} s, check{'' if dry_run else '+write'} {seconds - read:4.2f} s; "
        f"Python CPU {cpu:4.2f} s)  {len(queries):3d} queries  "
        f"created {summary.created:,} updated {summary.updated:,}"
    )
    return seconds


def main() -> None:
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate:               {time.perf_counter() - t0:.1f} s")
    actor = User.objects.create_user("bench@example.com", customs_unit=CustomsUnit.objects.get(code="5300"))
    actor.groups.add(Group.objects.get_or_create(name=Role.CUSTOMS_OFFICER.value)[0])
    first, second = workbook(0), workbook(7)
    print(f"workbook:              {ROWS:,} rows, {len(first) / 1024:.0f} KB")
    new = timed("import (all new):", first, actor)
    preview = timed("preview (updates):", second, actor, dry_run=True)  # the check behind the preview page
    updates = timed("import (all updates):", second, actor)
    assert Enterprise.objects.count() == ROWS
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    verdict = "met" if max(new, preview, updates) < 10 else "NOT met"
    print(f"target < 10 s per 10,000 rows: {verdict}  (load average during the run: {load} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
