"""URL table rows of `exams`: the candidate's pages and attempt API, check-in, the invigilator
console, marking, results, validator qualification, and the back office (exams: officers and
lead trainers; sittings: officers of the sitting's district, GACC everywhere)."""

from exams.forms import ExamForm, ExtraTimeForm, SittingCreateForm, SittingNetworksForm, TicketBatchForm

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
# Who runs the Shenzhen sitting: its district's invigilator and officers, and GACC; an officer of
# another district finds nothing (404).
RUNS_SITTING = only((INVIGILATOR, OFFICER, GACC)) | {OTHER_OFFICER: 404}


def _exam(w):
    return {"exam_id": w.exams["exam"].pk}


def _attempt(w):
    return {"attempt_id": w.exams["attempt"].pk}


def _submitted(w):
    return {"attempt_id": w.exams["submitted"].pk}


def _sitting(w):
    return {"sitting_id": w.exams["sitting"].pk}


def _exam_pk(w):
    return {"pk": w.exams["exam"].pk}


def _sitting_pk(w):
    return {"pk": w.exams["sitting"].pk}


# The exams back office: officers (every district: exams are national) and lead trainers; a
# plain trainer is sent back to the dashboard with a message.
EXAM_OFFICE = only(OFFICERS) | {TRAINER: 302}
# A sitting's pages: the officers of its district (Shenzhen) and GACC; anyone else in the back
# office does not find it.
SITTING_OFFICE = only((OFFICER, GACC)) | {OTHER_OFFICER: 404, TRAINER: 404}


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
    Row("exams:console", RUNS_SITTING, kwargs=_sitting),
    Row("exams:api_console", RUNS_SITTING, kwargs=_sitting),
    Row(
        "exams:api_sitting_action",
        RUNS_SITTING,
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
        only((INVIGILATOR, OFFICER, GACC), ok=302) | {OTHER_OFFICER: 404},
        method="POST",
        kwargs=_sitting,
        note="without a file: back to the console with a message",
    ),
    Row("exams:photo", signed_in(200), note="one's own identity photo"),
    Row(
        "exams:photo_of",
        signed_in(404, **dict.fromkeys((STAFF, INVIGILATOR, OFFICER, GACC), 200)),
        kwargs=lambda w: {"user_id": w.users[STAFF].pk},
        note="the person, and those who check identities at a sitting where the person holds a ticket",
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

ROWS += [
    Row("wagtailsnippets_exams_exam:list", EXAM_OFFICE, params=("audience", "online", "window", "q")),
    Row("wagtailsnippets_exams_exam:add", EXAM_OFFICE, form=ExamForm),
    Row(
        "wagtailsnippets_exams_exam:add",
        EXAM_OFFICE,
        method="POST",
        data={"title_zh": "考试", "audience": "enterprise", "pass_mark": "150", "online": "0"},
        form=ExamForm,
        note="refused with messages on the form (no blueprint, pass mark above 100)",
    ),
    Row("wagtailsnippets_exams_exam:edit", EXAM_OFFICE, kwargs=_exam_pk, form=ExamForm),
    Row(
        "wagtailsnippets_exams_exam:extra_time",
        only(OFFICERS) | {TRAINER: 302},
        kwargs=_exam_pk,
        note="officers: the candidates of their district",
    ),
    Row(
        "wagtailsnippets_exams_exam:extra_time",
        only(OFFICERS) | {TRAINER: 302},
        method="POST",
        kwargs=_exam_pk,
        data={"person": "nobody@example.com", "minutes": "10"},
        form=ExtraTimeForm,
        note="nobody with that address: the form again with a message",
    ),
    Row(
        "wagtailsnippets_exams_sitting:list",
        only(OFFICERS) | {TRAINER: 302},
        params=("exam", "base", "when"),
        note="another district's officer gets an empty list",
    ),
    Row("wagtailsnippets_exams_sitting:add", only(OFFICERS) | {TRAINER: 302}, form=SittingCreateForm),
    Row(
        "wagtailsnippets_exams_sitting:add",
        only(OFFICERS) | {TRAINER: 302},
        method="POST",
        data=lambda w: {
            "exam": w.exams["exam"].pk,
            "room": w.exams["sitting"].session.room_id,
            "starts_at": "2020-01-01 09:00",
            "ends_at": "2020-01-01 08:00",
            "allowed_networks": "10.0.0.0/33",
        },
        form=SittingCreateForm,
        note="refused on the form (time, networks; the room of another district is no choice)",
    ),
    Row("wagtailsnippets_exams_sitting:edit", SITTING_OFFICE, kwargs=_sitting_pk, form=SittingNetworksForm),
    Row("wagtailsnippets_exams_sitting:issue", SITTING_OFFICE, kwargs=_sitting_pk, params=("enterprise",)),
    Row(
        "wagtailsnippets_exams_sitting:issue",
        SITTING_OFFICE,
        method="POST",
        kwargs=_sitting_pk,
        data={"action": "preview", "lines": "ghost@example.com"},
        form=TicketBatchForm,
        note="a preview naming line 1 as unknown; nothing issued",
    ),
    Row(
        "wagtailsnippets_exams_sitting:issue",
        SITTING_OFFICE,
        method="POST",
        kwargs=_sitting_pk,
        data={"action": "confirm", "seat": "1:2"},
        note="a confirmation naming nobody one may choose: refused with a message",
    ),
    Row("wagtailsnippets_exams_sitting:roster", SITTING_OFFICE, kwargs=_sitting_pk),
    Row("wagtailsnippets_exams_sitting:cards", SITTING_OFFICE, kwargs=_sitting_pk),
]

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?exams/",
        only((TRAINER, *OFFICERS)),
        "/admin/snippets/exams/question/",
    ),
    # Delete, usage and history of sittings: scoped like their edit page (nobody deletes one).
    Rule(
        r"^admin/snippets/exams/sitting/",
        only((OFFICER, GACC), 302) | {OTHER_OFFICER: 404, TRAINER: 404},
        lambda w: f"/admin/snippets/exams/sitting/delete/{w.exams['sitting'].pk}/",
    ),
    # Import, export, question preview, bulk actions and draw preview: trainers hold the
    # question-bank permissions; officers without them are sent back to the dashboard (302).
    Rule(r"^admin/exams/", only((TRAINER,)) | dict.fromkeys(OFFICERS, 302), "/admin/exams/import/"),
]
