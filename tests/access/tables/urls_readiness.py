"""URL table rows of `readiness`: the readiness report, rectification tasks and the officers'
dashboard (issue 16), and the back office."""

from . import ADMIN, BACK_OFFICE, ENTERPRISE, GACC, OFFICER, OFFICERS, STAFF, Row, Rule, only, signed_in


def _enterprise(w):
    return {"enterprise_id": w.enterprise.pk}


def _task(w):
    from readiness.models import RectificationTask

    task, _ = RectificationTask.objects.get_or_create(
        enterprise=w.enterprise,
        title="发布单证复核制度",
        defaults={"owner": w.users[ADMIN], "due_date": w.day},
    )
    return {"pk": task.pk}


def _task_form(w):
    return {"status": "in_progress", "evidence_note": "制度草案"}


def _new_task(w):
    return {"title": "整改信息系统", "owner": w.users[ADMIN].pk, "due_date": "2026-12-31"}


# Own enterprise and the district's officers (GACC: all) read; everyone else: not found.
REPORT = signed_in(404, **{STAFF: 200, ADMIN: 200, OFFICER: 200, GACC: 200})

ROWS = [
    Row("readiness:report_mine", signed_in(404, **dict.fromkeys(ENTERPRISE, 302))),
    Row("readiness:report", REPORT, kwargs=_enterprise, params=("edition",)),
    Row("readiness:report_pdf", REPORT, kwargs=_enterprise, params=("edition",)),
    Row(
        "readiness:rectification_create",
        signed_in(404, **{STAFF: 403, ADMIN: 302, OFFICER: 302, GACC: 302}),
        method="POST",
        kwargs=_enterprise,
        data=_new_task,
        params=("title", "owner", "due_date", "criterion"),
    ),
    Row(
        "readiness:rectification_update",
        signed_in(404, **{STAFF: 403, ADMIN: 302, OFFICER: 302, GACC: 302}),
        method="POST",
        kwargs=_task,
        data=_task_form,
        params=("status", "evidence_note"),
    ),
    Row("readiness:dashboard", only(OFFICERS), params=("status", "unit", "q", "sort", "page")),
    Row("readiness:dashboard_export", only(OFFICERS), params=("status", "unit", "q", "sort")),
]

RULES = [
    Rule(r"^admin/snippets/(choose/)?readiness/", only(BACK_OFFICE), "/admin/snippets/readiness/criterion/"),
]
