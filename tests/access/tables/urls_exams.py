"""URL table rows of `exams`: the candidate's pages and attempt API, check-in, the invigilator
console, marking, results, validator qualification, and the back office."""

from . import (
    CANDIDATE,
    GACC,
    INVIGILATOR,
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

ENTERPRISE_STAFF_ROLES = ("enterprise_staff", "enterprise_admin", "other_enterprise_staff")
# A candidate's own attempt: anyone else finds nothing (404, never 403).
OWN = signed_in(404, **{STAFF: 200})
INVIGILATORS = (INVIGILATOR, *OFFICERS)


def _exam(w):
    return {"exam_id": w.exams["exam"].pk}


def _attempt(w):
    return {"attempt_id": w.exams["attempt"].pk}


def _submitted(w):
    return {"attempt_id": w.exams["submitted"].pk}


def _sitting(w):
    return {"sitting_id": w.exams["sitting"].pk}


ROWS = [
    Row("exams:list", signed_in(200)),
    Row("exams:start", only(ENTERPRISE_STAFF_ROLES, ok=302), method="POST", kwargs=_exam),
    Row("exams:attempt", OWN, kwargs=_attempt),
    Row("exams:submit", signed_in(404, **{STAFF: 302}), method="POST", kwargs=_attempt),
    Row("exams:review", OWN, kwargs=_submitted),
    Row(
        "exams:remark_ask",
        signed_in(404, **{STAFF: 302}),
        method="POST",
        kwargs=_submitted,
        data={"reason": "请复核"},
        note="the candidate's own attempt; refused with a message before the results are released",
    ),
    Row(
        "exams:api_save",
        OWN,
        method="POST",
        api=True,
        kwargs=_attempt,
        data={"position": 0, "response": None, "seq": 1},
    ),
    Row("exams:api_status", OWN, api=True, kwargs=_attempt),
    Row("exams:checkin", OWN, kwargs=_sitting, note="only the ticket holders of the sitting"),
    Row("exams:console", only(INVIGILATORS), kwargs=_sitting),
    Row("exams:api_console", only(INVIGILATORS), kwargs=_sitting),
    Row(
        "exams:api_sitting_action",
        only(INVIGILATORS),
        method="POST",
        kwargs=_sitting,
        data={"action": "close", "reason": "结束"},
    ),
    Row("exams:marking", only((TRAINER,))),
    Row("exams:mark", only((TRAINER,)), kwargs=lambda w: {"answer_id": w.exams["essay"].pk}),
    Row("exams:results", only(OFFICERS), kwargs=_exam),
    Row("exams:qualification", only((CANDIDATE,))),
    Row(
        "exams:ticket_pdf",
        signed_in(404, **dict.fromkeys((STAFF, INVIGILATOR, OFFICER, GACC), 200)),
        kwargs=lambda w: {"ticket_id": w.exams["ticket"].pk},
        note="the holder, invigilators and the officers of the sitting's district",
    ),
    Row(
        "exams:sitting_tickets",
        only((OFFICER, GACC)) | {OTHER_OFFICER: 404},
        kwargs=_sitting,
        note="officers of the sitting's district (Shenzhen)",
    ),
    Row(
        "exams:answer_file_upload",
        only(INVIGILATORS, ok=302),
        method="POST",
        kwargs=_sitting,
        note="without a file: back to the console with a message",
    ),
    Row("exams:photo", signed_in(200), note="one's own identity photo"),
    Row(
        "exams:photo_of",
        signed_in(404, **dict.fromkeys((STAFF, *INVIGILATORS), 200)),
        kwargs=lambda w: {"user_id": w.users[STAFF].pk},
        note="the person and those who check identities (invigilators, officers)",
    ),
    Row("exams:report", only(OFFICERS), kwargs=_exam),
    Row("exams:api_report", only(OFFICERS), api=True, kwargs=lambda w: {"report_id": w.exams["report"].pk}),
    Row("exams:report_xlsx", only(OFFICERS), kwargs=lambda w: {"report_id": w.exams["report"].pk}),
    Row("exams:qualification_of", only(OFFICERS), kwargs=lambda w: {"user_id": w.users[CANDIDATE].pk}),
    Row(
        "exams:interview_record",
        only((OFFICER, GACC)) | {OTHER_OFFICER: 404},
        kwargs=lambda w: {"user_id": w.users[CANDIDATE].pk},
        note="officers responsible for the candidate (Shenzhen district)",
    ),
]

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?exams/",
        only((TRAINER, *OFFICERS)),
        "/admin/snippets/exams/question/",
    ),
    # Import, export, question preview, bulk actions and draw preview: trainers hold the
    # question-bank permissions; officers without them are sent back to the dashboard (302).
    Rule(r"^admin/exams/", only((TRAINER,)) | dict.fromkeys(OFFICERS, 302), "/admin/exams/import/"),
]
