"""Use cases of the readiness report (issue 16): recompute and keep a report, schedule
recomputations (on commit, debounced per enterprise), move an enterprise to "completed" through
the trainees lifecycle service, and the rectification tasks (整改)."""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import time
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trainees import services as trainee_services
from trainees.access import may_manage_rectifications, may_update_rectification
from trainees.models import CultivationStatus, Enterprise, User

from . import inputs, rules
from .models import CriteriaEdition, Criterion, ReadinessRecord, RectificationTask
from .services import evidence_name, evidence_type

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = getattr(settings, "READINESS_DEBOUNCE_SECONDS", 30)
# How long the report page shows a kept report without recomputing it (see `is_current`).
FRESH_SECONDS = getattr(settings, "READINESS_REPORT_FRESH_SECONDS", 600)
# Requirements whose completion finishes training (DOMAIN.md: "in_training --(required training +
# exam done)--> completed").
TRAINING_REQUIREMENTS = (
    "coverage_legal_representative",
    "coverage_senior_management",
    "coverage_relevant_department",
    "coverage_live",
    "exam",
)


def _json_default(value):
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def report_as_dict(report: rules.Report) -> dict:
    """The report as JSON-safe data, kept with each recomputation and rendered by the pages
    (dataclasses become dicts, tuples lists, Decimals and dates strings, enums their values).
    Encoded and decoded by the json module's C code: a third of the time of a Python walk."""
    data = json.loads(json.dumps(report, default=_json_default, ensure_ascii=False))
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


def _changed_key(enterprise_id: int) -> str:
    return f"readiness:changed:{enterprise_id}"


def _checked_key(enterprise_id: int) -> str:
    return f"readiness:checked:{enterprise_id}"


def mark_changed(enterprise_id: int) -> None:
    """An input of the enterprise's report changed (a domain signal, a submission, new figures):
    the kept report stops being current for the report page until it is recomputed."""
    cache.set(_changed_key(enterprise_id), time.time(), timeout=FRESH_SECONDS * 2)


def is_current(record: ReadinessRecord | None, *, now: datetime.datetime) -> bool:
    """Whether the report page may show the kept latest report without recomputing it: computed
    (or confirmed unchanged) today, less than `READINESS_REPORT_FRESH_SECONDS` ago, in the
    language asked for, and after the last input change announced by a domain signal. Inputs
    that send no signal (a new colleague, a credit level corrected in the back office) show
    within that many seconds, and overnight. One cache read, no query."""
    if record is None or record.report.get("language") != (translation.get_language() or ""):
        return False
    found = cache.get_many([_changed_key(record.enterprise_id), _checked_key(record.enterprise_id)])
    changed, checked = found.get(_changed_key(record.enterprise_id)), found.get(_checked_key(record.enterprise_id))
    seen = max(record.computed_at.timestamp(), checked or 0.0)
    return (
        timezone.localdate(record.computed_at) == timezone.localdate(now)
        and now.timestamp() - seen < FRESH_SECONDS
        and seen >= (changed or 0.0)
    )


def current_record(*, enterprise_id: int, now: datetime.datetime | None = None) -> ReadinessRecord | None:
    """The report the page shows: the kept latest one while it is current (`is_current`), else a
    recomputation, kept only if it differs (None when no edition is known). One query when
    current."""
    now = now or timezone.now()
    latest = ReadinessRecord.objects.filter(enterprise_id=enterprise_id, is_latest=True).first()
    if is_current(latest, now=now):
        return latest
    return readiness_recompute(enterprise_id=enterprise_id, now=now, only_if_changed=True)


def _same(record: ReadinessRecord | None, report: rules.Report, data: dict) -> bool:
    """Whether the kept record says what `report` (as `data`) says, word for word: a report kept
    before a part was added (the sub-items to rectify) is not the same."""
    return (
        record is not None
        and record.edition_code == report.edition_code
        and record.status == report.status.value
        and record.score == report.score
        and record.report.get("language") == (translation.get_language() or "")
        and {key: value for key, value in record.report.items() if key != "language"} == data
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
        # The enterprise's row serialises its recomputations: without it, two that find no latest
        # record yet (two colleagues submitting at once) would both insert one.
        Enterprise.objects.select_for_update().filter(pk=enterprise_id).values_list("pk", flat=True).first()
        latest = ReadinessRecord.objects.select_for_update().filter(enterprise_id=enterprise_id, is_latest=True).first()
        data = report_as_dict(report)
        if only_if_changed and _same(latest, report, data):
            record = latest
            checked = now.timestamp()
            transaction.on_commit(lambda: cache.set(_checked_key(enterprise_id), checked, timeout=FRESH_SECONDS * 2))
        else:
            if latest is not None:
                ReadinessRecord.objects.filter(pk=latest.pk).update(is_latest=False)
            record = _record(enterprise_id, report, now, data)
            record.save(force_insert=True)
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

    mark_changed(enterprise_id)
    if app.conf.task_always_eager:
        transaction.on_commit(lambda: recompute_readiness.delay(enterprise_id))
        return True
    if not cache.add(_pending_key(enterprise_id), 1, timeout=DEBOUNCE_SECONDS * 2):
        return False
    transaction.on_commit(lambda: recompute_readiness.apply_async(args=[enterprise_id], countdown=DEBOUNCE_SECONDS))
    return True


def clear_pending(enterprise_id: int) -> None:
    cache.delete(_pending_key(enterprise_id))


CHUNK_SIZE = 500


def _record(
    enterprise_id: int, report: rules.Report, now: datetime.datetime, data: dict | None = None
) -> ReadinessRecord:
    data = dict(data) if data is not None else report_as_dict(report)
    data["language"] = translation.get_language() or ""
    return ReadinessRecord(
        enterprise_id=enterprise_id,
        computed_at=now,
        edition_code=report.edition_code,
        status=report.status.value,
        score=report.score,
        components={str(area): str(points) for area, points in report.components.items()},
        missing=list(report.missing),
        report=data,
        is_latest=True,
    )


def readiness_recompute_many(
    *, enterprise_ids: list[int], now: datetime.datetime | None = None, course_links: dict | None = None
) -> list[ReadinessRecord]:
    """Recompute and keep the reports of many enterprises at once (the nightly run, in chunks of
    `CHUNK_SIZE`): inputs read through the batch selectors, the pure rule per enterprise, one
    update of the previous latest records and one bulk insert — a constant number of queries
    whatever the number of enterprises (about 20), plus one lifecycle move per enterprise whose
    training just completed. Enterprises that no longer exist or have no edition are skipped.
    Returns the new records. Raises IntegrityError if another process inserted a latest record
    for one of them meanwhile (the caller recomputes that chunk one by one)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    enterprises = list(Enterprise.objects.select_related("credit_level__maps_to").filter(pk__in=enterprise_ids))
    ids = [e.pk for e in enterprises]
    editions = inputs.chosen_editions(enterprise_ids=ids, today=today)
    gathered = inputs.gather_many(enterprises=enterprises, editions=editions, today=today, course_links=course_links)
    reports = {pk: rules.readiness_report(g, today=today) for pk, g in gathered.items()}
    records = [_record(pk, report, now) for pk, report in reports.items()]
    with transaction.atomic():
        # Enterprise rows locked in id order, as `readiness_recompute` locks one: no two
        # recomputations of an enterprise insert its latest record at once.
        list(Enterprise.objects.select_for_update().filter(pk__in=list(reports)).order_by("pk").values_list("pk"))
        latest = list(
            ReadinessRecord.objects.select_for_update()
            .filter(enterprise_id__in=list(reports), is_latest=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if latest:
            ReadinessRecord.objects.filter(pk__in=latest).update(is_latest=False)
        created = ReadinessRecord.objects.bulk_create(records, batch_size=CHUNK_SIZE)
    status = {e.pk: e.cultivation_status for e in enterprises}
    for pk, report in reports.items():
        if not set(TRAINING_REQUIREMENTS) & set(report.missing):
            try:
                complete_training(enterprise_id=pk, status=status[pk])
            except Exception:  # the reports are kept; the move is retried on the next recomputation
                logger.exception("moving enterprise %s to completed failed", pk)
    return created


def recompute_all(*, now: datetime.datetime | None = None, chunk_size: int = CHUNK_SIZE) -> int:
    """Nightly: recompute every enterprise's report, `chunk_size` enterprises at a time. A chunk
    that fails is recomputed one enterprise at a time, so one enterprise's failure does not stop
    the night's run. Returns how many reports were kept."""
    count = 0
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    course_links = inputs.certification_courses()
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        try:
            count += len(readiness_recompute_many(enterprise_ids=chunk, now=now, course_links=course_links))
            continue
        except Exception:
            logger.exception("readiness recompute failed for a chunk from enterprise %s", chunk[0])
        for enterprise_id in chunk:
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
    today: datetime.date | None = None,
) -> RectificationTask:
    """A rectification task for a sub-item judged below "meets": an owner of the enterprise and a
    due date from `today` (default: today in Asia/Shanghai) to the re-check horizon
    (`rules.rectification_due_problem`) are required. Enterprise administrators and the
    district's officers create them. Raises ValidationError keyed by field (owner, due_date,
    title); PermissionDenied for anyone else."""
    if not may_manage_rectifications(actor, enterprise):
        raise PermissionDenied
    today = today or timezone.localdate()
    errors = {}
    owner = User.objects.filter(pk=owner_id, enterprise_id=enterprise.pk, is_active=True).first() if owner_id else None
    if owner is None:
        errors["owner"] = _("Choose the person of the enterprise who owns this rectification.")
    if due_date is None:
        errors["due_date"] = _("Give the date by which the rectification is due.")
    elif problem := rules.rectification_due_problem(due_date, today=today):
        errors["due_date"] = problem
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
    task = RectificationTask.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=task_id)
    if not may_update_rectification(actor, task):
        raise PermissionDenied
    if status not in RectificationTask.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if upload is not None:
        name = evidence_name(upload, evidence_type(upload))
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
