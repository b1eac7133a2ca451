"""URL table rows of `readiness`: the self-assessment pages, evidence files (private to the
enterprise and the officers of its district; issue 15), the readiness report, rectification tasks
and the officers' dashboard (issue 16), and the back office."""

import datetime

from django.utils import timezone

from readiness.forms import AssignForm, JudgementForm

from . import (
    ADMIN,
    BACK_OFFICE,
    ENTERPRISE,
    GACC,
    OFFICER,
    OFFICERS,
    OTHER_OFFICER,
    STAFF,
    TRAINER,
    Row,
    Rule,
    only,
    signed_in,
)


def _pk(w):
    return {"pk": w.assessment.pk}


def _judgement(w):
    return {"pk": w.assessment.pk, "criterion": w.evidence.judgement.criterion_id}


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
    # Due within the re-check horizon from today (a past date is refused).
    due = timezone.localdate() + datetime.timedelta(days=30)
    return {"title": "整改信息系统", "owner": w.users[ADMIN].pk, "due_date": due.isoformat()}


# The enterprise's staff and the officers of its district read; anyone else finds nothing (404).
READ = signed_in(404, **{STAFF: 200, ADMIN: 200, OFFICER: 200, GACC: 200})
# The enterprise's staff edit (a message, back to the page); officers only read (403).
EDIT = signed_in(404, **{STAFF: 302, ADMIN: 302, OFFICER: 403, GACC: 403})

REPORT = READ

ROWS = [
    Row("readiness:assessment_list", only((*ENTERPRISE, *OFFICERS))),
    Row("readiness:assessment_start", only(ENTERPRISE, 302), method="POST", kwargs={"edition": "2026-advanced"}),
    Row("readiness:financials", only(ENTERPRISE)),
    Row("readiness:assessment_detail", READ, kwargs=_pk),
    Row(
        "readiness:judgement_save",
        EDIT,
        method="POST",
        kwargs=_judgement,
        data=lambda w: {f"c{w.evidence.judgement.criterion_id}-value": "meets"},
        form=JudgementForm,
    ),
    # Sent without a file: the page comes back with the message on the sub-item (400).
    Row("readiness:evidence_upload", EDIT | {STAFF: 400, ADMIN: 400}, method="POST", kwargs=_judgement),
    Row(
        "readiness:evidence_download",
        READ,
        kwargs=lambda w: {"pk": w.assessment.pk, "evidence": w.evidence.pk},
    ),
    # Only the enterprise's administrator assigns sub-items.
    Row(
        "readiness:assign",
        EDIT | {STAFF: 403},
        method="POST",
        kwargs=_pk,
        data=lambda w: {"criterion": str(w.evidence.judgement.criterion_id), "position": "customs_affairs"},
        form=AssignForm,
    ),
    Row("readiness:submit", EDIT, method="POST", kwargs=_pk),
    Row("readiness:version_detail", READ, kwargs=lambda w: {"pk": w.assessment.pk, "number": 1}),
    Row("readiness:version_compare", READ, kwargs=_pk, query={"a": "1", "b": "1"}, params=("a", "b")),
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
    # Rectification tasks: the officers of the enterprise's district (GACC all); another
    # district's officer and trainers (back office, no scope on tasks) do not find the task.
    Rule(
        r"^admin/readiness/rectifications/",
        only((OFFICER, GACC)) | {OTHER_OFFICER: 404, TRAINER: 404},
        lambda w: f"/admin/readiness/rectifications/inspect/{_task(w)['pk']}/",
    ),
]
