"""Question bank speed targets of issue 13, on a scratch PostgreSQL database.

- Import of a 5,000-question GIFT file: < 10 s; export of the same: < 5 s (memory printed).
- Draws for 2,000 candidates from a 5,000-question bank: < 2 s for the pure function.
Run: .venv/bin/python benchmarks/exams_qbank.py (wall and CPU time and the load average are
printed with every figure: on a shared 2-core machine the wall time mostly measures the load)."""

import os
import random
import time
import timeit
import tracemalloc

import scratch_db

DB_NAME = "bench_exams_qbank"
scratch_db.configure(DB_NAME)

AREAS = ["内部控制", "财务状况", "守法规范", "贸易安全"]
QUESTIONS = 5_000
CANDIDATES = 2_000
MEASURE_MEMORY = True


def gift_file(seed: int = 13) -> bytes:
    rng = random.Random(seed)
    blocks = []
    for area in AREAS:
        blocks.append(f"$CATEGORY: $course$/top/基准/{area}\n")
        for n in range(QUESTIONS // len(AREAS)):
            difficulty = rng.randint(1, 5)
            kind = n % 4
            head = f"// [tag:difficulty:{difficulty}]\n::{area}-{n}::[html]关于{area}的第 {n} 题，选择正确的说法。"
            if kind == 0:
                body = "{\n\t=正确说法#对\n\t~错误说法一\n\t~错误说法二\n\t~错误说法三\n\t####解析\n}"
            elif kind == 1:
                body = "{\n\t~%50%甲\n\t~%50%乙\n\t~%-100%丙\n}"
            elif kind == 2:
                body = "{TRUE#错#对}"
            else:
                body = "{=二八二 =282}"
            blocks.append(head + body + "\n")
    return "\n".join(blocks).encode()


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def timed(label, function, *, memory: bool = True):
    """Wall time and this process's CPU time of one run (on a shared machine the wall time
    grows with the load, the CPU time much less), then the peak Python allocation of a second
    run (tracemalloc slows the code it watches, so time and memory are measured apart)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures = f"{label}: {seconds:.2f} s wall, {cpu:.2f} s CPU ({load()})"
    if MEASURE_MEMORY and memory:
        tracemalloc.start()
        function()
        peak = tracemalloc.get_traced_memory()[1] / 1048576
        tracemalloc.stop()
        figures += f", peak Python memory {peak:.0f} MB"
    print(figures, flush=True)
    return result


def main() -> None:
    scratch_db.recreate(DB_NAME)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from exams import rules, services
    from exams.models import QuestionBank

    data = gift_file()
    print(f"GIFT file: {QUESTIONS} questions, {len(data) / 1048576:.1f} MB ({load()})")
    report = timed(
        "import into a new bank (target < 10 s)",
        lambda: services.bank_import(bank_name="基准题库", data=data),
        memory=False,
    )
    assert report.ok and report.created == QUESTIONS, report.errors[:3]
    QuestionBank.objects.filter(name="基准题库").delete()
    tracemalloc.start()
    services.bank_import(bank_name="基准题库", data=data)
    print(f"import into a new bank, again: peak Python memory {tracemalloc.get_traced_memory()[1] / 1048576:.0f} MB")
    tracemalloc.stop()
    timed("re-import of the same file, nothing changed", lambda: services.bank_import(bank_name="基准题库", data=data))
    bank = QuestionBank.objects.get(name="基准题库")
    timed("export GIFT (target < 5 s)", lambda: services.bank_export(bank=bank, fmt="gift"))
    timed("export Moodle XML (target < 5 s)", lambda: services.bank_export(bank=bank, fmt="xml"))
    pool = services._pool(bank.pk)
    areas = sorted({q.area_id for q in pool})
    cells = [rules.Cell(area, band, 5) for area in areas for band in ("easy", "medium", "hard")]
    best = min(timeit.repeat(lambda: rules.draw_papers(cells, pool, seed=1, count=CANDIDATES), number=1, repeat=3))
    cpu = time.process_time()
    rules.draw_papers(cells, pool, seed=1, count=CANDIDATES)
    print(f"draw CPU time: {time.process_time() - cpu:.2f} s")
    papers = timed(
        f"draw {CANDIDATES} papers of {sum(c.count for c in cells)} questions (target < 2 s; best of 3: {best:.2f} s)",
        lambda: rules.draw_papers(cells, pool, seed=1, count=CANDIDATES),
    )
    assert len(papers) == CANDIDATES


if __name__ == "__main__":
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    main()
