"""Pages of the feedback app: thin, access decided at the top through `trainees.access`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from trainees.access import enterprises_visible_to, may_record_certification_outcome, officer_required

from . import selectors, services
from .forms import OutcomeApplicationForm, OutcomeResultForm
from .models import CertificationOutcome


def _render_outcomes(request, enterprise, *, application_form=None, result_form=None, status=200):
    outcomes = list(selectors.outcome_list(enterprise=enterprise))
    pending = next((o for o in outcomes if o.result == CertificationOutcome.Result.PENDING), None)
    return render(
        request,
        "feedback/outcomes.html",
        {
            "enterprise": enterprise,
            "outcomes": outcomes,
            "pending": pending,
            "application_form": application_form or OutcomeApplicationForm(),
            "result_form": result_form or OutcomeResultForm(initial={"outcome": pending.pk if pending else None}),
        },
        status=status,
    )


@officer_required
def certification_outcomes(request, enterprise_id: int):
    """An enterprise's AEO certification applications and results; POST records either."""
    enterprise = get_object_or_404(
        enterprises_visible_to(request.user).select_related("customs_unit", "credit_level"), pk=enterprise_id
    )
    if not may_record_certification_outcome(request.user, enterprise):
        raise Http404
    if request.method != "POST":
        return _render_outcomes(request, enterprise)
    if request.POST.get("step") == "result":
        form = OutcomeResultForm(request.POST)
        if form.is_valid():
            outcome = CertificationOutcome.objects.filter(
                enterprise=enterprise, pk=form.cleaned_data["outcome"]
            ).first()
            if outcome is None:
                raise Http404
            try:
                services.outcome_result_record(
                    outcome_id=outcome.pk,
                    passed=form.cleaned_data["result"] == "passed",
                    decided_on=form.cleaned_data["decided_on"],
                    credit_level_code=form.cleaned_data["credit_level"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The result of the AEO certification has been recorded."))
                return redirect("feedback:certification_outcomes", enterprise_id=enterprise.pk)
        return _render_outcomes(request, enterprise, result_form=form, status=400)
    form = OutcomeApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.outcome_application_record(
                enterprise_id=enterprise.pk,
                applied_on=form.cleaned_data["applied_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The AEO certification application has been recorded."))
            return redirect("feedback:certification_outcomes", enterprise_id=enterprise.pk)
    return _render_outcomes(request, enterprise, application_form=form, status=400)
