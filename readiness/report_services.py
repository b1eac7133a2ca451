"""Use cases of the readiness report (issue 16): recompute and keep a report, schedule
recomputations (on commit, debounced per enterprise), move an enterprise to "completed" through
the trainees lifecycle service, and the rectification tasks (整改)."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from decimal import Decimal
from enum import Enum

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trainees import services as trainee_services
from trainees.access import may_manage_rectifications, may_update_rectification
from trainees.models import CultivationStatus, Enterprise, User

from . import inputs, rules
from .models import CriteriaEdition, Criterion, ReadinessRecord, RectificationTask
from .services import evidence_type

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = getattr(settings, "READINESS_DEBOUNCE_SECONDS", 30)
# Requirements whose completion finishes training (DOMAIN.md: "in_training --(required training +
# exam done)--> completed").
TRAINING_REQUIREMENTS = (
    "coverage_legal_representative",
    "coverage_senior_management",
    "coverage_relevant_department",
    "coverage_live",
    "exam",
)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    return value


def report_as_dict(report: rules.Report) -> dict:
    """The report as JSON-safe data, kept with each recomputation and rendered by the pages."""
    data = _plain(dataclasses.asdict(report))
    data["status_label"] = report.status_label
    return data


def compute(
    *, enterprise: Enterprise, today: datetime.date, edition_code: str = "", course_links: dict | None = None
) -> rules.Report | None:
    """The report of one enterprise now, or None when no edition is known."""
    edition = inputs.chosen_edition(enterprise_id=enterprise.pk, today=today, code=edition_code)
    if edition is None:
        return None
    gathered = inputs.gather(enterprise=enterprise, edition=edition, today=today, course_links=course_links)
    return rules.readiness_report(gathered, today=today)


def _same(record: ReadinessRecord | None, report: rules.Report) -> bool:
    return (
        record is not None
        and record.edition_code == report.edition_code
        and record.status == report.status.value
        and record.score == report.score
        and record.report.get("lines") == report_as_dict(report)["lines"]
    )


def readiness_recompute(
    *,
    enterprise_id: int,
    now: datetime.datetime | None = None,
    only_if_changed: bool = False,
    course_links: dict | None = None,
) -> ReadinessRecord | None:
    """Recompute one enterprise's report and keep it (the history the chart draws). With
    `only_if_changed` (a page view), a report equal to the latest kept one is not stored again.
    When coverage and the exam are complete, a listed or in-training enterprise moves to
    "completed" through the trainees lifecycle service (audited). Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    enterprise = Enterprise.objects.select_related("credit_level__maps_to").filter(pk=enterprise_id).first()
    if enterprise is None:
        return None
    report = compute(enterprise=enterprise, today=today, course_links=course_links)
    if report is None:
        return None
    with transaction.atomic():
        latest = ReadinessRecord.objects.select_for_update().filter(enterprise_id=enterprise_id, is_latest=True).first()
        if only_if_changed and _same(latest, report):
            record = latest
        else:
            if latest is not None:
                ReadinessRecord.objects.filter(pk=latest.pk).update(is_latest=False)
            record = ReadinessRecord.objects.create(
                enterprise_id=enterprise_id,
                computed_at=now,
                edition_code=report.edition_code,
                status=report.status.value,
                score=report.score,
                components=_plain(report.components),
                missing=list(report.missing),
                report=report_as_dict(report),
                is_latest=True,
            )
    if not set(TRAINING_REQUIREMENTS) & set(report.missing):
        complete_training(enterprise_id=enterprise_id, status=enterprise.cultivation_status)
    return record


def complete_training(*, enterprise_id: int, status: str) -> bool:
    """Move a listed or in-training enterprise to completed (DOMAIN.md state machine; a listed
    one first starts training). Audited by the trainees lifecycle service."""
    reason = _("Required training and exam completed (readiness report).")
    if status not in (CultivationStatus.LISTED, CultivationStatus.IN_TRAINING):
        return False
    if status == CultivationStatus.LISTED:
        trainee_services.cultivation_transition(
            enterprise_id=enterprise_id, action="start_training", actor=None, reason=reason
        )
    trainee_services.cultivation_transition(enterprise_id=enterprise_id, action="complete", actor=None, reason=reason)
    return True


def _pending_key(enterprise_id: int) -> str:
    return f"readiness:pending:{enterprise_id}"


def schedule_recompute(enterprise_id: int) -> bool:
    """Enqueue a recomputation once the current transaction commits, debounced per enterprise:
    a burst of changes within `DEBOUNCE_SECONDS` gives one recomputation. In in-process mode
    (no broker) it recomputes at once. Returns whether a recomputation was enqueued."""
    from lms.celery import app

    from .tasks import recompute_readiness

    if app.conf.task_always_eager:
        transaction.on_commit(lambda: recompute_readiness.delay(enterprise_id))
        return True
    if not cache.add(_pending_key(enterprise_id), 1, timeout=DEBOUNCE_SECONDS * 2):
        return False
    transaction.on_commit(lambda: recompute_readiness.apply_async(args=[enterprise_id], countdown=DEBOUNCE_SECONDS))
    return True


def clear_pending(enterprise_id: int) -> None:
    cache.delete(_pending_key(enterprise_id))


def recompute_all(*, now: datetime.datetime | None = None) -> int:
    """Nightly: recompute every enterprise's report. Returns how many were recomputed."""
    count = 0
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    course_links = inputs.certification_courses()
    for enterprise_id in ids:
        try:
            if readiness_recompute(enterprise_id=enterprise_id, now=now, course_links=course_links) is not None:
                count += 1
        except Exception:  # one enterprise's failure must not stop the night's run
            logger.exception("readiness recompute failed for enterprise %s", enterprise_id)
    return count


# --- Rectification tasks (整改) ------------------------------------------------------------------


def rectification_create(
    *,
    enterprise: Enterprise,
    actor: User,
    owner_id: int | None,
    due_date: datetime.date | None,
    title: str,
    criterion_id: int | None = None,
) -> RectificationTask:
    """A rectification task for a sub-item judged below "meets": an owner of the enterprise and a
    due date are required. Enterprise administrators and the district's officers create them."""
    if not may_manage_rectifications(actor, enterprise):
        raise PermissionDenied
    errors = {}
    owner = User.objects.filter(pk=owner_id, enterprise_id=enterprise.pk, is_active=True).first() if owner_id else None
    if owner is None:
        errors["owner"] = _("Choose the person of the enterprise who owns this rectification.")
    if due_date is None:
        errors["due_date"] = _("Give the date by which the rectification is due.")
    title = (title or "").strip()
    criterion = Criterion.objects.filter(pk=criterion_id).first() if criterion_id else None
    if not title and criterion is not None:
        title = criterion.text_zh[:300]
    if not title:
        errors["title"] = _("Say what is to be rectified.")
    if errors:
        raise ValidationError(errors)
    return RectificationTask.objects.create(
        enterprise=enterprise,
        criterion=criterion,
        code=criterion.code if criterion else "",
        title=title[:300],
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )


@transaction.atomic
def rectification_update(
    *,
    task_id: int,
    actor: User,
    status: str,
    evidence_note: str = "",
    upload: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> RectificationTask:
    """Change a task's status and evidence (owner, enterprise administrators, district officers).
    Closing a task ("done") needs evidence: a note or a file."""
    task = RectificationTask.objects.select_for_update().select_related("enterprise").get(pk=task_id)
    if not may_update_rectification(actor, task):
        raise PermissionDenied
    if status not in RectificationTask.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if upload is not None:
        evidence_type(upload)
        name = (upload.name or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:200]
        task.evidence_file.save(name, upload, save=False)
        task.evidence_name = name
    if evidence_note:
        task.evidence_note = evidence_note.strip()[:2000]
    if status == RectificationTask.Status.DONE and not (task.evidence_note or task.evidence_name):
        raise ValidationError({"evidence_note": _("Describe or attach the evidence before closing the task.")})
    task.status = status
    task.closed_at = (now or timezone.now()) if status == RectificationTask.Status.DONE else None
    task.save()
    return task


def editions() -> list[CriteriaEdition]:
    return list(CriteriaEdition.objects.order_by("-effective_from"))
