"""Survey results as spreadsheets, through the one writer (`lms.exports`)."""

from __future__ import annotations

from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.exports import Sheet

from .models import QuestionKind, Survey
from .selectors import ResultsOverview, response_rows


def _mean(value: float | None):
    return value if value is not None else ""


def overview_sheet(overview: ResultsOverview, *, preamble: list[str]) -> Sheet:
    """One row per event, course, trainer and base with invited, responses, rate and mean."""
    rows = []
    for row in overview.events:
        f = row.figures
        rows.append(
            [
                _("Event"),
                row.survey.title,
                row.survey.event_date,
                f.invited,
                f.responses,
                f.response_rate,
                _mean(f.mean_score),
            ]
        )
    for label, group in (
        (_("Course"), overview.by_course),
        (_("Trainer"), overview.by_trainer),
        (_("Training base"), overview.by_base),
    ):
        for row in group:
            f = row.figures
            rows.append([label, row.label, None, f.invited, f.responses, f.response_rate, _mean(f.mean_score)])
    t = overview.total
    rows.append([_("Total"), "", None, t.invited, t.responses, t.response_rate, _mean(t.mean_score)])
    return Sheet(
        title=_("Survey results"),
        header=[
            _("Per"),
            pgettext("thing", "Name"),
            _("Event date"),
            _("Invited"),
            _("Responses"),
            _("Response rate (%)"),
            _("Mean score (1-5)"),
        ],
        rows=rows,
        preamble=[_("Survey results"), *preamble, ""],
        widths=[14, 48, 12, 10, 10, 16, 16],
        wrap_columns=[1],
    )


def survey_sheet(survey: Survey) -> Sheet:
    """One row per response (anonymous: no person, no time), one column per question."""
    items, rows = response_rows(survey)
    named = not survey.anonymous
    header = ([_("Respondent"), _("Submitted at")] if named else []) + [
        f"{i.position}. {i.text}" + (" (1-5)" if i.kind == QuestionKind.LIKERT else "") for i in items
    ]
    out = []
    for response, values in rows:
        lead = (
            [
                response.respondent.get_full_name() or response.respondent.email,
                f"{localtime(response.submitted_at):%Y-%m-%d %H:%M}",
            ]
            if named
            else []
        )
        out.append(lead + values)
    return Sheet(
        title=_("Responses"),
        header=header,
        rows=out,
        preamble=[survey.title, f"{_('Event date')}: {survey.event_date.isoformat()}", ""],
        widths=([20, 18] if named else []) + [30] * len(items),
        wrap_columns=list(range(len(header))),
    )
