"""Load the 2026 criteria (GACC Bulletin 2026 No. 34, in force from 2026-04-01) from the
transcription in `data/aeo-criteria-2026.json`. Idempotent: wording an officer corrected in the
back office is kept; missing rows are added. `apps` is a migration registry or django.apps.apps."""

import datetime
import json
from pathlib import Path

from lms.migration_utils import grant_model_permissions

from . import criteria_2022

DATA = Path(__file__).resolve().parent / "data" / "aeo-criteria-2026.json"
# Guidance and the evidence expected for every 2026 sub-item, in both languages, keyed by edition
# code and official number (specific criteria: business-type key and order), each entry with the
# official wording it was written from.
GUIDANCE = Path(__file__).resolve().parent / "data" / "criteria-guidance-2026.json"
GUIDANCE_FIELDS = ("guidance_zh", "guidance_en", "evidence_zh", "evidence_en")
LEGAL_BASIS = "海关总署公告2026年第34号"
LEGAL_BASIS_2022 = "海关总署公告2022年第106号"
LEGAL_BASIS_EN = {
    LEGAL_BASIS: "GACC Bulletin No. 34 of 2026",
    LEGAL_BASIS_2022: "GACC Bulletin No. 106 of 2022",
}
EFFECTIVE_FROM = datetime.date(2026, 4, 1)
SOURCE_DOUBTS = (
    "Transcribed from a public reproduction of the bulletin's annexes. Known doubts: certified (12) looks "
    "shortened next to advanced (13); advanced (36) / certified (34) seem to miss an opening clause; "
    "advanced (18) and (19) carry notes that certified (16) and (17) lack."
)
SOURCE_DOUBTS_ZH = (
    "据公告附件的公开转载整理。已知疑点：认证企业第（12）项与高级认证第（13）项相比似有删节；高级认证第（36）项、"
    "认证企业第（34）项似缺起首条款；高级认证第（18）、（19）项带有注释，而认证企业第（16）、（17）项没有。"
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
# Only the criteria: assessments are the enterprises' own, read through the site's pages.
CRITERIA_MODELS = r"(criteriaedition|criteriaarea|criteriaitem|criterion|specificcriteriamapping)$"
# Officers also read the rectification tasks of their district and change their status and
# evidence in the back office (created on the readiness report page).
RECTIFICATION_TASKS = r"|^(change|view)_rectificationtask$"
GRANTS = {
    "Customs officers": r"^(add|change|view)_" + CRITERIA_MODELS + RECTIFICATION_TASKS,
    "Trainers": r"^view_" + CRITERIA_MODELS,
}
BUSINESS_TYPES_EN = {
    "health_quarantine": "Entry-exit health quarantine",
    "animal_plant_quarantine": "Animal and plant quarantine",
    "food_cosmetics": "Import and export food and cosmetics",
    "commodity_inspection": "Import and export commodity inspection",
}


def _split_notes(model) -> bool:
    """Whether the edition's legal basis and notes are kept per language (`<name>_zh` /
    `<name>_en`, migration 0008); the migrations before it see one `legal_basis` (Chinese), one
    `notes` and one `rules_note` (English) column."""
    return any(field.name == "notes_en" for field in model._meta.get_fields())


def _notes(model, name: str, en: str, zh: str) -> dict[str, str]:
    return {f"{name}_en": en, f"{name}_zh": zh} if _split_notes(model) else {name: en}


def _basis(model, zh: str) -> dict[str, str]:
    return {"legal_basis_zh": zh, "legal_basis_en": LEGAL_BASIS_EN[zh]} if _split_notes(model) else {"legal_basis": zh}


def _number(code: str | None) -> str:
    return (code or "").strip("()（）")


def load(apps) -> None:
    load_criteria(apps)
    tag_specific_items_2026(apps)
    load_criteria_2022(apps)
    configure_editions(apps)
    map_business_types(apps)
    name_items_in_english(apps)
    fill_guidance(apps)
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
                **_basis(Edition, LEGAL_BASIS),
                "level": level,
                "effective_from": EFFECTIVE_FROM,
                **_notes(Edition, "notes", SOURCE_DOUBTS, SOURCE_DOUBTS_ZH),
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


def load_2026(apps) -> None:
    """What migration 0002 loads (kept apart: later steps need later columns)."""
    load_criteria(apps)
    grant_model_permissions(apps, "readiness", GRANTS)


def tag_specific_items_2026(apps) -> None:
    """Each 2026 specific-criteria item carries the business-type key it belongs to."""
    Item = apps.get_model("readiness", "CriteriaItem")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for number, business in enumerate(data["specific"]["business_types"], start=1):
        Item.objects.filter(
            area__edition__code=EDITIONS[data["specific"]["level"]][0],
            area__key="specific",
            number=number,
            business_type_key="",
        ).update(business_type_key=business["business_key"])


EDITION_2022 = ("2022-advanced", "海关高级认证企业标准（2022）", "Advanced certified enterprise criteria (2022)")
SOURCE_DOUBTS_2022 = (
    "Outline from DOMAIN.md (Bulletin 2022 No. 106 under Decree 251; only the advanced level existed). "
    "Item and sub-item names come from practitioner material, not the official text. Sub-items 20-30 and "
    "50-57 and all 32 specific standards are placeholders (wording not recovered — edit in the back office); "
    "how items 8-10 split sub-items 20-30 and how the 32 specific standards split across business types are "
    "guesses. Repealed on 2026-04-01 by Decree 282 and Bulletin 2026 No. 34."
)
SOURCE_DOUBTS_2022_ZH = (
    "框架取自项目的领域说明（海关总署令第251号下的2022年第106号公告；当时只有高级认证一个层级）。项目与细目名称"
    "来自实务资料，并非官方原文。细目20-30、50-57及全部32条单项标准为占位内容（原文未找到，请在后台编辑）；"
    "第8-10项如何划分细目20-30、32条单项标准如何分属各业务类型均为推测。2026年4月1日起由海关总署令第282号及"
    "2026年第34号公告废止。"
)
RULES_NOTES = {
    "2022-advanced": (
        "Pass rule: the default practitioners use for 2022 (no 'does not meet', at most 3 'basically meets'); "
        "the official wording was not found. Financial check: asset-liability ratio not above 95 % in each of "
        "the 5 latest complete fiscal years (sub-item 14)."
    ),
    "2026-advanced": (
        "Pass rule: as 2022 plus 1 point per met bonus sub-item, at most 2 (practitioner reading; the official "
        "wording was not found). Financial checks per Bulletin 2026 No. 34 sub-items 12-14: audit opinion, "
        "solvency (>= 2 of 4), profitability (>= 2 of 5); fiscal years checked: configurable, default the latest."
    ),
    "2026-certified": (
        "The official pass rule and financial checks of the certified level were not found: the advanced "
        "level's are the configurable default. Note: the certified wording of sub-item 12 reads asset-liability "
        "<= 95 % (manufacturers) / <= 85 % (others); officers may set these thresholds here."
    ),
}
RULES_NOTES_ZH = {
    "2022-advanced": (
        "通过规则：采用实务中2022版的通行做法（无“不达标”，“基本达标”不超过3项）；官方原文未找到。财务检查：最近5个"
        "完整会计年度每年资产负债率均不高于95%（细目14）。"
    ),
    "2026-advanced": (
        "通过规则：在2022版基础上，每项达标的附加标准加1分，最多加2分（实务解读；官方原文未找到）。财务检查依据"
        "2026年第34号公告细目12-14：审计意见、偿债能力（4项中至少2项达标）、盈利能力（5项中至少2项达标）；检查的"
        "会计年度数可配置，默认为最近一年。"
    ),
    "2026-certified": (
        "认证企业层级的官方通过规则与财务检查未找到：默认采用高级认证的规则，可配置。注意：认证企业第（12）项的表述"
        "为资产负债率≤95%（生产型企业）/≤85%（其他企业）；海关人员可在此设置相应阈值。"
    ),
}
EDITION_RULES = {
    "2022-advanced": {"bonus_cap": 0, "financial_method": "asset_liability", "financial_years": 5},
    "2026-advanced": {"bonus_cap": 2, "financial_method": "solvency_profitability", "financial_years": 1},
    "2026-certified": {"bonus_cap": 2, "financial_method": "solvency_profitability", "financial_years": 1},
}
# Sub-items the figures judge (by official number).
FINANCIAL_SUB_ITEMS = {
    "2022-advanced": {"(14)": "asset_liability"},
    "2026-advanced": {"(12)": "audit_opinion", "(13)": "solvency", "(14)": "profitability"},
    "2026-certified": {"(11)": "audit_opinion", "(12)": "solvency"},
}


def load_criteria_2022(apps) -> None:
    """The 2022 edition beside the 2026 ones; placeholders marked and counted. Idempotent."""
    Edition = apps.get_model("readiness", "CriteriaEdition")
    Area = apps.get_model("readiness", "CriteriaArea")
    Item = apps.get_model("readiness", "CriteriaItem")
    Criterion = apps.get_model("readiness", "Criterion")
    code, title_zh, title_en = EDITION_2022
    edition, _ = Edition.objects.get_or_create(
        code=code,
        defaults={
            "title_zh": title_zh,
            "title_en": title_en,
            **_basis(Edition, LEGAL_BASIS_2022),
            "level": "advanced",
            "effective_from": datetime.date(2022, 11, 1),
            "effective_until": datetime.date(2026, 3, 31),
            **_notes(Edition, "notes", SOURCE_DOUBTS_2022, SOURCE_DOUBTS_2022_ZH),
        },
    )
    for position, (area_key, area_zh, items) in enumerate(criteria_2022.GENERAL, start=1):
        area, _ = Area.objects.get_or_create(
            edition=edition,
            key=area_key,
            defaults={"name_zh": area_zh, "name_en": AREA_NAMES_EN[area_key], "position": position},
        )
        for number, item_zh, item_en, sub_items in items:
            item, _ = Item.objects.get_or_create(
                area=area, number=number, defaults={"name_zh": item_zh, "name_en": item_en}
            )
            for global_number, text_zh, text_en in sub_items:
                placeholder = text_zh is None
                Criterion.objects.get_or_create(
                    item=item,
                    sequence=global_number,
                    defaults={
                        "code": f"({global_number})",
                        "text_zh": criteria_2022.PLACEHOLDER_ZH if placeholder else text_zh,
                        "text_en": criteria_2022.PLACEHOLDER_EN if placeholder else text_en,
                        "is_placeholder": placeholder,
                    },
                )
    area, _ = Area.objects.get_or_create(
        edition=edition,
        key="specific",
        defaults={"name_zh": "单项标准", "name_en": AREA_NAMES_EN["specific"], "position": 99},
    )
    for number, (key, name_zh, name_en, count) in enumerate(criteria_2022.SPECIFIC, start=1):
        item, _ = Item.objects.get_or_create(
            area=area, number=number, defaults={"name_zh": name_zh, "name_en": name_en, "business_type_key": key}
        )
        for sequence in range(1, count + 1):
            Criterion.objects.get_or_create(
                item=item,
                sequence=sequence,
                defaults={
                    "text_zh": criteria_2022.PLACEHOLDER_ZH,
                    "text_en": criteria_2022.PLACEHOLDER_EN,
                    "is_placeholder": True,
                },
            )


def configure_editions(apps) -> None:
    """Pass rule and financial checks of each shipped edition, set once (an officer's later
    changes are kept: an edition whose rules note is filled counts as configured)."""
    Edition = apps.get_model("readiness", "CriteriaEdition")
    Criterion = apps.get_model("readiness", "Criterion")
    unset = {"rules_note_en": "", "rules_note_zh": ""} if _split_notes(Edition) else {"rules_note": ""}
    for code, values in EDITION_RULES.items():
        edition = Edition.objects.filter(code=code, **unset).first()
        if edition is None:
            continue
        for name, value in {**values, **_notes(Edition, "rules_note", RULES_NOTES[code], RULES_NOTES_ZH[code])}.items():
            setattr(edition, name, value)
        edition.save()
        for number, check in FINANCIAL_SUB_ITEMS[code].items():
            Criterion.objects.filter(
                item__area__edition=edition, item__area__key="financial_status", code=number
            ).update(financial_check=check)


def map_business_types(apps) -> None:
    """Per edition, which specific criteria an enterprise's business types bring in; and the
    business type whose aspect key disagreed with the criteria's (plant_animal vs animal_plant)."""
    Edition = apps.get_model("readiness", "CriteriaEdition")
    Mapping = apps.get_model("readiness", "SpecificCriteriaMapping")
    BusinessType = apps.get_model("trainees", "BusinessType")
    BusinessType.objects.filter(criteria_aspect="plant_animal_quarantine").update(
        criteria_aspect="animal_plant_quarantine"
    )
    types = {business.code: business for business in BusinessType.objects.all()}
    for code, mapping in criteria_2022.BUSINESS_MAPPING.items():
        edition = Edition.objects.filter(code=code).first()
        if edition is None:
            continue
        for business_code, key in mapping.items():
            if business_code in types:
                Mapping.objects.get_or_create(
                    edition=edition, business_type=types[business_code], defaults={"specific_key": key}
                )


def translate_notes(apps) -> None:
    """Give the shipped editions their notes in Chinese beside the English ones (migration 0008
    kept the single-language notes as the English ones) and their legal basis in English beside
    the Chinese one. What an officer changed is left."""
    Edition = apps.get_model("readiness", "CriteriaEdition")
    doubts = {
        EDITIONS["advanced"][0]: (SOURCE_DOUBTS, SOURCE_DOUBTS_ZH),
        EDITIONS["certified"][0]: (SOURCE_DOUBTS, SOURCE_DOUBTS_ZH),
        EDITION_2022[0]: (SOURCE_DOUBTS_2022, SOURCE_DOUBTS_2022_ZH),
    }
    for code, (en, zh) in doubts.items():
        Edition.objects.filter(code=code, notes_en=en, notes_zh="").update(notes_zh=zh)
    for zh, en in LEGAL_BASIS_EN.items():
        Edition.objects.filter(legal_basis_zh=zh, legal_basis_en="").update(legal_basis_en=en)
    for code, en in RULES_NOTES.items():
        Edition.objects.filter(code=code, rules_note_en=en, rules_note_zh="").update(rules_note_zh=RULES_NOTES_ZH[code])


# The 2026 items in English (both levels share the names; the bulletin gives them in Chinese only).
ITEM_NAMES_EN_2026 = {
    "关企合作": "Customs–enterprise cooperation",
    "单证复核": "Document review",
    "单证保管": "Document retention",
    "禁限审查": "Prohibited and restricted goods review",
    "信息系统": "Information system",
    "内部审计和改进": "Internal audit and improvement",
    "财务状况": "Financial status",
    "注册备案信息": "Registration and filing information",
    "遵守法律法规": "Laws and regulations",
    "业务开展": "Business activity",
    "款项缴纳": "Payment of dues",
    "申报规范": "Declaration practice",
    "税款要求": "Tax requirements",
    "委托要求": "Requirements on agents entrusted",
    "管理要求": "Customs management requirements",
    "海关信用": "Customs credit",
    "外部信用": "External credit",
    "经营场所安全": "Premises security",
    "人员安全": "Personnel security",
    "货物、物品安全": "Cargo and article security",
    "运输工具安全": "Conveyance security",
    "商业伙伴安全": "Business partner security",
    "贸易安全培训": "Trade security training",
    "加分标准": "Bonus criteria",
}


def name_items_in_english(apps) -> None:
    """Give the 2026 editions' items their English names where none is set."""
    Item = apps.get_model("readiness", "CriteriaItem")
    codes = [EDITIONS["advanced"][0], EDITIONS["certified"][0]]
    for zh, en in ITEM_NAMES_EN_2026.items():
        Item.objects.filter(area__edition__code__in=codes, name_zh=zh, name_en="").update(name_en=en)


def _guidance_targets(apps):
    """(sub-items, entry) pairs: each 2026 sub-item by edition and official number (specific
    criteria by business type and order), and the 2022 sub-items whose recovered wording is the
    same as a 2026 sub-item's (placeholders never)."""
    Criterion = apps.get_model("readiness", "Criterion")
    data = json.loads(GUIDANCE.read_text(encoding="utf-8"))
    specific = data.pop("specific")
    by_wording = {}
    for edition_code, entries in data.items():
        for code, entry in entries.items():
            by_wording.setdefault(entry["text"], entry)
            yield Criterion.objects.filter(item__area__edition__code=edition_code, code=code), entry
    for business_key, entries in specific.items():
        for sequence, entry in entries.items():
            by_wording.setdefault(entry["text"], entry)
            yield (
                Criterion.objects.filter(
                    item__area__edition__code=EDITIONS["advanced"][0],
                    item__area__key="specific",
                    item__business_type_key=business_key,
                    sequence=int(sequence),
                ),
                entry,
            )
    for text, entry in by_wording.items():
        yield (
            Criterion.objects.filter(item__area__edition__code=EDITION_2022[0], is_placeholder=False, text_zh=text),
            entry,
        )


def fill_guidance(apps) -> None:
    """Fill each field of guidance and expected evidence that is still blank (what an officer
    wrote is kept)."""
    for criteria, entry in _guidance_targets(apps):
        for field in GUIDANCE_FIELDS:
            criteria.filter(**{field: ""}).update(**{field: entry[field]})


def clear_guidance(apps) -> None:
    """Undo `fill_guidance`: blank only the fields that still hold the text it wrote."""
    for criteria, entry in _guidance_targets(apps):
        for field in GUIDANCE_FIELDS:
            criteria.filter(**{field: entry[field]}).update(**{field: ""})
