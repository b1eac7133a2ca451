"""URL table rows of `trainees`: enterprise pages, officers' pages, JSON API and back office."""

from trainees.forms import AdjustmentForm, ImportForm, InviteForm, KeyEnterpriseForm, TransitionForm

from . import (
    ADMIN,
    ENTERPRISE,
    GACC,
    OFFICER,
    OFFICERS,
    OTHER_OFFICER,
    OTHER_STAFF,
    STAFF,
    TRAINER,
    Row,
    Rule,
    only,
    signed_in,
)


def _enterprise(w):
    return {"pk": w.enterprise.pk}


def _round(w):
    return {"pk": w.round.pk}


# Officers of the district (and GACC) see its objects; another district's officer finds nothing.
DISTRICT = only((OFFICER, GACC), 200) | {OTHER_OFFICER: 404}


def _invitation_id(w) -> int:
    from trainees.models import EnterpriseInvitation

    return EnterpriseInvitation.objects.filter(enterprise=w.enterprise).values_list("pk", flat=True).first()


ROWS = [
    Row("trainees:home", signed_in(403, **dict.fromkeys((*ENTERPRISE, *OFFICERS), 302))),
    Row("trainees:my_enterprise", only(ENTERPRISE)),
    Row("trainees:application_create", only((ADMIN,)), form=None),
    Row(
        "trainees:staff_invite",
        only((ADMIN,), 302) | {STAFF: 403, OTHER_STAFF: 403},
        method="POST",
        data={"email": "someone@example.com", "position": "customs_affairs"},
        form=InviteForm,
    ),
    Row("trainees:invitation_accept", signed_in(200), kwargs=lambda w: {"token": w.invitation_token}),
    # The administrator revokes (back to the enterprise page); a colleague may not (403); another
    # enterprise's people find nothing (404); people without an enterprise are refused (403).
    Row(
        "trainees:invitation_revoke",
        only((ADMIN,), ok=302) | {OTHER_STAFF: 404},
        method="POST",
        kwargs=lambda w: {"pk": _invitation_id(w)},
    ),
    Row("trainees:enterprise_list", only(OFFICERS), params=("status", "q", "page")),
    Row("trainees:import", only(OFFICERS), form=ImportForm),
    # Only the officer who uploaded the file sees the import's progress and problems.
    Row(
        "trainees:import_job",
        only(OFFICERS, 404) | {OFFICER: 200},
        kwargs=lambda w: {"job_id": w.import_job.pk},
    ),
    Row(
        "trainees:import_confirm",
        only(OFFICERS, 404),
        method="POST",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000001"},
    ),
    Row("trainees:application_list", only(OFFICERS), params=("round", "page")),
    Row("trainees:round_list", only(OFFICERS)),
    Row("trainees:round_detail", DISTRICT, kwargs=_round, params=("type",)),
    Row(
        "trainees:round_adjust",
        DISTRICT | {OFFICER: 302, GACC: 302},
        method="POST",
        kwargs=_round,
        data={"application": "1", "action": "remove", "reason": "x", "type": "compliance"},
        form=AdjustmentForm,
    ),
    Row("trainees:round_close", DISTRICT | {OFFICER: 302, GACC: 302}, method="POST", kwargs=_round),
    Row("trainees:round_publish", DISTRICT | {OFFICER: 302, GACC: 302}, method="POST", kwargs=_round, params=("type",)),
    Row("trainees:round_export", DISTRICT, kwargs=_round, params=("type",)),
    Row("trainees:enterprise_detail", DISTRICT, kwargs=_enterprise),
    Row(
        "trainees:enterprise_transition",
        DISTRICT | {OFFICER: 400, GACC: 400},
        method="POST",
        kwargs=_enterprise,
        data={"action": "complete"},
        form=TransitionForm,
    ),
    Row(
        "trainees:enterprise_key",
        DISTRICT | {OFFICER: 302, GACC: 302},
        method="POST",
        kwargs=_enterprise,
        data={"is_key": "on", "reason": "重点企业"},
        form=KeyEnterpriseForm,
    ),
    # JSON API (anonymous: 401)
    Row("api:my_outcomes", only(ENTERPRISE), api=True),
    Row("api:enterprise_list", only(OFFICERS), api=True, params=("status", "q", "limit", "offset")),
    Row(
        "api:enterprise_get",
        only((OFFICER, GACC, STAFF, ADMIN), 200, others=404),
        api=True,
        kwargs=lambda w: {"enterprise_id": w.enterprise.pk},
    ),
    Row(
        "api:enterprise_transition",
        DISTRICT | {OFFICER: 400, GACC: 400},
        method="POST",
        api=True,
        kwargs=lambda w: {"enterprise_id": w.enterprise.pk},
        data={"action": "complete"},
    ),
    Row("api:application_list", only(OFFICERS), api=True, params=("round_id", "limit", "offset")),
    Row(
        "api:round_key_list",
        DISTRICT,
        api=True,
        kwargs=lambda w: {"round_id": w.round.pk},
        params=("training_type", "limit", "offset"),
    ),
]

# Back office: district-scoped snippets (trainees.access.ScopedViewSetMixin); reference data
# (credit levels, business types, policies) is national and read by every back-office user.
SCOPED = only((OFFICER, GACC), 200) | {OTHER_OFFICER: 404, TRAINER: 404}
RULES = [
    Rule(
        r"^admin/snippets/(choose/)?trainees/enterprise/",
        SCOPED,
        lambda w: f"/admin/snippets/trainees/enterprise/edit/{w.enterprise.pk}/",
    ),
    Rule(
        r"^admin/snippets/(choose/)?trainees/selectionround/",
        SCOPED,
        lambda w: f"/admin/snippets/trainees/selectionround/edit/{w.round.pk}/",
    ),
    Rule(
        r"^admin/snippets/(choose/)?trainees/customsunit/",
        only(OFFICERS, 200) | {TRAINER: 302},
        "/admin/snippets/trainees/customsunit/",
    ),
    Rule(
        r"^admin/snippets/(choose/)?trainees/(creditlevel|businesstype|selectionpolicy)/",
        only(OFFICERS, 200) | {TRAINER: 302},
        "/admin/snippets/trainees/creditlevel/",
    ),
]
