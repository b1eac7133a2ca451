"""URL table rows of `feedback`: AEO certification outcomes, the appraisal dashboard with its
exports, and the expert roster (issue 17)."""

from feedback.forms import OutcomeApplicationForm

from . import GACC, OFFICER, OFFICERS, OTHER_OFFICER, TRAINER, Row, Rule, only


def _enterprise(w):
    return {"enterprise_id": w.enterprise.pk}


# Officers of the enterprise's district and GACC; another district finds nothing.
OUTCOMES = only((OFFICER, GACC)) | {OTHER_OFFICER: 404}
# Every officer sees the appraisal of their own level (GACC all, a district its units).
APPRAISAL_PARAMS = ("start", "end", "type", "base", "unit")

ROWS = [
    Row("feedback:certification_outcomes", OUTCOMES, kwargs=_enterprise),
    Row(
        "feedback:certification_outcomes",
        OUTCOMES | {OFFICER: 400, GACC: 400},
        method="POST",
        kwargs=_enterprise,
        data={"step": "application", "applied_on": "2026-01-01"},
        form=OutcomeApplicationForm,
        note="the demo enterprise has not completed training: refused with a message",
    ),
    Row("feedback:appraisal", only(OFFICERS), params=APPRAISAL_PARAMS),
    Row("feedback:appraisal_xlsx", only(OFFICERS), params=APPRAISAL_PARAMS),
    Row("feedback:appraisal_pdf", only(OFFICERS), query={"type": "compliance"}),
    # The demo officers are at GACC and at regional customs: all keep the roster.
    Row("feedback:expert_roster", only(OFFICERS), params=("level",)),
]

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?feedback/expert/",
        only(OFFICERS, 200) | {TRAINER: 302},
        "/admin/snippets/feedback/expert/",
        note="trainers have no expert permissions; local officers are refused by the gated policy",
    ),
]
