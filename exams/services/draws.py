"""Blueprint checks and draws (issue 13 points 8-9), recorded so every paper can be reproduced."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .. import rules
from ..models import (
    DifficultyBand,
    DrawBatch,
    DrawnPaper,
    ExamBlueprint,
    Question,
    QuestionVersion,
)
from .versions import question_record_version

# ---------------------------------------------------------------- blueprints and draws


def _pool(bank_id: int) -> list[rules.PoolQuestion]:
    latest = QuestionVersion.objects.filter(question=OuterRef("pk")).order_by("-number").values("id")[:1]
    rows = (
        Question.objects.filter(bank_id=bank_id, status=Question.Status.ACTIVE)
        .annotate(version_id=Subquery(latest), usage=Coalesce(Sum("versions__times_drawn"), 0))
        .values_list(
            "id", "version_id", "criteria_area_id", "difficulty", "usage", "options", "qtype", "shuffle_options"
        )
    )
    return [
        rules.PoolQuestion(
            question_id=qid,
            version_id=vid,
            area_id=area,
            difficulty=difficulty,
            usage=usage,
            option_count=len(options or []),
            shuffle=qtype == rules.MULTICHOICE and shuffle,
        )
        for qid, vid, area, difficulty, usage, options, qtype, shuffle in rows
        if vid is not None
    ]


def _cells(blueprint: ExamBlueprint) -> list[rules.Cell]:
    return [
        rules.Cell(area_id=c.criteria_area_id, band=c.band, count=c.count, points=c.points)
        for c in blueprint.cells.order_by("criteria_area__position", "band", "id")
    ]


def blueprint_shortage_messages(*, blueprint: ExamBlueprint) -> list[str]:
    """Issue 13 point 8: one message per cell short of active questions, naming the cell and how
    many are missing; empty when the bank covers the blueprint."""
    CriteriaArea = apps.get_model("readiness", "CriteriaArea")
    shortages = rules.blueprint_shortages(_cells(blueprint), _pool(blueprint.bank_id))
    names = dict(CriteriaArea.objects.filter(id__in=[s.area_id for s in shortages]).values_list("id", "name_zh"))
    bands = dict(DifficultyBand.choices)
    return [
        _("%(area)s / %(band)s: needs %(needed)d active questions, the bank has %(available)d (%(missing)d missing).")
        % {
            "area": names.get(s.area_id, s.area_id),
            "band": bands.get(s.band, s.band),
            "needed": s.needed,
            "available": s.available,
            "missing": s.missing,
        }
        for s in shortages
    ]


def _ensure_versions(bank_id: int, user=None) -> None:
    for question in Question.objects.filter(bank_id=bank_id, status=Question.Status.ACTIVE, versions__isnull=True):
        question_record_version(question=question, user=user)


@dataclass
class DrawResult:
    batch: DrawBatch | None
    seed: int
    papers: list[tuple[rules.PaperItem, ...]]


def blueprint_draw(
    *, blueprint: ExamBlueprint, count: int, seed: int | None = None, user=None, record: bool = True
) -> DrawResult:
    """Draw `count` papers for `blueprint` (issue 13 point 9): least-used active questions first,
    no repeats, options shuffled where allowed. With `record`, the seed, the starting pool and
    each paper's versions are stored and the versions' draw counts raised, so the papers can be
    reproduced exactly (`draw_reproduce`). Draws of one blueprint are serialised (row lock).
    Raises ValidationError naming the short cells when the bank does not cover the blueprint."""
    if count < 1:
        raise ValidationError(_("Draw at least one paper."))
    seed = secrets.randbelow(2**62) if seed is None else seed
    with transaction.atomic():
        blueprint = ExamBlueprint.objects.select_for_update().get(pk=blueprint.pk)
        _ensure_versions(blueprint.bank_id, user)
        cells, pool = _cells(blueprint), _pool(blueprint.bank_id)
        if not cells:
            raise ValidationError(_("The blueprint has no cells."))
        try:
            papers = rules.draw_papers(cells, pool, seed=seed, count=count, shuffle_options=blueprint.shuffle_options)
        except rules.BlueprintNotCovered as exc:
            raise ValidationError(blueprint_shortage_messages(blueprint=blueprint)) from exc
        if not record:
            return DrawResult(batch=None, seed=seed, papers=papers)
        batch = DrawBatch.objects.create(
            blueprint=blueprint,
            seed=seed,
            size=count,
            pool={
                "shuffle_options": blueprint.shuffle_options,
                "cells": [[c.area_id, c.band, c.count, str(c.points)] for c in cells],
                "questions": [
                    [q.question_id, q.version_id, q.area_id, q.difficulty, q.usage, q.option_count, q.shuffle]
                    for q in pool
                ],
            },
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        DrawnPaper.objects.bulk_create(
            DrawnPaper(batch=batch, index=i, items=[item.as_json() for item in paper]) for i, paper in enumerate(papers)
        )
        drawn: dict[int, int] = {}
        for paper in papers:
            for item in paper:
                drawn[item.version_id] = drawn.get(item.version_id, 0) + 1
        for times in set(drawn.values()):
            QuestionVersion.objects.filter(id__in=[v for v, n in drawn.items() if n == times]).update(
                times_drawn=F("times_drawn") + times
            )
        log(blueprint, "exams.draw", user=user, data={"batch": batch.pk, "seed": seed, "papers": count})
    return DrawResult(batch=batch, seed=seed, papers=papers)


def draw_reproduce(*, batch: DrawBatch) -> list[tuple[rules.PaperItem, ...]]:
    """The papers of a recorded draw, recomputed from its seed and starting pool."""
    cells = [rules.Cell(a, b, n, Decimal(p)) for a, b, n, p in batch.pool["cells"]]
    pool = [rules.PoolQuestion(*row) for row in batch.pool["questions"]]
    return rules.draw_papers(
        cells, pool, seed=batch.seed, count=batch.size, shuffle_options=batch.pool.get("shuffle_options", True)
    )


def paper_for_candidate(*, paper: DrawnPaper) -> list[dict]:
    """A drawn paper as a candidate may see it: stems and options in display order, points;
    never keys, weights or feedback (`rules.candidate_view`)."""
    versions = QuestionVersion.objects.in_bulk([item["version_id"] for item in paper.items])
    return [
        {
            "version_id": item["version_id"],
            "points": item["points"],
            **rules.candidate_view(versions[item["version_id"]].content, item["option_order"]),
        }
        for item in paper.items
    ]
