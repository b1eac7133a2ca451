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
