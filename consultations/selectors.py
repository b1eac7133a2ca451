"""Reads of consultations shaped for their pages and for the appraisal dashboard. Every list
starts from `trainees.access.consultations_visible_to`, and the query count does not grow with
rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, ModelLogEntry

from cms.search import search_pages
from trainees.access import consultations_visible_to
from trainees.models import CustomsUnit, User
from trainees.roles import Role

from . import rules
from .models import Consultation, ConsultationMessage, DistrictConsultationSetting, FaqPage

PAGE_SIZE = 25


# --- Lists and threads --------------------------------------------------------------------------


def consultation_list(
    *,
    user,
    status: str = "",
    overdue: bool = False,
    topic: str = "",
    mine: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Consultation]:
    """Consultations `user` may read, newest first, filtered by status, topic, "overdue" (awaiting
    an answer past its due time, `rules.is_overdue`) and "assigned to me". Rows carry the
    enterprise, district, asker and coordinator (one query per page)."""
    now = now or timezone.now()
    queryset = consultations_visible_to(user, Consultation.objects.all()).select_related(
        "enterprise", "customs_unit", "asked_by", "assignee", "criteria_area"
    )
    if status in Consultation.Status.values:
        queryset = queryset.filter(status=status)
    if topic in Consultation.Topic.values:
        queryset = queryset.filter(topic=topic)
    if overdue:
        queryset = queryset.filter(overdue_q(now))
    if mine:
        queryset = queryset.filter(assignee=user)
    return queryset.order_by("-asked_at", "-id")


def overdue_q(now: dt.datetime) -> Q:
    """The database form of `rules.is_overdue`."""
    return Q(status=rules.OPEN, due_at__lt=now)


def consultation_get(*, user, pk: int) -> Consultation:
    """One consultation `user` may read (Consultation.DoesNotExist otherwise: a 404)."""
    return (
        consultations_visible_to(user, Consultation.objects.all())
        .select_related("enterprise", "customs_unit", "asked_by", "assignee", "criteria_area", "faq_page")
        .get(pk=pk)
    )


def thread(*, consultation: Consultation) -> list[ConsultationMessage]:
    """The messages of a consultation in order, with their authors."""
    return list(consultation.messages.select_related("author").order_by("created_at", "id"))


def publication_names(
    *, consultation: Consultation, messages: list[ConsultationMessage] | None = None
) -> tuple[list[str], list[str]]:
    """(enterprise names, people's names) that must not appear in what is published of
    `consultation`: the enterprise's Chinese and English names; the names of the person who asked,
    of everyone who wrote in the thread and of the enterprise's staff (each as "family given" and
    "given family"). Three queries at most."""
    messages = thread(consultation=consultation) if messages is None else messages
    enterprise = consultation.enterprise
    people = {consultation.asked_by, *(m.author for m in messages if m.author is not None)}
    people |= set(enterprise.staff.all())
    person_names = [n for p in people for n in (p.get_full_name(), f"{p.first_name} {p.last_name}".strip())]
    return [enterprise.name_zh, enterprise.name_en], person_names


def history(*, consultation: Consultation) -> list[ModelLogEntry]:
    """The audit trail of a consultation (Wagtail's log: who did what, when)."""
    content_type = ContentType.objects.get_for_model(Consultation)
    return list(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(consultation.pk))
        .select_related("user")
        .order_by("timestamp", "id")
    )


# --- Routing ---------------------------------------------------------------------------------------


def _unit_chain(unit: CustomsUnit) -> list[int]:
    """The unit and its ancestors, nearest first (the tree has three levels)."""
    chain = [unit.pk]
    parent = unit.parent
    while parent is not None and len(chain) < 3:
        chain.append(parent.pk)
        parent = parent.parent
    return chain


def coordinators() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=Role.COORDINATOR.value, customs_unit__isnull=False)


def routed_coordinators(*, consultation: Consultation) -> list[User]:
    """Who a question goes to: the coordinator it is assigned to; otherwise the coordinators of
    its district, or of the nearest unit above that has some; GACC's once handed over to GACC (and
    when no unit on the way has any)."""
    if consultation.assignee_id is not None:
        return [consultation.assignee]
    gacc = list(coordinators().filter(customs_unit__level=CustomsUnit.Level.GACC))
    if consultation.at_gacc:
        return gacc
    by_unit: dict[int, list[User]] = {}
    for person in coordinators().filter(customs_unit_id__in=_unit_chain(consultation.customs_unit)):
        by_unit.setdefault(person.customs_unit_id, []).append(person)
    for unit_id in _unit_chain(consultation.customs_unit):
        if by_unit.get(unit_id) and unit_id not in {u.customs_unit_id for u in gacc}:
            return by_unit[unit_id]
    return gacc


def hand_over_candidates(*, consultation: Consultation, exclude: User | None = None) -> list[User]:
    """Coordinators a thread may be handed over to: those of its district and the units above
    (GACC's once it is with GACC), not the person handing over."""
    queryset = coordinators().select_related("customs_unit")
    if consultation.at_gacc:
        queryset = queryset.filter(customs_unit__level=CustomsUnit.Level.GACC)
    else:
        queryset = queryset.filter(customs_unit_id__in=_unit_chain(consultation.customs_unit)).exclude(
            customs_unit__level=CustomsUnit.Level.GACC
        )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return list(queryset.order_by("customs_unit__code", "last_name", "first_name").distinct())


def target_hours_for(*, unit: CustomsUnit) -> int:
    """The district's answer time (`rules.target_hours` over the unit and its ancestors)."""
    chain = _unit_chain(unit)
    settings = dict(
        DistrictConsultationSetting.objects.filter(customs_unit_id__in=chain).values_list(
            "customs_unit_id", "answer_target_hours"
        )
    )
    return rules.target_hours([settings.get(unit_id) for unit_id in chain])


def overdue_to_notify(*, now: dt.datetime) -> QuerySet[Consultation]:
    """Questions past their due time whose coordinators have not been told yet (a follow-up
    starts a new wait and clears the mark)."""
    return Consultation.objects.filter(overdue_q(now), overdue_notified_at__isnull=True).order_by("due_at", "id")


# --- Appraisal (issue 17, point 6) ----------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationFigures:
    """Consultations asked in a period and how they were answered.

    asked: questions asked in the period; answered: of those, answered at least once;
    answered_in_time: first answer no later than the district's answer time (`rules.answered_in_time`);
    in_time_rate: per cent (0-100, one decimal) of the questions whose fate is known — answered,
    or past due without an answer — that were answered in time (`rules.in_time_rate`);
    mean_rating: mean of the enterprises' ratings (1-5, two decimals), None when none was given."""

    asked: int
    answered: int
    answered_in_time: int
    in_time_rate: float
    mean_rating: float | None


def answered_in_time(
    *, district_ids: list[int] | None, start: dt.date | None, end: dt.date | None, now: dt.datetime | None = None
) -> ConsultationFigures:
    """Figures of the consultations asked to `district_ids` (customs unit ids, exactly these:
    pass a regional customs and its local customs to count them together; None = every district,
    GACC's view) between `start` and `end` (dates in Beijing time, both included; None = open).
    One query, whatever the number of rows."""
    now = now or timezone.now()
    queryset = Consultation.objects.all()
    if district_ids is not None:
        queryset = queryset.filter(customs_unit_id__in=district_ids)
    tz = timezone.get_default_timezone()
    if start is not None:
        queryset = queryset.filter(asked_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end is not None:
        queryset = queryset.filter(asked_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    figures = queryset.aggregate(
        asked=Count("id"),
        answered=Count("id", filter=Q(first_answered_at__isnull=False)),
        in_time=Count("id", filter=Q(first_answered_at__lte=F("first_due_at"))),
        late_unanswered=Count("id", filter=Q(first_answered_at__isnull=True, first_due_at__lt=now)),
        mean_rating=Avg("rating"),
    )
    mean = figures["mean_rating"]
    return ConsultationFigures(
        asked=figures["asked"],
        answered=figures["answered"],
        answered_in_time=figures["in_time"],
        in_time_rate=rules.in_time_rate(
            in_time=figures["in_time"], answered=figures["answered"], late_unanswered=figures["late_unanswered"]
        ),
        mean_rating=round(float(mean), 2) if mean is not None else None,
    )


# --- FAQ ---------------------------------------------------------------------------------------------


def faq_list(*, index, query: str = "", area_key: str = "") -> tuple[QuerySet[FaqPage], list[tuple[str, str]]]:
    """Published entries of one FAQ (one language), newest first, filtered by criteria area key
    and by a full-text search (Chinese words through `cms.search`); with the (key, name) of the
    areas entries explain, for the filter."""
    from readiness.models import CriteriaArea

    entries = FaqPage.objects.child_of(index).live().public().order_by("-first_published_at", "-id")
    if area_key:
        entries = entries.filter(criteria_areas__key=area_key)
    if query:
        found = search_pages(FaqPage.objects.live().filter(locale_id=index.locale_id), query)
        entries = entries.filter(pk__in=[page.pk for page in found])
    areas: dict[str, str] = {}
    for area in CriteriaArea.objects.filter(
        pk__in=FaqPage.criteria_areas.through.objects.filter(faqpage__in=FaqPage.objects.child_of(index).live()).values(
            "criteriaarea_id"
        )
    ).order_by("position"):
        areas.setdefault(area.key, str(area.name))
    return entries.distinct(), list(areas.items())


def related_faq(*, area_keys: list[str], limit: int = 5) -> dict[str, list[FaqPage]]:
    """Published FAQ entries of the active language (every Chinese entry has a page in each
    language: `services.faq_in_other_languages`) per criteria area key (areas of every edition
    share their key), at most `limit` per area, newest first. Three queries whatever the number
    of areas."""
    if not area_keys:
        return {}
    pages = (
        FaqPage.objects.live()
        .public()
        .filter(locale=Locale.get_active(), criteria_areas__key__in=area_keys)
        .prefetch_related(Prefetch("criteria_areas"))
        .order_by("-first_published_at", "-id")
        .distinct()
    )
    found: dict[str, list[FaqPage]] = {}
    for page in pages:
        for key in {area.key for area in page.criteria_areas.all()}:
            if key in area_keys and len(found.setdefault(key, [])) < limit:
                found[key].append(page)
    return found


def criteria_areas_in_force(*, today: dt.date) -> QuerySet:
    """The criteria areas of the advanced-level edition in force (what a question or an FAQ entry
    is about); every edition's areas when none is in force."""
    from readiness.models import CriteriaArea
    from readiness.selectors import edition_in_force

    edition = edition_in_force(today=today)
    areas = CriteriaArea.objects.select_related("edition").order_by("edition", "position")
    return areas.filter(edition=edition) if edition is not None else areas
