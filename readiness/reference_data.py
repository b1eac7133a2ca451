"""Load the 2026 criteria (GACC Bulletin 2026 No. 34, in force from 2026-04-01) from the
transcription in `data/aeo-criteria-2026.json`. Idempotent: wording an officer corrected in the
back office is kept; missing rows are added. `apps` is a migration registry or django.apps.apps."""

import datetime
import json
from pathlib import Path

from lms.migration_utils import grant_model_permissions

DATA = Path(__file__).resolve().parent / "data" / "aeo-criteria-2026.json"
LEGAL_BASIS = "海关总署公告2026年第34号"
EFFECTIVE_FROM = datetime.date(2026, 4, 1)
SOURCE_DOUBTS = (
    "Transcribed from a public reproduction of the bulletin's annexes. Known doubts: certified (12) looks "
    "shortened next to advanced (13); advanced (36) / certified (34) seem to miss an opening clause; "
    "advanced (18) and (19) carry notes that certified (16) and (17) lack."
)
EDITIONS = {
    "advanced": ("2026-advanced", "海关高级认证企业标准（2026）", "Advanced certified enterprise criteria (2026)"),
    "certified": ("2026-certified", "海关认证企业标准（2026）", "Certified enterprise criteria (2026)"),
}
AREA_NAMES_EN = {
    "internal_control": "Internal control",
    "financial_status": "Financial status",
    "compliance": "Compliance",
    "trade_security": "Trade security",
    "bonus": "Bonus criteria",
    "specific": "Specific criteria",
}
# Officers correct the wording; trainers read it.
GRANTS = {"Customs officers": r"^(add|change|view)_", "Trainers": r"^view_"}
BUSINESS_TYPES_EN = {
    "health_quarantine": "Entry-exit health quarantine",
    "animal_plant_quarantine": "Animal and plant quarantine",
    "food_cosmetics": "Import and export food and cosmetics",
    "commodity_inspection": "Import and export commodity inspection",
}


def _number(code: str | None) -> str:
    return (code or "").strip("()（）")


def load(apps) -> None:
    load_criteria(apps)
    grant_model_permissions(apps, "readiness", GRANTS)


def load_criteria(apps) -> None:
    Edition = apps.get_model("readiness", "CriteriaEdition")
    Area = apps.get_model("readiness", "CriteriaArea")
    Item = apps.get_model("readiness", "CriteriaItem")
    Criterion = apps.get_model("readiness", "Criterion")
    data = json.loads(DATA.read_text(encoding="utf-8"))

    for level, rows in data["levels"].items():
        code, title_zh, title_en = EDITIONS[level]
        edition, _ = Edition.objects.get_or_create(
            code=code,
            defaults={
                "title_zh": title_zh,
                "title_en": title_en,
                "legal_basis": LEGAL_BASIS,
                "level": level,
                "effective_from": EFFECTIVE_FROM,
                "notes": SOURCE_DOUBTS,
            },
        )
        areas: dict[str, object] = {}
        items: dict[tuple[str, int], object] = {}
        for sequence, row in enumerate(rows, start=1):
            key = row["area_key"]
            if key not in areas:
                areas[key], _ = Area.objects.get_or_create(
                    edition=edition,
                    key=key,
                    defaults={"name_zh": row["area_zh"], "name_en": AREA_NAMES_EN[key], "position": len(areas) + 1},
                )
            item_key = (key, row["item_no"])
            if item_key not in items:
                items[item_key], _ = Item.objects.get_or_create(
                    area=areas[key], number=row["item_no"], defaults={"name_zh": row["item_zh"]}
                )
            Criterion.objects.get_or_create(
                item=items[item_key],
                sequence=int(_number(row["code"]) or sequence),
                defaults={"code": row["code"] or "", "text_zh": row["text"], "is_bonus": key == "bonus"},
            )

    specific = data["specific"]
    edition = Edition.objects.get(code=EDITIONS[specific["level"]][0])
    area, _ = Area.objects.get_or_create(
        edition=edition,
        key="specific",
        defaults={"name_zh": "单项标准", "name_en": AREA_NAMES_EN["specific"], "position": 99},
    )
    for number, business in enumerate(specific["business_types"], start=1):
        item, _ = Item.objects.get_or_create(
            area=area,
            number=number,
            defaults={
                "name_zh": business["business_zh"],
                "name_en": BUSINESS_TYPES_EN.get(business["business_key"], ""),
            },
        )
        for row in business["items"]:
            Criterion.objects.get_or_create(item=item, sequence=row["seq"], defaults={"text_zh": row["text"]})
