"""Use cases: applications, selection rounds and publishing, lifecycle, invitations, time rules."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from trainees import services
from trainees.models import (
    CreditLevel,
    CultivationEvent,
    CultivationStatus,
    Enterprise,
    KeyListAdjustment,
    KeyListEntry,
    Position,
    SelectionRound,
    TrainingApplication,
    TrainingType,
)
from trainees.selectors import key_list_trainees, round_result
from trainees.services import NomineeData
from trainees.signals import cultivation_status_changed

from .factories import (
    ApplicationFactory,
    NomineeFactory,
    SelectionRoundFactory,
    add_capacity,
    enterprise_in,
    officer,
    staff_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    r = SelectionRoundFactory()
    add_capacity(r, seats=2)
    return r


@pytest.fixture
def signals():
    received = []

    def receiver(sender, signal, **kwargs):
        received.append(kwargs)

    cultivation_status_changed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    cultivation_status_changed.disconnect(dispatch_uid="test-receiver")


def submit(enterprise, round_, **kw):
    args = {
        "enterprise_id": enterprise.id,
        "round_id": round_.id,
        "training_type": TrainingType.COMPLIANCE,
        "willingness": "strong",
        "planned_aeo_application_date": date(2027, 6, 1),
        "nominees": [NomineeData(name="张三", position=Position.LEGAL_REPRESENTATIVE)],
        "preferred_bases": ["shenzhen", "guangzhou"],
        "actor": None,
    }
    args.update(kw)
    return services.application_submit(**args)


# --- applications ----------------------------------------------------------------------------


def test_an_application_moves_the_enterprise_to_applied_and_is_audited(round_, signals):
    enterprise = enterprise_in("5301")
    application = submit(enterprise, round_)
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == CultivationStatus.APPLIED
    assert application.nominees.get().position == Position.LEGAL_REPRESENTATIVE
    event = CultivationEvent.objects.get(enterprise=enterprise)
    assert (event.from_status, event.to_status, event.action) == ("none", "applied", "apply")
    assert signals == [
        {
            "enterprise_id": enterprise.id,
            "old_status": "none",
            "new_status": "applied",
            "actor_id": None,
            "reason": str(round_),
        }
    ]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda e: setattr(e, "cultivation_status", "suspended"), "suspended"),
        (lambda e: setattr(e, "cultivation_status", "terminated"), "terminated"),
        (lambda e: setattr(e, "credit_level", CreditLevel.objects.get(code="discredited")), "discredited"),
        (lambda e: setattr(e, "credit_level", CreditLevel.objects.get(code="d251_discredited")), "discredited"),
        (lambda e: setattr(e, "application_bar_until", timezone.localdate() + timedelta(days=30)), "barred"),
    ],
)
def test_applications_are_refused_with_a_clear_message_and_nothing_changes(round_, setup, code):
    enterprise = enterprise_in("5301")
    setup(enterprise)
    enterprise.save()
    before = enterprise.cultivation_status
    with pytest.raises(ValidationError) as exc:
        submit(enterprise, round_)
    assert exc.value.code == code
    assert not TrainingApplication.objects.exists()
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == before
    assert not CultivationEvent.objects.exists()


def test_a_duplicate_application_is_refused(round_):
    enterprise = enterprise_in("5301")
    submit(enterprise, round_)
    with pytest.raises(ValidationError) as exc:
        submit(enterprise, round_)
    assert exc.value.code == "duplicate"
    assert TrainingApplication.objects.count() == 1
    # the other training type is a separate application
    submit(enterprise, round_, training_type=TrainingType.AEO_CERTIFICATION)
    assert TrainingApplication.objects.count() == 2


def test_applications_need_an_open_round_of_the_enterprise_district(round_):
    with pytest.raises(ValidationError) as exc:
        submit(enterprise_in("2301"), round_)
    assert exc.value.code == "district"
    round_.status = SelectionRound.Status.CLOSED
    round_.save()
    with pytest.raises(ValidationError) as exc:
        submit(enterprise_in("5301"), round_)
    assert exc.value.code == "round_closed"


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"nominees": []}, "nominees"),
        ({"preferred_bases": ["beijing"]}, "bases"),
        ({"preferred_bases": ["suzhou", "suzhou"]}, "bases"),
        ({"training_type": "other"}, "training_type"),
        ({"nominees": [NomineeData(name="李四", position="boss")]}, "position"),
    ],
)
def test_bad_application_input_is_refused(round_, kw, code):
    with pytest.raises(ValidationError) as exc:
        submit(enterprise_in("5301"), round_, **kw)
    assert exc.value.code == code


def test_only_own_staff_can_be_nominated_by_account(round_):
    enterprise = enterprise_in("5301")
    outsider = staff_of(enterprise_in("5301"))
    with pytest.raises(ValidationError):
        submit(enterprise, round_, nominees=[NomineeData(name="x", position="it", user_id=outsider.id)])
    colleague = staff_of(enterprise)
    app = submit(enterprise, round_, nominees=[NomineeData(name="x", position="it", user_id=colleague.id)])
    assert app.nominees.get().user == colleague


# --- selection round -------------------------------------------------------------------------


def _applications(round_, n):
    apps = []
    for i in range(n):
        e = enterprise_in("5301", credit_score=60 + i, cultivation_status=CultivationStatus.APPLIED)
        a = ApplicationFactory(round=round_, enterprise=e, preferred_bases=["shenzhen"])
        NomineeFactory(application=a, position=Position.SENIOR_MANAGEMENT)
        apps.append(a)
    return apps


def test_publishing_writes_the_list_moves_enterprises_and_signals(round_, signals):
    apps = _applications(round_, 4)  # shenzhen has 2 seats: the two best scores are listed
    actor = officer("5300")
    services.round_publish(round_id=round_.id, actor=actor)
    round_.refresh_from_db()
    assert round_.status == SelectionRound.Status.PUBLISHED and round_.published_by == actor
    listed = key_list_trainees(training_type=TrainingType.COMPLIANCE)
    assert [t.enterprise_id for t in listed] == [apps[3].enterprise_id, apps[2].enterprise_id]
    assert [t.priority for t in listed] == [1, 2]
    assert listed[0].base_preferences == ("shenzhen",) and listed[0].position == Position.SENIOR_MANAGEMENT
    statuses = dict(Enterprise.objects.values_list("id", "cultivation_status"))
    assert statuses[apps[3].enterprise_id] == "listed"
    assert statuses[apps[0].enterprise_id] == "not_selected"
    assert {(s["new_status"], s["actor_id"]) for s in signals} == {("listed", actor.id), ("not_selected", actor.id)}
    assert CultivationEvent.objects.filter(action="select").count() == 2
    decision = apps[0].__class__.objects.get(pk=apps[0].pk).decision
    assert decision.outcome == "not_selected" and decision.rank == 4 and decision.policy_version == 1
    assert ["capacity_reached", {}, False] in decision.reasons
    with pytest.raises(ValidationError):
        services.round_publish(round_id=round_.id, actor=actor)
    assert KeyListEntry.objects.count() == 2


def test_publishing_needs_capacities():
    r = SelectionRoundFactory()
    with pytest.raises(ValidationError):
        services.round_publish(round_id=r.id, actor=None)


def test_manual_adjustment_is_audited_and_changes_the_result(round_):
    apps = _applications(round_, 3)
    actor = officer("5300")
    services.key_list_adjust(
        round_id=round_.id, application_id=apps[0].id, action="include", reason="pilot", actor=actor
    )
    services.key_list_adjust(
        round_id=round_.id, application_id=apps[2].id, action="exclude", reason="audit pending", actor=actor
    )
    result = round_result(round_)
    assert result.decision_for(apps[0].id).outcome == "listed"
    assert result.decision_for(apps[2].id).outcome == "excluded"
    assert KeyListAdjustment.objects.filter(actor=actor).count() == 2
    services.key_list_adjust(
        round_id=round_.id, application_id=apps[2].id, action="clear", reason="audit closed", actor=actor
    )
    assert round_result(round_).decision_for(apps[2].id).outcome == "listed"
    with pytest.raises(ValidationError) as exc:
        services.key_list_adjust(
            round_id=round_.id, application_id=apps[1].id, action="include", reason="  ", actor=actor
        )
    assert exc.value.code == "reason"


def test_ineligible_applications_cannot_be_put_on_the_list_by_hand(round_):
    (app,) = _applications(round_, 1)
    Enterprise.objects.filter(pk=app.enterprise_id).update(cultivation_status="suspended")
    with pytest.raises(ValidationError) as exc:
        services.key_list_adjust(round_id=round_.id, application_id=app.id, action="include", reason="x", actor=None)
    assert exc.value.code == "ineligible"


def test_no_adjustment_after_publishing(round_):
    (app,) = _applications(round_, 1)
    services.round_publish(round_id=round_.id, actor=None)
    with pytest.raises(ValidationError):
        services.key_list_adjust(round_id=round_.id, application_id=app.id, action="exclude", reason="x", actor=None)


# --- lifecycle -------------------------------------------------------------------------------


def test_suspension_is_audited_signalled_and_resumes_to_the_previous_state(signals):
    enterprise = enterprise_in("5301", cultivation_status=CultivationStatus.IN_TRAINING)
    actor = officer("5300")
    services.cultivation_suspend(
        enterprise_id=enterprise.id,
        actor=actor,
        ground="being_audited",
        reason="audit 2027-01",
        evidence_reference="审计通知 12",
    )
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == "suspended" and enterprise.cultivation_blocked
    assert signals[-1] == {
        "enterprise_id": enterprise.id,
        "old_status": "in_training",
        "new_status": "suspended",
        "actor_id": actor.id,
        "reason": "audit 2027-01",
    }
    event = CultivationEvent.objects.get(action="suspend")
    assert (event.actor, event.ground, event.evidence_reference) == (actor, "being_audited", "审计通知 12")
    services.cultivation_resume(enterprise_id=enterprise.id, actor=actor, reason="audit closed without finding")
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == "in_training" and not enterprise.cultivation_blocked


def test_the_signal_fires_inside_the_transaction_after_the_write():
    enterprise = enterprise_in("5301", cultivation_status=CultivationStatus.LISTED)
    seen = []

    def receiver(sender, enterprise_id, **kwargs):
        seen.append(Enterprise.objects.get(pk=enterprise_id).cultivation_status)

    cultivation_status_changed.connect(receiver, dispatch_uid="inside")
    try:
        services.cultivation_suspend(enterprise_id=enterprise.id, actor=None, ground="other", reason="x")
    finally:
        cultivation_status_changed.disconnect(dispatch_uid="inside")
    assert seen == ["suspended"]


def test_a_failing_receiver_rolls_the_transition_back():
    enterprise = enterprise_in("5301", cultivation_status=CultivationStatus.LISTED)

    def receiver(sender, **kwargs):
        raise RuntimeError("booking release failed")

    cultivation_status_changed.connect(receiver, dispatch_uid="failing")
    try:
        with pytest.raises(RuntimeError):
            services.cultivation_suspend(enterprise_id=enterprise.id, actor=None, ground="other", reason="x")
    finally:
        cultivation_status_changed.disconnect(dispatch_uid="failing")
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == "listed"
    assert not CultivationEvent.objects.exists()


@pytest.mark.parametrize(
    ("status", "action", "kw"),
    [
        ("terminated", "resume", {"reason": "x"}),
        ("listed", "resume", {"reason": "x"}),
        ("none", "suspend", {"reason": "x", "ground": "other"}),
        ("listed", "suspend", {"reason": "x", "ground": "not-a-ground"}),
        ("listed", "suspend", {"reason": "", "ground": "other"}),
        ("listed", "terminate", {"reason": "x", "ground": "being_audited"}),
        ("applied", "complete", {}),
    ],
)
def test_forbidden_transitions_are_refused_and_change_nothing(status, action, kw):
    enterprise = enterprise_in("5301", cultivation_status=status)
    with pytest.raises(ValidationError):
        services.cultivation_transition(enterprise_id=enterprise.id, action=action, actor=None, **kw)
    enterprise.refresh_from_db()
    assert enterprise.cultivation_status == status
    assert not CultivationEvent.objects.exists()


def test_termination_removes_the_enterprise_from_the_key_list(round_):
    apps = _applications(round_, 2)
    services.round_publish(round_id=round_.id, actor=None)
    assert len(key_list_trainees(training_type="compliance")) == 2
    services.cultivation_terminate(
        enterprise_id=apps[1].enterprise_id, actor=None, ground="suspected_crime", reason="case 2027-7"
    )
    remaining = key_list_trainees(training_type="compliance")
    assert [t.enterprise_id for t in remaining] == [apps[0].enterprise_id]
    assert KeyListEntry.objects.get(enterprise_id=apps[1].enterprise_id).removal_reason == "case 2027-7"


def test_time_rule_terminates_audits_without_conclusion_past_the_limit(round_):
    now = timezone.now()
    overdue = enterprise_in("5301", cultivation_status="listed")
    recent = enterprise_in("5301", cultivation_status="listed")
    case = enterprise_in("5301", cultivation_status="listed")
    services.cultivation_transition(
        enterprise_id=overdue.id,
        action="suspend",
        ground="being_audited",
        reason="a",
        actor=None,
        now=now - timedelta(days=100),
    )
    services.cultivation_transition(
        enterprise_id=recent.id,
        action="suspend",
        ground="being_audited",
        reason="a",
        actor=None,
        now=now - timedelta(days=20),
    )
    services.cultivation_transition(
        enterprise_id=case.id,
        action="suspend",
        ground="simple_case",
        reason="a",
        actor=None,
        now=now - timedelta(days=400),
    )
    assert services.cultivation_apply_time_rules(now=now) == [overdue.id]
    assert Enterprise.objects.get(pk=overdue.pk).cultivation_status == "terminated"
    assert CultivationEvent.objects.get(enterprise=overdue, action="terminate").ground == "no_audit_conclusion"
    assert Enterprise.objects.get(pk=recent.pk).cultivation_status == "suspended"
    # the policy limit is configurable (1-3 months)
    round_.policy.audit_conclusion_limit_months = 1
    round_.policy.save()
    assert services.cultivation_apply_time_rules(now=now) == []
    assert services.cultivation_apply_time_rules(now=now + timedelta(days=15)) == [recent.id]
    # idempotent
    assert services.cultivation_apply_time_rules(now=now + timedelta(days=15)) == []


def test_celery_task_runs_the_time_rules():
    from trainees.tasks import cultivation_time_rules

    e = enterprise_in("5301", cultivation_status="listed")
    services.cultivation_transition(
        enterprise_id=e.id,
        action="suspend",
        ground="being_audited",
        reason="a",
        actor=None,
        now=timezone.now() - timedelta(days=200),
    )
    assert cultivation_time_rules.delay().get() == [e.id]


def test_key_enterprise_flag_records_who_and_why():
    enterprise = enterprise_in("5301")
    actor = officer("5300")
    with pytest.raises(ValidationError):
        services.enterprise_set_key(enterprise_id=enterprise.id, actor=actor, is_key=True, reason="")
    services.enterprise_set_key(enterprise_id=enterprise.id, actor=actor, is_key=True, reason="前海重点企业")
    enterprise.refresh_from_db()
    assert enterprise.is_key_enterprise and enterprise.key_enterprise_set_by == actor
    assert enterprise.key_enterprise_reason == "前海重点企业"


# --- invitations -----------------------------------------------------------------------------


def test_invitation_flow(django_capture_on_commit_callbacks):
    enterprise = enterprise_in("5301")
    admin = staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_send(
            enterprise_id=enterprise.id,
            email="New.Person@example.com",
            position=Position.FINANCE,
            actor=admin,
            accept_url="https://lms.example/enterprises/invitations/{token}/",
        )
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert invitation.token_hash != token
    from tests.factories import UserFactory

    wrong = UserFactory(email="someone@example.com")
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=token, user=wrong)
    assert exc.value.code == "email"
    from .factories import ApplicationFactory, NomineeFactory

    nominated = NomineeFactory(
        application=ApplicationFactory(enterprise=enterprise), user=None, email="new.person@EXAMPLE.com"
    )
    elsewhere = NomineeFactory(user=None, email="new.person@example.com")  # another enterprise's nominee
    person = UserFactory(email="new.person@example.com")
    assert services.invitation_accept(token=token, user=person) == enterprise
    person.refresh_from_db()
    nominated.refresh_from_db()
    elsewhere.refresh_from_db()
    assert nominated.user == person and elsewhere.user is None
    assert person.enterprise == enterprise and person.position == Position.FINANCE
    assert "Enterprise staff" in set(person.groups.values_list("name", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=token, user=person)
    assert exc.value.code == "used"


def test_only_the_enterprise_administrator_invites():
    from django.core.exceptions import PermissionDenied

    enterprise = enterprise_in("5301")
    clerk = staff_of(enterprise, position=Position.IT)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            enterprise_id=enterprise.id, email="a@b.c", position="it", actor=clerk, accept_url="{token}"
        )
    clerk.is_enterprise_admin = True
    clerk.save()
    services.invitation_send(
        enterprise_id=enterprise.id, email="a@b.c", position="it", actor=clerk, accept_url="{token}"
    )


def test_expired_invitation():
    enterprise = enterprise_in("5301")
    admin = staff_of(enterprise, position=Position.LEGAL_REPRESENTATIVE)
    invitation, token = services.invitation_send(
        enterprise_id=enterprise.id, email="late@example.com", position="it", actor=admin, accept_url="{token}"
    )
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    from tests.factories import UserFactory

    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=token, user=UserFactory(email="late@example.com"))
    assert exc.value.code == "expired"
