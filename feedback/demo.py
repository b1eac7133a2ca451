"""Demo data of the feedback app: the expert roster (the demo trainers), a training session
held last month, and the outcome of cultivation of two enterprises on the published key list —
one certified, one failed with its 1-year bar — so the appraisal dashboards of GACC and of the
districts show a funnel from application to certification. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from trainees import services as trainee_services
from trainees.models import CultivationEvent, CultivationStatus, CustomsUnit, Enterprise, TrainingApplication, User

from . import services
from .models import CertificationOutcome, Expert

DEMO_STAFF_ENTERPRISES = ("苏州恒信精密机械有限公司", "深圳海川电子科技有限公司", "广州南沙优品食品进出口有限公司")
PAST_SESSION_TITLE = "AEO认证标准解读集中培训（深圳，已结业）"


def _experts(log) -> None:
    from django.apps import apps

    CriteriaArea = apps.get_model("readiness", "CriteriaArea")
    areas = {a.key: a for a in CriteriaArea.objects.filter(edition__code="2026-advanced")}
    units = {u.code: u for u in CustomsUnit.objects.filter(code__in=("0000", "2300", "5300"))}
    for email, level, code, keys, profile in (
        (
            "lead.trainer@demo.aeo",
            Expert.Level.NATIONAL,
            "0000",
            ("internal_control", "trade_security"),
            "海关总署AEO专家组成员，长期从事高级认证企业标准培训。",
        ),
        (
            "trainer@demo.aeo",
            Expert.Level.REGIONAL,
            "2300",
            ("financial_status", "compliance"),
            "南京海关企业信用管理培训师，擅长财务状况与守法规范标准。",
        ),
    ):
        user = User.objects.filter(email=email).first()
        if user is None or code not in units:
            continue
        expert, created = Expert.objects.get_or_create(
            user=user,
            defaults={
                "level": level,
                "customs_unit": units[code],
                "profile": profile,
                "appointed_on": timezone.localdate() - dt.timedelta(days=400),
            },
        )
        if created:
            expert.specialties.set([areas[k] for k in keys if k in areas])
    log(f"Expert roster: {Expert.objects.count()} experts.")


def _past_session(log) -> None:
    """A two-day session held at the Shenzhen base last month, taught by the demo trainers."""
    from training_bases import services as training_services
    from training_bases.models import Room, TrainingBase, TrainingSession

    if TrainingSession.objects.filter(title_zh=PAST_SESSION_TITLE).exists():
        return
    base = TrainingBase.objects.filter(slug="shenzhen").first()
    room = Room.objects.filter(base=base).order_by("-capacity", "pk").first()
    trainers = list(
        User.objects.filter(email__in=("trainer@demo.aeo", "lead.trainer@demo.aeo")).values_list("pk", flat=True)
    )
    if base is None or room is None:
        return
    start = dt.datetime.combine(
        timezone.localdate() - dt.timedelta(days=40), dt.time(9, 0), tzinfo=timezone.get_current_timezone()
    )
    session = TrainingSession(
        title_zh=PAST_SESSION_TITLE,
        title_en="AEO criteria in depth (Shenzhen, finished)",
        training_type="aeo_certification",
        base=base,
        room=room,
        starts_at=start,
        ends_at=start + dt.timedelta(days=1, hours=8),
        capacity=min(30, room.capacity),
        status=TrainingSession.Status.COMPLETED,
    )
    training_services.session_save(session=session, trainer_ids=trainers)
    log(f"  A finished session: {PAST_SESSION_TITLE} (16 training hours).")


def _backdate(enterprise: Enterprise, *, days: int) -> None:
    """Demo shortcut: the enterprise applied and was listed `days` ago (the demo rounds are
    created today), so the dashboard's days between stages read like a real cultivation."""
    when = timezone.now() - dt.timedelta(days=days)
    TrainingApplication.objects.filter(enterprise=enterprise).update(submitted_at=when)
    CultivationEvent.objects.filter(enterprise=enterprise, to_status=CultivationStatus.APPLIED).update(occurred_at=when)
    CultivationEvent.objects.filter(enterprise=enterprise, to_status=CultivationStatus.LISTED).update(
        occurred_at=when + dt.timedelta(days=12)
    )


def _cultivate(enterprise: Enterprise, officer: User, *, passed: bool, log) -> None:
    """Listed → in training → completed → applied for AEO → certified or failed, through the
    services (audited), at dates spread over the last three months."""
    now = timezone.now()
    _backdate(enterprise, days=95)
    for action, days in (("start_training", 70), ("complete", 45)):
        trainee_services.cultivation_transition(
            enterprise_id=enterprise.pk,
            action=action,
            actor=officer,
            reason="演示：集中培训" if action == "start_training" else "演示：完成培训与考试",
            now=now - dt.timedelta(days=days),
        )
    outcome = services.outcome_application_record(
        enterprise_id=enterprise.pk, applied_on=timezone.localdate() - dt.timedelta(days=30), actor=officer
    )
    CultivationEvent.objects.filter(enterprise=enterprise, action="apply_for_aeo").update(
        occurred_at=now - dt.timedelta(days=30)
    )
    services.outcome_result_record(
        outcome_id=outcome.pk,
        passed=passed,
        credit_level_code="advanced_certified" if passed else "",
        decided_on=timezone.localdate() - dt.timedelta(days=3),
        actor=officer,
    )
    CultivationEvent.objects.filter(enterprise=enterprise, action="certify" if passed else "fail_certification").update(
        occurred_at=now - dt.timedelta(days=3)
    )
    log(f"  {enterprise.name_zh}: {'certified' if passed else 'failed AEO certification, barred for a year'}.")


def _outcomes(log) -> None:
    if CertificationOutcome.objects.exists():
        return
    officer = User.objects.filter(email="officer@demo.aeo").first()
    listed = list(
        Enterprise.objects.filter(cultivation_status=CultivationStatus.LISTED)
        .exclude(name_zh__in=DEMO_STAFF_ENTERPRISES)
        .select_related("customs_unit")
        .order_by("customs_unit__code", "name_zh")
    )
    if officer is None or len(listed) < 2:
        log("  No outcomes: fewer than two enterprises on the published key list.")
        return
    # One in the Shenzhen district (its officers see it on their dashboard), one elsewhere.
    shenzhen = [e for e in listed if e.customs_unit.code.startswith("53")]
    certified = shenzhen[0] if shenzhen else listed[0]
    failed = next(e for e in listed if e.pk != certified.pk)
    _cultivate(certified, officer, passed=True, log=log)
    _cultivate(failed, officer, passed=False, log=log)


def seed(log) -> None:
    _experts(log)
    _past_session(log)
    _outcomes(log)
