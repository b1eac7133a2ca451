"""Demo consultations (run by `seed_demo` after the trainees, readiness and courses demo data):
coordinators in Shenzhen and Nanjing (the GACC demo officer coordinates too), two open questions —
one of them past its answer time — and one answered, rated and published, anonymised, in the FAQ,
linked from the internal-control criteria area. Dates are relative to today; idempotent."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from trainees.models import CustomsUnit, User
from trainees.roles import Role

from . import services
from .models import Consultation, DistrictConsultationSetting

COORDINATORS = [
    # e-mail, family name, given name, customs unit, also a customs officer
    ("coordinator.shenzhen@demo.aeo", "林", "协调员", "5300", True),
    ("coordinator.nanjing@demo.aeo", "吴", "协调员", "2300", True),
]
PUBLISHED_SUBJECT = "关企联系合作机制需要准备哪些材料？"


def _coordinator(email, last, first, code, officer) -> User:
    from trainees.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(email=email, defaults={"last_name": last, "first_name": first})
    user.customs_unit = CustomsUnit.objects.get(code=code)
    if created:
        user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    if officer:
        user.groups.add(Group.objects.get(name=Role.CUSTOMS_OFFICER.value))
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed(log) -> None:
    from readiness.models import CriteriaArea

    coordinators = {code: _coordinator(*row) for row in COORDINATORS for code in [row[3]]}
    gacc = User.objects.filter(email="officer@demo.aeo").first()
    if gacc is not None:
        gacc.groups.add(Group.objects.get(name=Role.COORDINATOR.value))
    DistrictConsultationSetting.objects.get_or_create(
        customs_unit=CustomsUnit.objects.get(code="5300"), defaults={"answer_target_hours": 24}
    )
    shenzhen = User.objects.filter(email="manager@demo.aeo").select_related("enterprise__customs_unit").first()
    suzhou = User.objects.filter(email="compliance@demo.aeo").select_related("enterprise__customs_unit").first()
    if shenzhen is None or suzhou is None:
        return
    now = timezone.now()
    area = CriteriaArea.objects.filter(edition__code="2026-advanced", key="internal_control").first()

    if not Consultation.objects.filter(subject=PUBLISHED_SUBJECT).exists():
        asked = now - dt.timedelta(days=12)
        consultation = services.consultation_ask(
            user=shenzhen,
            district=shenzhen.enterprise.customs_unit,
            topic=Consultation.Topic.CRITERIA_AREA if area else Consultation.Topic.PROCEDURE,
            criteria_area=area,
            subject=PUBLISHED_SUBJECT,
            body=(
                "我们是深圳海川电子科技有限公司，准备申请高级认证。内部控制标准中的“关企联系合作机制”"
                f"需要准备哪些材料？联系人{shenzhen.get_full_name()}，电话 13800138000。"
            ),
            now=asked,
        )
        services.consultation_reply(
            consultation_id=consultation.pk,
            user=coordinators["5300"],
            body=(
                "您好！请指定负责关务的高级管理人员作为海关联络员，建立并书面记录与海关的联系合作制度，"
                "包括联络员职责、信息报告和异常情况主动报告的流程，并保存近一年的执行记录。"
            ),
            now=asked + dt.timedelta(hours=5),
        )
        services.consultation_rate(consultation_id=consultation.pk, user=shenzhen, rating=5, comment="很清楚，谢谢！")
        services.consultation_close(consultation_id=consultation.pk, user=coordinators["5300"])
        draft = services.publish_draft(consultation=Consultation.objects.get(pk=consultation.pk))
        services.consultation_publish(
            consultation_id=consultation.pk,
            user=coordinators["5300"],
            title=PUBLISHED_SUBJECT,
            question=draft["question"],
            answer=draft["answer"],
            criteria_areas=[area] if area else [],
        )

    services.faq_translations_sync()  # entries published before the English FAQ existed

    open_questions = [
        (shenzhen, "高级认证企业可以享受哪些通关便利？", Consultation.Topic.FACILITATION, now - dt.timedelta(hours=3)),
        (suzhou, "认证申请提交后多久会安排实地验证？", Consultation.Topic.PROCEDURE, now - dt.timedelta(days=3)),
    ]
    for person, subject, topic, asked in open_questions:
        if not Consultation.objects.filter(subject=subject).exists():
            services.consultation_ask(
                user=person,
                district=person.enterprise.customs_unit,
                topic=topic,
                subject=subject,
                body=f"{subject}请协调员指导，谢谢。",
                now=asked,
            )
    log(
        f"Consultations: {Consultation.objects.count()} ({Consultation.objects.filter(status='open').count()} open); "
        "coordinators: " + ", ".join(row[0] for row in COORDINATORS)
    )
