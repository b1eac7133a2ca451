"""Self-assessments whose verdicts differ for stated reasons: Suzhou Hengxin (a manufacturer)
under the 2026 advanced criteria passes; Shenzhen Haichuan under the 2022 criteria does not (an
asset-liability ratio above 95 % in one year and four "basically meets"). Both with evidence and
five years of figures. Idempotent."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trainees.models import Enterprise, User

from . import services
from .models import AssessmentVersion, CriteriaEdition, FinancialYear, Judgement

DEMO_PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _figures(enterprise, latest: int, *, liabilities_by_year: dict[int, int] | None = None) -> None:
    for offset in range(5):
        year = latest - offset
        FinancialYear.objects.update_or_create(
            enterprise=enterprise,
            year=year,
            defaults={
                "total_assets": Decimal(12000 + 500 * offset),
                "total_liabilities": Decimal((liabilities_by_year or {}).get(year, 6000 + 200 * offset)),
                "cash": Decimal(1500),
                "current_assets": Decimal(6500),
                "current_liabilities": Decimal(4200),
                "operating_cash_flow": Decimal(900),
                "revenue": Decimal(30000),
                "operating_profit": Decimal(1200),
                "net_profit": Decimal(950),
                "gross_profit": Decimal(5400),
                "audit_opinion": FinancialYear.AuditOpinion.UNQUALIFIED,
            },
        )


def _assess(user, edition_code: str, *, basic: list[str], evidence_for: list[str]) -> AssessmentVersion | None:
    edition = CriteriaEdition.objects.get(code=edition_code)
    assessment = services.assessment_start(enterprise=user.enterprise, edition=edition, user=user)
    if assessment.versions.exists():
        return None
    Judgement.objects.filter(assessment=assessment).update(value=Judgement.Value.MEETS, updated_by=user)
    Judgement.objects.filter(assessment=assessment, criterion__code__in=basic).update(
        value=Judgement.Value.BASIC, notes="整改中：制度已起草，待发布。"
    )
    bonus = Judgement.objects.filter(assessment=assessment, criterion__is_bonus=True)
    bonus.filter(criterion__code__in=["(69)", "(70)", "(71)", "(72)"]).update(
        value=Judgement.Value.NOT_APPLICABLE, reason="未获得相关称号或资质。"
    )
    for judgement in Judgement.objects.filter(assessment=assessment, criterion__code__in=evidence_for).select_related(
        "criterion", "assessment"
    ):
        upload = SimpleUploadedFile(f"{judgement.criterion.code.strip('()')}-制度文件.pdf", DEMO_PDF, "application/pdf")
        services.evidence_add(judgement=judgement, upload=upload, user=user)
    return services.assessment_submit(assessment=assessment, user=user, today=timezone.localdate())


def seed(log) -> None:
    legal = User.objects.filter(email="legal@demo.aeo").first()
    manager = User.objects.filter(email="manager@demo.aeo").first()
    if legal is None or manager is None:
        return
    latest = timezone.localdate().year - 1
    hengxin: Enterprise = legal.enterprise
    haichuan: Enterprise = manager.enterprise
    services.financials_save(enterprise=hengxin, years=[], is_manufacturer=True, user=legal)
    _figures(hengxin, latest)
    _figures(haichuan, latest, liabilities_by_year={latest - 2: 12500})  # 96.2 % of 13,000
    passed = _assess(legal, "2026-advanced", basic=["(5)", "(30)"], evidence_for=["(1)", "(2)", "(5)"])
    failed = _assess(
        manager, "2022-advanced", basic=["(3)", "(10)", "(33)", "(45)"], evidence_for=["(1)", "(3)", "(31)"]
    )
    for version in (passed, failed):
        if version is not None:
            log(
                f"Self-assessment {version.assessment.enterprise.name_zh} · {version.assessment.edition.code}: "
                f"{version.outcome} ({version.score}) {'; '.join(version.blocking)}"
            )
    seed_readiness(log)


def _complete_course(user, slug: str) -> None:
    """Demo shortcut: the person finished the course (enrolled through the courses service, the
    completion date set as the course's own progress tracking would)."""
    from courses import services as course_services
    from courses.models import CoursePage, Enrolment

    course = CoursePage.objects.filter(slug=slug, locale__language_code="zh-hans").first()
    if course is None:
        return
    enrolment, _ = course_services.enrolment_create(user=user, course=course)
    if enrolment.completed_at is None:
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())


# 广州南沙's people (accounts with the demo password): everything of a ready enterprise is theirs.
NANSHA = "广州南沙优品食品进出口有限公司"
NANSHA_PEOPLE = (
    ("nansha.legal@demo.aeo", "黄", "南沙", "legal_representative"),
    ("nansha.manager@demo.aeo", "林", "优品", "senior_management"),
    ("nansha.finance@demo.aeo", "何", "财务", "finance"),
)


def _nansha_people(enterprise) -> list:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from trainees.demo import DEMO_PASSWORD
    from trainees.roles import Role

    people = []
    for email, last, first, position in NANSHA_PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"last_name": last, "first_name": first, "enterprise": enterprise, "position": position},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=Role.ENTERPRISE_STAFF.value))
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        people.append(user)
    User.objects.filter(email=NANSHA_PEOPLE[0][0]).update(is_enterprise_admin=True)
    return people


def _attended_live(user) -> None:
    """Demo shortcut: the person watched last week's live validation observation live (the record
    the server's watch-time measurement leaves, as the live demo's own trainee)."""
    from live.models import LiveSession, Registration

    session = LiveSession.objects.filter(title="认证现场验证直播观摩（回放）").first()
    if session is None:
        return
    registration, _created = Registration.objects.get_or_create(
        session=session, user=user, defaults={"enterprise": user.enterprise}
    )
    if registration.attended_at is None:
        Registration.objects.filter(pk=registration.pk).update(
            attended_at=session.starts_at + datetime.timedelta(minutes=50), attended_seconds=3000
        )


def _passed_exam(user) -> None:
    """Demo shortcut: the person passed last month's sitting of the enterprise-staff AEO exam,
    results released (the graded attempt a sitting leaves)."""
    from exams.models import Attempt, Exam

    current = Exam.objects.filter(title_zh="AEO 认证培训结业考试").first()
    if current is None:
        return
    month_ago = timezone.now() - datetime.timedelta(days=30)
    exam, _created = Exam.objects.get_or_create(
        title_zh="AEO 认证培训结业考试（上期）",
        defaults={
            "title_en": "AEO certification training: final exam (previous sitting)",
            "audience": "enterprise",
            "blueprint": current.blueprint,
            "duration_minutes": current.duration_minutes,
            "pass_mark": current.pass_mark,
            "opens_at": month_ago - datetime.timedelta(days=1),
            "closes_at": month_ago + datetime.timedelta(days=1),
            "results_released_at": month_ago + datetime.timedelta(days=2),
            "online": False,
        },
    )
    Attempt.objects.get_or_create(
        exam=exam,
        user=user,
        number=1,
        defaults={
            "state": Attempt.State.GRADED,
            "started_at": month_ago,
            "deadline": month_ago + datetime.timedelta(minutes=exam.duration_minutes),
            "submitted_at": month_ago + datetime.timedelta(minutes=38),
            "finished_by": Attempt.FinishedBy.CANDIDATE,
            "score": Decimal("86"),
            "max_score": Decimal("100"),
            "passed": True,
        },
    )


def seed_ready(log) -> None:
    """广州南沙 ready: a passing 2026 self-assessment with healthy figures, an AEO certification
    course completed by its legal representative, senior manager and finance manager, a live
    validation observation attended and the exam passed."""
    enterprise = Enterprise.objects.filter(name_zh=NANSHA).first()
    if enterprise is None:
        return
    legal, manager, finance = _nansha_people(enterprise)
    _figures(enterprise, timezone.localdate().year - 1)
    _assess(legal, "2026-advanced", basic=[], evidence_for=["(1)", "(2)"])
    for person in (legal, manager, finance):
        _complete_course(person, "aeo-criteria-2026")
    _attended_live(finance)
    _passed_exam(finance)


def seed_readiness(log) -> None:
    """Readiness reports of the three demo enterprises, one per status, for different reasons:
    苏州恒信 nearly ready (assessment passes; senior management's course, a live observation and
    the exam are missing), 深圳海川 not ready (its 2022 financial check fails: a veto), 广州南沙
    ready (everything holds)."""
    from . import report_services

    legal = User.objects.filter(email="legal@demo.aeo").first()
    compliance = User.objects.filter(email="compliance@demo.aeo").first()
    if legal is None or compliance is None:
        return
    _complete_course(legal, "aeo-criteria-2026")
    _complete_course(compliance, "aeo-criteria-2026")
    seed_ready(log)
    for enterprise in Enterprise.objects.filter(name_zh__in=DEMO_REPORTS).order_by("pk"):
        record = report_services.readiness_recompute(enterprise_id=enterprise.pk, only_if_changed=True)
        if record is not None:
            log(
                f"Readiness {enterprise.name_zh}: {record.status} {record.score} (missing: {', '.join(record.missing)})"
            )


DEMO_REPORTS = ("苏州恒信精密机械有限公司", "深圳海川电子科技有限公司", NANSHA)
