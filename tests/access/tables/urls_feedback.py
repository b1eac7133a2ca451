"""URL table rows of `feedback`: AEO certification outcomes (issue 17)."""

from feedback.forms import OutcomeApplicationForm

from . import GACC, OFFICER, OTHER_OFFICER, Row, only


def _enterprise(w):
    return {"enterprise_id": w.enterprise.pk}


# Officers of the enterprise's district and GACC; another district finds nothing.
OUTCOMES = only((OFFICER, GACC)) | {OTHER_OFFICER: 404}

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
]
