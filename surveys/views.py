"""Survey pages: a participant's surveys and the answer form; results per event and overall (per
course, trainer and base) with charts and XLSX exports. Who may see what: `trainees.access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms import exports as spreadsheet
from trainees.access import may_see_survey_results, scoped, survey_invitations_of

from . import charts, rules, selectors, services
from .exports import overview_sheet, survey_sheet
from .forms import ResultFilterForm
from .models import QuestionKind, Survey, SurveyInvitation


def _likert_labels() -> list[tuple[int, str]]:
    return [
        (1, _("Strongly disagree")),
        (2, _("Disagree")),
        (3, _("Neutral")),
        (4, _("Agree")),
        (5, _("Strongly agree")),
    ]


def _status(invitation: SurveyInvitation, now) -> str:
    survey = invitation.survey
    return (
        rules.answer_refusal(
            now=now,
            opens_at=survey.opens_at,
            survey_closes_at=survey.closes_at,
            invitation_closes_at=invitation.closes_at,
            answered=invitation.answered,
        )
        or "open"
    )


@require_GET
@login_required
def my_surveys(request):
    """The surveys a person was invited to: open ones to answer, the others with their state."""
    invitations = selectors.my_invitations(survey_invitations_of(request.user, SurveyInvitation.objects.all()))
    now = timezone.now()
    rows = [{"invitation": i, "survey": i.survey, "status": _status(i, now)} for i in invitations]
    return render(request, "surveys/my_surveys.html", {"rows": rows})


def _invitation(request, survey_id: int) -> SurveyInvitation:
    invitation = (
        survey_invitations_of(request.user, SurveyInvitation.objects.all())
        .select_related("survey")
        .filter(survey_id=survey_id)
        .first()
    )
    if invitation is None:  # not invited (another enterprise's survey): not found
        raise Http404
    return invitation


@require_http_methods(["GET", "POST"])
@login_required
def respond(request, survey_id: int):
    """The answer form of one survey; answering twice, before the opening or after the close is
    refused with a message (400)."""
    invitation = _invitation(request, survey_id)
    survey = invitation.survey
    items = list(survey.items.all())
    posted = {i.pk: request.POST.get(f"item-{i.pk}", "") for i in items} if request.method == "POST" else {}
    problems: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        try:
            services.response_submit(survey_id=survey.pk, user=request.user, posted=posted)
        except services.AnswersInvalid as exc:
            problems, status = exc.problems, 400
            messages.error(request, exc.messages[0])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, _("Thank you! Your answers were recorded."))
            return redirect("surveys:my_surveys")
    invitation.answered = survey.receipts.filter(user=request.user).exists()
    refusal = _status(invitation, timezone.now())
    context = {
        "survey": survey,
        "invitation": invitation,
        "refusal": None if refusal == "open" else str(services.REFUSALS[refusal]),
        "items": [
            {
                "item": i,
                "value": posted.get(i.pk, ""),
                "problem": problems.get(i.pk),
                "likert": i.kind == QuestionKind.LIKERT,
            }
            for i in items
        ],
        "scale": _likert_labels(),
    }
    return render(request, "surveys/respond.html", context, status=status)


def _results_access(request) -> None:
    if not may_see_survey_results(request.user):
        raise PermissionDenied(_("Survey results are for customs officers and trainers."))


def _managed_survey(request, survey_id: int) -> Survey:
    _results_access(request)
    survey = scoped(Survey, request.user).filter(pk=survey_id).first()
    if survey is None:  # another district's survey: not found
        raise Http404
    return survey


def _overview(request):
    form = ResultFilterForm(request.GET or None)
    surveys = form.filters().apply(scoped(Survey, request.user))
    return form, selectors.results_overview(surveys)


@require_GET
@login_required
def results(request):
    """Figures of every survey the viewer may see, filtered, per event, course, trainer and base."""
    _results_access(request)
    form, overview = _overview(request)
    events = overview.events[:20]
    context = {
        "form": form,
        "overview": overview,
        "query": request.GET.urlencode(),
        "chart_means": charts.value_bars(
            [(r.survey.title, r.figures.mean_score) for r in events], title=_("Mean score per event (1-5)"), maximum=5
        ),
        "chart_rates": charts.value_bars(
            [(r.survey.title, r.figures.response_rate) for r in events],
            title=_("Response rate per event"),
            maximum=100,
            unit="%",
        ),
        "chart_trainers": charts.value_bars(
            [(r.label, r.figures.mean_score) for r in overview.by_trainer[:20]],
            title=_("Mean score per trainer (1-5)"),
            maximum=5,
        ),
    }
    return render(request, "surveys/results.html", context)


@require_GET
@login_required
def results_xlsx(request):
    _results_access(request)
    form, overview = _overview(request)
    f = form.filters()
    period = f"{f.start or '…'} – {f.end or '…'}"
    return spreadsheet.response(overview_sheet(overview, preamble=[period]), filename="survey-results")


@require_GET
@login_required
def survey_results(request, survey_id: int):
    """One event's results: response rate, a bar of answers per question, the free texts."""
    survey = _managed_survey(request, survey_id)
    result = selectors.survey_results(survey)
    items = [
        {
            "result": r,
            "chart": charts.likert_bar(r.counts, title=r.item.text) if r.item.kind == QuestionKind.LIKERT else None,
        }
        for r in result.items
    ]
    context = {
        "survey": survey,
        "result": result,
        "items": items,
        "scale": _likert_labels(),
        "colours": charts.LIKERT_COLOURS,
        "min_responses": rules.MIN_ANONYMOUS_RESULTS,
    }
    return render(request, "surveys/survey_results.html", context)


@require_GET
@login_required
def survey_results_xlsx(request, survey_id: int):
    survey = _managed_survey(request, survey_id)
    return spreadsheet.response(survey_sheet(survey), filename=f"survey-{survey.pk}")
