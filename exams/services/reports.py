"""Exam reports (issue 14 point 10): the results list and Moodle's quiz statistics, per criteria
area averages, written to XLSX through `lms.exports`; built by the Celery task
`exams.tasks.build_exam_report`, which records its progress on the `ExamReport` row the page
polls. Readiness is reached only through `apps.get_model`."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.log_actions import log

from lms import exports

from .. import rules
from ..models import Attempt, Exam, ExamReport, QuestionVersion
from .attempts import db_now

CHUNK = 500
COUNTED_STATES = (Attempt.State.SUBMITTED, Attempt.State.MARKING, Attempt.State.GRADED)


def exam_report_request(*, exam: Exam, user, which: str = "first") -> ExamReport:
    """Ask for a report of `exam` over `which` attempts (first by default, as the issue asks);
    built after commit by a Celery task. Audited. Raises ValueError for an unknown `which`."""
    if which not in rules.WHICH_ATTEMPTS:
        raise ValueError(which)
    from ..tasks import build_exam_report

    with transaction.atomic():
        report = ExamReport.objects.create(exam=exam, which=which, requested_by=user)
        log(exam, "exams.report", user=user, data={"report": report.pk, "which": which})
        transaction.on_commit(lambda: build_exam_report.delay(report.pk))
    return report


def _marks(attempt: Attempt, answers: dict[int, object]) -> rules.AttemptMarks:
    items = []
    for position, item in enumerate(attempt.items):
        answer = answers.get(position)
        items.append(
            rules.ItemMark(
                slot=position,
                version_id=item["version_id"],
                mark=float(answer.points or 0) if answer else 0.0,
                max_mark=float(Decimal(item["points"])),
                labels=rules.response_labels(item["content"], answer.response if answer else None),
            )
        )
    return rules.AttemptMarks(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        number=attempt.number,
        total=float(attempt.score or 0),
        max_total=float(attempt.max_score or 0),
        items=tuple(items),
    )


def _progress(report: ExamReport, done: int) -> None:
    ExamReport.objects.filter(pk=report.pk).update(done=done)


def exam_report_build(*, report_id: int) -> ExamReport:
    """Compute the report: read the exam's finished attempts in chunks (a constant number of
    queries per chunk), recording progress, then the statistics and the XLSX. Idempotent: a
    rerun replaces the data and the file. The data kept for the page:
    {"results": [row], "test": {...}, "slots": [...], "versions": [...], "areas": [...]}."""
    report = ExamReport.objects.select_related("exam").get(pk=report_id)
    exam = report.exam
    finished = Attempt.objects.filter(exam=exam, state__in=COUNTED_STATES)
    total = finished.count()
    ExamReport.objects.filter(pk=report.pk).update(state=ExamReport.State.RUNNING, total=total, done=0)
    results, marks, area_rows = [], [], []
    ids = list(finished.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = (
            Attempt.objects.filter(pk__in=ids[start : start + CHUNK])
            .select_related("user__enterprise")
            .prefetch_related("answers")
            .order_by("pk")
        )
        for attempt in chunk:
            answers = {a.position: a for a in attempt.answers.all()}
            results.append(_result_row(attempt))
            if attempt.state == Attempt.State.GRADED:
                marks.append(_marks(attempt, answers))
        _progress(report, min(total, start + CHUNK))
    counted = rules.attempts_counted(marks, report.which)
    counted_ids = {a.attempt_id for a in counted}
    statistics = rules.quiz_statistics(counted)
    versions = QuestionVersion.objects.in_bulk(list(statistics["versions"]))
    contents = {pk: v.content for pk, v in versions.items()}
    for attempt in counted:
        for item in attempt.items:
            area_rows.append((contents[item.version_id].get("criteria_area_id"), item.mark, item.max_mark))
    Area = apps.get_model("readiness", "CriteriaArea")
    areas = {a.pk: a for a in Area.objects.filter(pk__in=[r[0] for r in area_rows if r[0]])}
    averages = rules.area_averages(area_rows)
    data = {
        "which": report.which,
        "counted": len(counted_ids),
        "results": results,
        "test": statistics["test"],
        "slots": statistics["slots"],
        "versions": [
            {
                "version_id": pk,
                "name": contents[pk].get("name", ""),
                "qtype": contents[pk].get("qtype", ""),
                "options": _option_rows(contents[pk], figures["distribution"], figures["n"]),
                **{k: v for k, v in figures.items() if k != "distribution"},
            }
            for pk, figures in sorted(statistics["versions"].items(), key=lambda kv: contents[kv[0]].get("name", ""))
        ],
        "areas": sorted(
            (
                {
                    "area": areas[pk].name_zh if pk in areas else "—",
                    "position": areas[pk].position if pk in areas else 999,
                    "average": value,
                }
                for pk, value in averages.items()
            ),
            key=lambda row: row["position"],
        ),
    }
    content = exam_report_xlsx(exam, data)
    report.data = data
    report.file.save(f"exam-{exam.pk}.xlsx", ContentFile(content), save=False)
    ExamReport.objects.filter(pk=report.pk).update(
        data=data, file=report.file.name, state=ExamReport.State.DONE, done=total, finished_at=db_now()
    )
    report.refresh_from_db()
    return report


def _option_rows(content: dict, distribution: dict[str, int], n: int) -> list[dict]:
    """Rows of the option distribution of one version: each option (stored order) with its
    weight, then any other response seen (fill-in texts), then "no answer"."""
    rows, seen = [], set()
    qtype = content.get("qtype")
    options = content.get("options") or []
    if qtype == rules.MULTICHOICE:
        for index, option in enumerate(options):
            key = str(index)
            seen.add(key)
            rows.append(
                {"label": option.get("text", ""), "fraction": option.get("fraction"), "count": distribution.get(key, 0)}
            )
    elif qtype == rules.TRUEFALSE:
        for key, label, option in zip(("true", "false"), (_("True"), _("False")), options or [{}, {}], strict=False):
            seen.add(key)
            rows.append({"label": str(label), "fraction": option.get("fraction"), "count": distribution.get(key, 0)})
    for key, count in sorted(distribution.items(), key=lambda kv: -kv[1]):
        if key in seen or key == "":
            continue
        rows.append(
            {
                "label": pgettext("exam answer", "Answered") if key == "answered" else key,
                "fraction": None,
                "count": count,
            }
        )
    rows.append({"label": _("No answer"), "fraction": None, "count": distribution.get("", 0)})
    for row in rows:
        row["percent"] = round(100 * row["count"] / n, 2) if n else None
    return rows


def _result_row(attempt: Attempt) -> list:
    user = attempt.user
    local = timezone.localtime
    return [
        user.get_full_name() or user.email,
        user.email,
        user.enterprise.name_zh if getattr(user, "enterprise", None) else "",
        attempt.number,
        str(attempt.get_state_display()),
        local(attempt.started_at).strftime("%Y-%m-%d %H:%M"),
        local(attempt.submitted_at).strftime("%Y-%m-%d %H:%M") if attempt.submitted_at else "",
        str(attempt.get_finished_by_display()) if attempt.finished_by else "",
        float(attempt.score) if attempt.score is not None else None,
        float(attempt.max_score),
        float(rules.grade_percent(attempt.score, attempt.max_score)) if attempt.score is not None else None,
        "" if attempt.passed is None else (_("Passed") if attempt.passed else _("Failed")),
    ]


def result_header() -> list[str]:
    return [
        pgettext("person", "Name"),
        _("E-mail"),
        _("Enterprise"),
        _("Attempt"),
        _("State"),
        _("Started"),
        pgettext("submission time", "Submitted"),
        _("Finished by"),
        _("Score"),
        pgettext("score", "Maximum"),
        _("Per cent"),
        _("Result"),
    ]


ITEM_FIGURES = ("n", "facility", "sd", "discrimination", "efficiency")


def _item_header() -> list[str]:
    return [
        _("Attempts"),
        _("Facility index (%)"),
        _("Standard deviation (%)"),
        _("Discrimination index (%)"),
        _("Discriminative efficiency (%)"),
    ]


def exam_report_xlsx(exam: Exam, data: dict) -> bytes:
    """The report as one workbook: results, test statistics, item statistics per slot and per
    question version, option distribution, criteria-area averages (in Chinese)."""
    with translation.override("zh-hans"):
        title = f"{exam.title_zh} · {dict(ExamReport.Which.choices)[data['which']]}"
        test = data["test"]
        sheets = [
            exports.Sheet(
                title=str(_("Results")), header=result_header(), rows=data["results"], preamble=[exam.title_zh, ""]
            ),
            exports.Sheet(
                title=str(_("Test statistics")),
                header=[_("Figure"), _("Value")],
                rows=[
                    (_("Attempts counted"), test["n"]),
                    (_("Average (%)"), test["mean"]),
                    (_("Median (%)"), test["median"]),
                    (_("Standard deviation (%)"), test["sd"]),
                    (_("Coefficient of internal consistency (Cronbach's alpha, %)"), test["cic"]),
                    (_("Error ratio (%)"), test["error_ratio"]),
                    (_("Standard error (%)"), test["standard_error"]),
                ],
                preamble=[title, ""],
                widths=(48, 14),
            ),
            exports.Sheet(
                title=str(_("Positions")),
                header=[pgettext("question order", "Position"), *_item_header()],
                rows=[[row["slot"] + 1, *(row[k] for k in ITEM_FIGURES)] for row in data["slots"]],
                preamble=[title, ""],
            ),
            exports.Sheet(
                title=str(_("Question versions")),
                header=[
                    pgettext("exam question", "Question"),
                    _("Version id"),
                    pgettext("question type", "Type"),
                    *_item_header(),
                ],
                rows=[
                    [v["name"], v["version_id"], v["qtype"], *(v[k] for k in ITEM_FIGURES)] for v in data["versions"]
                ],
                preamble=[title, ""],
                widths=(30, 10, 12),
            ),
            exports.Sheet(
                title=str(_("Option distribution")),
                header=[
                    pgettext("exam question", "Question"),
                    _("Version id"),
                    _("Response"),
                    _("Weight (%)"),
                    _("Count"),
                    _("Per cent"),
                ],
                rows=[
                    [v["name"], v["version_id"], o["label"], o["fraction"], o["count"], o["percent"]]
                    for v in data["versions"]
                    for o in v["options"]
                ],
                preamble=[title, ""],
                widths=(30, 10, 40),
                wrap_columns=(2,),
            ),
            exports.Sheet(
                title=str(_("Criteria areas")),
                header=[_("Criteria area"), _("Average (%)")],
                rows=[[row["area"], row["average"]] for row in data["areas"]],
                preamble=[title, ""],
                widths=(30, 14),
            ),
        ]
        return exports.xlsx_book(sheets)


def exam_report_fail(*, report_id: int) -> None:
    ExamReport.objects.filter(pk=report_id).update(state=ExamReport.State.FAILED, finished_at=db_now())
