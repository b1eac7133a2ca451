"""Demo question banks (issue 13 point 10): the enterprise bank imported from the GIFT file kept
in `exams/data/`, a smaller validator bank, and a blueprint for each. Idempotent."""

from pathlib import Path

from django.apps import apps

from . import services
from .models import BlueprintCell, ExamBlueprint, QuestionBank

DATA = Path(__file__).parent / "data"
BANKS = [
    ("AEO 认证培训结业考试题库（2026 认证企业）", "demo-enterprise-2026.gift", "enterprise", "2026-certified"),
    ("验证员上机考试题库（2026 高级认证）", "demo-validator-2026.gift", "validator", "2026-advanced"),
]
# (blueprint, bank index, {(area key, band): (count, points)})
BLUEPRINTS = [
    (
        "AEO 认证培训结业考试",
        0,
        {
            ("internal_control", "easy"): (2, 2),
            ("internal_control", "medium"): (2, 2),
            ("internal_control", "hard"): (1, 4),
            ("financial_status", "easy"): (1, 2),
            ("financial_status", "medium"): (1, 2),
            ("compliance", "easy"): (1, 2),
            ("compliance", "medium"): (2, 2),
            ("compliance", "hard"): (1, 4),
            ("trade_security", "easy"): (2, 2),
            ("trade_security", "medium"): (2, 2),
            ("trade_security", "hard"): (1, 4),
        },
    ),
    (
        "验证员上机考试",
        1,
        {
            ("internal_control", "medium"): (1, 5),
            ("financial_status", "easy"): (1, 5),
            ("compliance", "medium"): (1, 5),
            ("trade_security", "easy"): (1, 5),
        },
    ),
]


def seed(log) -> None:
    CriteriaArea = apps.get_model("readiness", "CriteriaArea")
    banks = []
    for name, file_name, audience, edition in BANKS:
        report = services.bank_import(
            bank_name=name, data=(DATA / file_name).read_bytes(), audience=audience, edition_code=edition
        )
        if not report.ok:
            raise RuntimeError("\n".join(report.errors))
        log(f"Question bank {name}: {report.summary()}")
        banks.append(QuestionBank.objects.get(name=name))
    for name, bank_index, cells in BLUEPRINTS:
        bank = banks[bank_index]
        blueprint, _created = ExamBlueprint.objects.get_or_create(name=name, defaults={"bank": bank})
        for (key, band), (count, points) in cells.items():
            area = CriteriaArea.objects.get(edition=bank.criteria_edition, key=key)
            BlueprintCell.objects.update_or_create(
                blueprint=blueprint, criteria_area=area, band=band, defaults={"count": count, "points": points}
            )
    seed_exams(log)


def seed_exams(log) -> None:
    """Demo exams (issue 14): the enterprise exam with a sitting at Shenzhen running now, tickets
    for two staff of the demo enterprise (seats 1 and 2), and an online validator exam."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from training_bases.models import Room, TrainingBase

    from .models import Exam, Ticket
    from .services import sittings

    User = get_user_model()
    now = timezone.now().replace(second=0, microsecond=0)
    enterprise_exam, _created = Exam.objects.get_or_create(
        title_zh="AEO 认证培训结业考试",
        defaults={
            "title_en": "AEO certification training: final exam",
            "audience": "enterprise",
            "blueprint": ExamBlueprint.objects.get(name="AEO 认证培训结业考试"),
            "duration_minutes": 45,
            "pass_mark": 60,
            "attempts_allowed": 2,
            "retake_wait_hours": 24,
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
            "online": False,
        },
    )
    Exam.objects.get_or_create(
        title_zh="验证员上机考试",
        defaults={
            "title_en": "Validator computer exam",
            "audience": "validator",
            "blueprint": ExamBlueprint.objects.get(name="验证员上机考试"),
            "duration_minutes": 30,
            "pass_mark": 60,
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
            "online": True,
        },
    )
    if not enterprise_exam.sittings.exists():
        base = TrainingBase.objects.get(slug="shenzhen")
        room, _created = Room.objects.get_or_create(
            base=base,
            name_zh="机房",
            defaults={"name_en": "Computer room", "kind": Room.Kind.COMPUTER_ROOM, "capacity": 40},
        )
        sitting = sittings.sitting_create(
            exam=enterprise_exam, room=room, starts_at=now - timedelta(minutes=15), ends_at=now + timedelta(hours=6)
        )
        for seat, email in enumerate(["compliance@demo.aeo", "legal@demo.aeo"], start=1):
            user = User.objects.filter(email=email).first()
            if user:
                sittings.ticket_issue(sitting=sitting, user=user, seat_number=seat)
    for ticket in Ticket.objects.filter(sitting__exam=enterprise_exam, revoked_at=None).select_related("user"):
        log(
            f"Exam ticket {ticket.user.email}: seat {ticket.seat_number}, code {ticket.code} (sitting {ticket.sitting_id})"
        )
    seed_interview(log)


def seed_interview(log) -> None:
    """The demo validator candidate's situational interview, scored by the Shenzhen officer and
    the trainer on the standard rubric (recorded once)."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import rules
    from .models import SituationalInterview
    from .services.qualification import interview_record

    User = get_user_model()
    people = {
        u.email: u
        for u in User.objects.filter(
            email__in=["candidate@demo.aeo", "officer.shenzhen@demo.aeo", "trainer@demo.aeo", "officer@demo.aeo"]
        )
    }
    candidate = people.get("candidate@demo.aeo")
    if candidate is None or len(people) < 4 or SituationalInterview.objects.filter(candidate=candidate).exists():
        return
    rubric = rules.DEFAULT_INTERVIEW_RUBRIC
    interview_record(
        candidate=candidate,
        held_on=timezone.localdate() - dt.timedelta(days=7),
        rubric=rubric,
        sheets=[
            (people["officer.shenzhen@demo.aeo"], dict.fromkeys(rubric, 16), "现场核查思路清楚，风险判断准确。"),
            (people["trainer@demo.aeo"], dict.fromkeys(rubric, 15), "沟通表达良好。"),
        ],
        recorded_by=people["officer@demo.aeo"],
    )
    log("Situational interview recorded for candidate@demo.aeo (qualification: /exams/qualification/)")
