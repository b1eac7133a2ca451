"""URL table rows of `consultations` (issue 17, points 2 and 3): the enterprise's consultations,
the coordinators' desk and thread steps, and the back office of the districts' answer times.
The demo consultation: asked by the staff member to Futian (Shenzhen district), answered by the
district's coordinator, with a PDF attached to the question."""

from consultations.forms import AskForm, CloseForm, HandOverForm, MessageForm, PublishForm, RateForm

from . import (
    ADMIN,
    ANON,
    COORDINATOR,
    ENTERPRISE,
    GACC,
    LOGIN,
    OFFICER,
    OTHER_OFFICER,
    OTHER_STAFF,
    STAFF,
    TRAINER,
    Row,
    Rule,
    answers,
    only,
)

ASKER = (STAFF, ADMIN)  # the enterprise that asked


def _consultation(w):
    return {"pk": w.consultation.pk}


def _attachment(w):
    return {"pk": w.consultation.pk, "message_id": w.consultation.messages.get(kind="question").pk}


def _question(district):
    return lambda w: {
        "district": district(w),
        "topic": "other",
        "subject": "便利措施",
        "body": "高级认证企业有哪些便利？",
    }


# Those who may read the thread: the enterprise that asked and the district's coordinator;
# everyone else signed in finds nothing.
def thread(asker=200, coordinator=200):
    return answers(404, **{ANON: LOGIN, **dict.fromkeys(ASKER, asker), COORDINATOR: coordinator})


ROWS = [
    Row("consultations:list", only(ENTERPRISE) | {COORDINATOR: 302}, params=("page",)),
    Row("consultations:ask", only(ENTERPRISE)),
    Row(
        "consultations:ask",
        only(ASKER, 302) | {OTHER_STAFF: 404},
        method="POST",
        data=_question(lambda w: w.enterprise.customs_unit_id),
        form=AskForm,
        note="another enterprise's staff name a district that is not theirs: not found",
    ),
    Row(
        "consultations:ask",
        only(ASKER, 404) | {OTHER_STAFF: 302},
        method="POST",
        data=_question(lambda w: w.other_enterprise.customs_unit_id),
        form=AskForm,
        note="a question to another district is not found",
    ),
    Row("consultations:desk", only((COORDINATOR,)), params=("status", "topic", "overdue", "mine", "page")),
    Row("consultations:detail", thread(), kwargs=_consultation),
    Row("consultations:attachment", thread(), kwargs=_attachment),
    Row(
        "consultations:message",
        thread(302, 302),
        method="POST",
        kwargs=_consultation,
        data={"body": "还需要财务审计报告吗？"},
        form=MessageForm,
        note="the enterprise follows up, the coordinator replies",
    ),
    Row(
        "consultations:rate",
        thread(302, 403),
        method="POST",
        kwargs=_consultation,
        data={"rating": 5},
        form=RateForm,
    ),
    Row(
        "consultations:hand_over",
        thread(403, 302),
        method="POST",
        kwargs=_consultation,
        data={"hand_over-to": "gacc", "hand_over-note": "请总署答复"},
        form=HandOverForm,
    ),
    Row("consultations:close", thread(403, 302), method="POST", kwargs=_consultation, form=CloseForm),
    Row("consultations:publish", thread(403, 200), kwargs=_consultation),
    Row(
        "consultations:publish",
        thread(403, 302),
        method="POST",
        kwargs=_consultation,
        data={"title": "申请高级认证需要哪些材料？", "question": "请问要准备什么？", "answer": "请准备内部控制制度。"},
        form=PublishForm,
    ),
]

RULES = [
    Rule(
        r"^admin/snippets/(choose/)?consultations/",
        answers(403, **{ANON: LOGIN, TRAINER: 302, OFFICER: 200, OTHER_OFFICER: 200, GACC: 200}),
        "/admin/snippets/consultations/districtconsultationsetting/",
        note="officers set their district's answer time; trainers have no permission on it",
    ),
]
