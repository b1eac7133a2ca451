"""Reads of surveys: the satisfaction figures the appraisal dashboard reads (`satisfaction`,
`trainer_results`), the results pages (per event, course, trainer and base) and a participant's
own surveys. Every function runs a fixed number of queries, whatever the number of rows.

Figures, everywhere the same: `invited` counts invitations (people who took part), `responses`
the responses received, `response_rate` = responses / invited in percent (0-100, one decimal)
and `mean_score` the mean of every Likert answer (1 = strongly disagree … 5 = strongly agree),
two decimals, None without any."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lms.translation import english_active

from . import rules
from .models import QuestionKind, ResponseReceipt, Survey, SurveyAnswer, SurveyInvitation, SurveyResponse


@dataclass(frozen=True)
class SatisfactionFigures:
    """invited: people asked; responses: answers received; response_rate: percent (0-100);
    mean_score: mean Likert score (1-5) or None without any answer."""

    invited: int
    responses: int
    response_rate: float
    mean_score: float | None


EMPTY = SatisfactionFigures(invited=0, responses=0, response_rate=0.0, mean_score=None)


def _figures(invited: int, responses: int, mean: float | None) -> SatisfactionFigures:
    return SatisfactionFigures(
        invited=invited,
        responses=responses,
        response_rate=rules.response_rate(invited=invited, responses=responses),
        mean_score=round(float(mean), 2) if mean is not None else None,
    )


def figures_of(surveys: QuerySet[Survey]) -> SatisfactionFigures:
    """The figures of a set of surveys together (three queries)."""
    ids = surveys.values("pk")
    invited = SurveyInvitation.objects.filter(survey__in=ids).count()
    responses = SurveyResponse.objects.filter(survey__in=ids).count()
    mean = SurveyAnswer.objects.filter(response__survey__in=ids, score__isnull=False).aggregate(m=Avg("score"))["m"]
    return _figures(invited, responses, mean)


def surveys_in(
    *, district_ids: Iterable[int] | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[Survey]:
    """Surveys of events dated within [start, end] (either may be None: open-ended) delivered by
    one of `district_ids` (None: every survey, national events included)."""
    qs = Survey.objects.all()
    if district_ids is not None:
        qs = qs.filter(customs_unit_id__in=list(district_ids))
    if start is not None:
        qs = qs.filter(event_date__gte=start)
    if end is not None:
        qs = qs.filter(event_date__lte=end)
    return qs


def satisfaction(*, district_ids: list[int] | None, start: dt.date | None, end: dt.date | None) -> SatisfactionFigures:
    """Satisfaction with the training that customs districts delivered, for the appraisal
    dashboard. `district_ids`: `trainees.CustomsUnit` ids whose events count — a survey belongs
    to the district that ran the event (the training base's unit); pass every unit of the
    viewer's scope (a regional customs and its local customs). None counts every survey, the
    national events (courses, live observation) included: GACC's view. `start`/`end`: event
    dates (Asia/Shanghai), inclusive, None for open-ended. Three queries for any amount of
    data; the same figures as the survey results page for the same filters."""
    return figures_of(surveys_in(district_ids=district_ids, start=start, end=end))


def _grouped(surveys: QuerySet[Survey], key: str) -> dict[object, SatisfactionFigures]:
    """Figures per value of `key` (a survey field path, e.g. "trainers" or "base"): three
    grouped queries. A survey counts once in each group it belongs to."""
    ids = surveys.values("pk")
    invited = dict(
        SurveyInvitation.objects.filter(survey__in=ids)
        .values_list(f"survey__{key}")
        .annotate(n=Count("pk"))
        .values_list(f"survey__{key}", "n")
    )
    responses = dict(
        SurveyResponse.objects.filter(survey__in=ids)
        .values_list(f"survey__{key}")
        .annotate(n=Count("pk"))
        .values_list(f"survey__{key}", "n")
    )
    means = dict(
        SurveyAnswer.objects.filter(response__survey__in=ids, score__isnull=False)
        .values_list(f"response__survey__{key}")
        .annotate(m=Avg("score"))
        .values_list(f"response__survey__{key}", "m")
    )
    keys = (set(invited) | set(responses)) - {None}
    return {k: _figures(invited.get(k, 0), responses.get(k, 0), means.get(k)) for k in keys}


def trainer_results(trainer_ids: list[int]) -> dict[int, SatisfactionFigures]:
    """Per trainer (user id): the figures of every survey of events they taught (training
    sessions they were a trainer of; courses, and their live sessions, listing them as trainer).
    Trainers without any survey get zero figures. Three queries for any number of trainers."""
    found = _grouped(Survey.objects.filter(trainers__in=list(trainer_ids)).distinct(), "trainers")
    return {tid: found.get(tid, EMPTY) for tid in trainer_ids}


# --- Results pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilters:
    """The filters of the results page (all optional)."""

    start: dt.date | None = None
    end: dt.date | None = None
    event_kind: str = ""
    course_key: uuid.UUID | None = None
    trainer_id: int | None = None
    base_id: int | None = None

    def apply(self, surveys: QuerySet[Survey]) -> QuerySet[Survey]:
        qs = surveys_in(start=self.start, end=self.end).filter(pk__in=surveys.values("pk"))
        if self.event_kind:
            qs = qs.filter(event_kind=self.event_kind)
        if self.course_key:
            qs = qs.filter(course_key=self.course_key)
        if self.trainer_id:
            qs = qs.filter(pk__in=Survey.objects.filter(trainers=self.trainer_id).values("pk"))
        if self.base_id:
            qs = qs.filter(base_id=self.base_id)
        return qs


def _count(model, **filters) -> Subquery:
    return Coalesce(
        Subquery(
            model.objects.filter(survey=OuterRef("pk"), **filters)
            .order_by()
            .values("survey")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


@dataclass(frozen=True)
class EventRow:
    survey: Survey
    figures: SatisfactionFigures


@dataclass(frozen=True)
class GroupRow:
    key: object
    label: str
    figures: SatisfactionFigures


@dataclass
class ResultsOverview:
    total: SatisfactionFigures
    events: list[EventRow]
    by_course: list[GroupRow] = field(default_factory=list)
    by_trainer: list[GroupRow] = field(default_factory=list)
    by_base: list[GroupRow] = field(default_factory=list)


def events_with_figures(surveys: QuerySet[Survey], *, limit: int = 200) -> list[EventRow]:
    """Each survey (newest event first) with its own figures: two queries."""
    rows = list(
        surveys.select_related("base")
        .annotate(n_invited=_count(SurveyInvitation), n_responses=_count(SurveyResponse))
        .order_by("-event_date", "-pk")[:limit]
    )
    means = dict(
        SurveyAnswer.objects.filter(response__survey__in=[s.pk for s in rows], score__isnull=False)
        .values_list("response__survey")
        .annotate(m=Avg("score"))
        .values_list("response__survey", "m")
    )
    return [EventRow(s, _figures(s.n_invited, s.n_responses, means.get(s.pk))) for s in rows]


def results_overview(surveys: QuerySet[Survey]) -> ResultsOverview:
    """The results page: totals, events, and groups per course, trainer and base (`surveys` is
    the viewer's scoped and filtered queryset). A fixed number of queries."""
    from courses.models import CoursePage
    from trainees.models import User
    from training_bases.models import TrainingBase

    by_course = _grouped(surveys.exclude(course_key=None), "course_key")
    by_trainer = _grouped(surveys, "trainers")
    by_base = _grouped(surveys.exclude(base=None), "base")
    course_titles: dict[object, str] = {}
    for key, language, title in CoursePage.objects.filter(translation_key__in=list(by_course)).values_list(
        "translation_key", "locale__language_code", "title"
    ):
        if key not in course_titles or language == _language():
            course_titles[key] = title
    names = {u.pk: u.get_full_name() or u.email for u in User.objects.filter(pk__in=list(by_trainer))}
    bases = {b.pk: b.name for b in TrainingBase.objects.filter(pk__in=list(by_base))}

    def rows(found: dict, labels: dict) -> list[GroupRow]:
        return sorted(
            (GroupRow(k, labels.get(k, str(k)), f) for k, f in found.items()),
            key=lambda r: (-r.figures.invited, r.label),
        )

    return ResultsOverview(
        total=figures_of(surveys),
        events=events_with_figures(surveys),
        by_course=rows(by_course, course_titles),
        by_trainer=rows(by_trainer, names),
        by_base=rows(by_base, bases),
    )


def _language() -> str:

    return "en" if english_active() else "zh-hans"


@dataclass(frozen=True)
class ItemResult:
    item: object  # SurveyItem
    counts: dict[int, int]  # Likert score → answers (empty for text items)
    mean: float | None
    answered: int
    texts: list[str]


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    figures: SatisfactionFigures
    shown: bool  # False: an anonymous survey with too few responses shows counts only
    items: list[ItemResult]


def survey_results(survey: Survey) -> SurveyResults:
    """One event's results: figures, per question the distribution of scores and the free
    texts (newest first). Six queries for any number of responses."""
    figures = figures_of(Survey.objects.filter(pk=survey.pk))
    shown = rules.results_shown(anonymous=survey.anonymous, responses=figures.responses)
    items = list(survey.items.all())
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    texts: dict[int, list[str]] = defaultdict(list)
    if shown:
        for item_id, score, n in (
            SurveyAnswer.objects.filter(item__survey=survey, score__isnull=False)
            .values_list("item_id", "score")
            .annotate(n=Count("pk"))
            .values_list("item_id", "score", "n")
        ):
            counts[item_id][score] = n
        for item_id, text in (
            SurveyAnswer.objects.filter(item__survey=survey, item__kind=QuestionKind.TEXT)
            .exclude(text="")
            .order_by("item_id", "text")
            .values_list("item_id", "text")
        ):
            texts[item_id].append(text)
    return SurveyResults(
        survey=survey,
        figures=figures,
        shown=shown,
        items=[
            ItemResult(
                item=item,
                counts=counts.get(item.pk, {}),
                mean=rules.likert_mean(counts.get(item.pk, {})),
                answered=sum(counts.get(item.pk, {}).values())
                if item.kind == QuestionKind.LIKERT
                else len(texts[item.pk]),
                texts=texts.get(item.pk, []),
            )
            for item in items
        ],
    )


def response_rows(survey: Survey) -> tuple[list, list[list]]:
    """Items and one row of answers per response for the export (named surveys: the person and
    time first). Three queries. Anonymous surveys with too few responses give no rows."""
    items = list(survey.items.all())
    responses = list(survey.responses.select_related("respondent").order_by("submitted_at", "pk"))
    if not rules.results_shown(anonymous=survey.anonymous, responses=len(responses)):
        return items, []
    answers: dict = defaultdict(dict)
    for response_id, item_id, score, text in SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "response_id", "item_id", "score", "text"
    ):
        answers[response_id][item_id] = score if score is not None else text
    if survey.anonymous:  # a stable order that says nothing about who answered when
        responses.sort(key=lambda r: str(r.pk))
    return items, [[r, [answers[r.pk].get(i.pk) for i in items]] for r in responses]


# --- Participants -------------------------------------------------------------------------------


def my_invitations(invitations: QuerySet[SurveyInvitation]) -> list[SurveyInvitation]:
    """The person's invitations (already scoped to them) with `answered`, newest event first."""
    return list(
        invitations.select_related("survey")
        .annotate(answered=Exists(ResponseReceipt.objects.filter(survey=OuterRef("survey"), user=OuterRef("user"))))
        .order_by("-survey__event_date", "-pk")
    )
