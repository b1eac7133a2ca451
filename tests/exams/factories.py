"""A small exam for the attempt tests: five questions of every type in one blueprint cell."""

from datetime import timedelta

from django.utils import timezone

from exams import services
from exams.models import BlueprintCell, Exam, ExamBlueprint, Question, QuestionBank
from readiness.models import CriteriaArea, CriteriaEdition

QUESTIONS = [
    ("单选", "multichoice", True, [{"text": "对的", "fraction": 100}, {"text": "错的", "fraction": 0}]),
    (
        "多选",
        "multichoice",
        False,
        [{"text": "甲", "fraction": 50}, {"text": "乙", "fraction": 50}, {"text": "丙", "fraction": -100}],
    ),
    ("判断", "truefalse", True, [{"text": "true", "fraction": 100}, {"text": "false", "fraction": 0}]),
    ("填空", "shortanswer", True, [{"text": "AEO", "fraction": 100}]),
    ("案例", "essay", True, []),
]
KEY_TEXT = "KEYFEEDBACK-秘密反馈"


def make_exam(*, essay: bool = True, **fields) -> Exam:
    """An online exam open now, 60 minutes, one attempt, pass mark 60 %; each question worth 2
    points. Option feedback and general feedback carry KEY_TEXT so leak tests can look for it."""
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    area = CriteriaArea.objects.get(edition=edition, key="internal_control")
    bank = QuestionBank.objects.create(
        name=f"考试题库{QuestionBank.objects.count()}", audience="enterprise", criteria_edition=edition
    )
    chosen = QUESTIONS if essay else QUESTIONS[:4]
    for name, qtype, single, options in chosen:
        question = Question(
            bank=bank,
            name=name,
            qtype=qtype,
            single=single,
            stem=f"{name}题干",
            options=[{**o, "feedback": KEY_TEXT} for o in options],
            general_feedback=KEY_TEXT,
            criteria_area=area,
            difficulty=3,
            status="active",
            shuffle_options=False,
        )
        services.question_save(question=question)
    blueprint = ExamBlueprint.objects.create(name=f"蓝图{bank.pk}", bank=bank, shuffle_options=False)
    BlueprintCell.objects.create(blueprint=blueprint, criteria_area=area, band="medium", count=len(chosen), points=2)
    now = timezone.now()
    defaults = {
        "title_zh": "AEO 认证培训结业考试",
        "title_en": "AEO training final exam",
        "audience": "enterprise",
        "blueprint": blueprint,
        "duration_minutes": 60,
        "online": True,
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=1),
    }
    return Exam.objects.create(**{**defaults, **fields})


def positions(attempt) -> dict[str, int]:
    """Question name → its position on the attempt's paper."""
    return {item["content"]["name"]: i for i, item in enumerate(attempt.items)}


def invigilator(unit_code: str = "5300"):
    """An invigilator of a customs unit (default Shenzhen, where the test sittings are)."""
    from tests.factories import UserFactory
    from tests.trainees.factories import unit
    from trainees.roles import Role

    return UserFactory(roles=[Role.INVIGILATOR], customs_unit=unit(unit_code))
