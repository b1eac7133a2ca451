"""URL table rows of `readiness` (issue 15): the self-assessment pages, evidence files (private
to the enterprise and the officers of its district) and the back office."""

from readiness.forms import AssignForm, JudgementForm

from . import ADMIN, BACK_OFFICE, ENTERPRISE, GACC, OFFICER, OFFICERS, STAFF, Row, Rule, only, signed_in


def _pk(w):
    return {"pk": w.assessment.pk}


def _judgement(w):
    return {"pk": w.assessment.pk, "criterion": w.evidence.judgement.criterion_id}


# The enterprise's staff and the officers of its district read; anyone else finds nothing (404).
READ = signed_in(404, **{STAFF: 200, ADMIN: 200, OFFICER: 200, GACC: 200})
# The enterprise's staff edit (a message, back to the page); officers only read (403).
EDIT = signed_in(404, **{STAFF: 302, ADMIN: 302, OFFICER: 403, GACC: 403})

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
    Row("readiness:evidence_upload", EDIT, method="POST", kwargs=_judgement),
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
]

RULES = [
    Rule(r"^admin/snippets/(choose/)?readiness/", only(BACK_OFFICE), "/admin/snippets/readiness/criterion/"),
]
