"""Self-assessment pages: enterprise staff judge their enterprise against an edition, attach
evidence, record their figures and submit; officers of the district read. Thin: the access
check first (trainees' permission helpers), then a selector or a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms.translation import english_active
from trainees.access import enterprises_visible_to, is_customs_officer
from trainees.models import Consent, Enterprise, Position
from trainees.services import consent_record

from . import rules, selectors, services
from .forms import AssignForm, EvidenceForm, FinancialProfileForm, FinancialYearFormSet, JudgementForm
from .models import FIGURES, AssessmentVersion, CriteriaEdition, Evidence, FinancialProfile, FinancialYear, Judgement


def _today():
    return timezone.localdate()


def _visible_assessment(user, pk: int):
    """The assessment if the user may see its enterprise; 404 otherwise (no hint it exists)."""
    return get_object_or_404(selectors.assessments_visible_to(user), pk=pk)


def _editable_assessment(user, pk: int):
    assessment = _visible_assessment(user, pk)
    if not services.can_edit(user, assessment):
        raise PermissionDenied
    return assessment


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _judgement(assessment, criterion: int) -> Judgement:
    return get_object_or_404(
        Judgement.objects.select_related("criterion", "assessment"), assessment=assessment, criterion_id=criterion
    )


@login_required
def assessment_list(request):
    if request.user.enterprise_id is None and not is_customs_officer(request.user):
        raise PermissionDenied
    editions = []
    if request.user.enterprise_id is not None:
        editions = list(CriteriaEdition.objects.all())
    return render(
        request,
        "readiness/assessment_list.html",
        {
            "assessments": selectors.assessment_list(user=request.user),
            "editions": editions,
            "in_force": selectors.edition_in_force(today=_today()),
            "is_staff_of_enterprise": request.user.enterprise_id is not None,
        },
    )


@login_required
@require_POST
def assessment_start(request, edition: str):
    if request.user.enterprise_id is None:
        raise PermissionDenied
    edition = get_object_or_404(CriteriaEdition, code=edition)
    enterprise = get_object_or_404(Enterprise, pk=request.user.enterprise_id)
    assessment = services.assessment_start(enterprise=enterprise, edition=edition, user=request.user)
    return redirect("readiness:assessment_detail", pk=assessment.pk)


@login_required
def assessment_detail(request, pk: int):
    return _render_assessment(request, _visible_assessment(request.user, pk))


def _render_assessment(
    request,
    assessment,
    *,
    criterion: int | None = None,
    judgement_form: JudgementForm | None = None,
    evidence_errors: list[str] | None = None,
    assign_form: AssignForm | None = None,
    ticked: set[int] | None = None,
    status: int = 200,
):
    """The self-assessment page. After a refused form it shows that sub-item's form as typed
    with its messages (`criterion` with `judgement_form` or `evidence_errors`), or the assignment
    form with the ticked sub-items kept; status 400 then."""
    editable = services.can_edit(request.user, assessment)
    page = selectors.assessment_page(assessment=assessment)
    verdict = selectors.assessment_verdict(
        assessment=assessment, criteria=page["criteria"], judgements=page["judgements"], today=_today()
    )
    results = {int(r.key): r for r in verdict.sub_items}
    for area in page["tree"]:
        for item in area["items"]:
            for row in item["rows"]:
                judgement = row["judgement"]
                pk = row["criterion"].pk
                row["result"] = results[pk]
                row["may_judge"] = editable and judgement is not None and services.can_judge(request.user, judgement)
                row["ticked"] = pk in (ticked or ())
                if criterion == pk and judgement_form is not None:
                    row["form"] = judgement_form
                else:
                    row["form"] = JudgementForm(
                        initial={"value": judgement.value, "reason": judgement.reason, "notes": judgement.notes}
                        if judgement
                        else None,
                        prefix=f"c{pk}",
                    )
                row["evidence_errors"] = evidence_errors if criterion == pk else None
    return render(
        request,
        "readiness/assessment_detail.html",
        {
            "assessment": assessment,
            "edition": assessment.edition,
            "page": page,
            "verdict": verdict,
            "editable": editable,
            "administers": editable and request.user.administers_enterprise,
            "assign_form": assign_form or AssignForm(),
            "positions": Position.choices,
            "evidence_form": EvidenceForm(),
        },
        status=status,
    )


@login_required
@require_POST
def judgement_save(request, pk: int, criterion: int):
    """Save one sub-item's judgement; a refusal shows the page again with what was typed and the
    messages on that sub-item's fields (400). Asked for JSON (the page's autosave), it answers
    200 {"saved": true, "saved_at", "status"} or 4xx {"saved": false, "error", "errors"}."""
    if _wants_json(request):
        return _judgement_save_json(request, pk, criterion)
    assessment = _editable_assessment(request.user, pk)
    judgement = _judgement(assessment, criterion)
    form = _judgement_form_save(request, judgement, criterion)
    if not form.errors:
        messages.success(request, _saved_message(judgement))
        return redirect(reverse("readiness:assessment_detail", args=[pk]) + f"#c{criterion}")
    return _render_assessment(request, assessment, criterion=criterion, judgement_form=form, status=400)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _judgement_form_save(request, judgement: Judgement, criterion: int) -> JudgementForm:
    """Validate the sub-item's form and save it through the service; the form carries the
    refusals (none when saved)."""
    form = JudgementForm(request.POST, prefix=f"c{criterion}")
    if form.is_valid():
        try:
            services.judgement_save(
                judgement=judgement,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                notes=form.cleaned_data["notes"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error("reason" if form.cleaned_data["value"] == Judgement.Value.NOT_APPLICABLE else None, exc)
    return form


def _judgement_save_json(request, pk: int, criterion: int) -> JsonResponse:
    try:
        assessment = _editable_assessment(request.user, pk)
        judgement = _judgement(assessment, criterion)
        form = _judgement_form_save(request, judgement, criterion)
    except Http404:
        return JsonResponse({"saved": False, "error": _("This sub-item was not found.")}, status=404)
    except PermissionDenied:
        return JsonResponse({"saved": False, "error": _("You may not judge this sub-item.")}, status=403)
    if form.errors:
        errors = {field: [str(message) for message in messages_] for field, messages_ in form.errors.items()}
        text = " ".join(message for messages_ in errors.values() for message in messages_)
        return JsonResponse({"saved": False, "error": text, "errors": errors}, status=400)
    saved_at = timezone.localtime(judgement.updated_at)
    return JsonResponse(
        {
            "saved": True,
            "saved_at": saved_at.isoformat(),
            "status": pgettext("draft", "Saved %(time)s") % {"time": f"{saved_at:%H:%M}"},
        }
    )


def _saved_message(judgement: Judgement) -> str:
    return _("Saved %(code)s.") % {"code": judgement.criterion.code or judgement.criterion.sequence}


@login_required
@require_POST
def evidence_upload(request, pk: int, criterion: int):
    """Attach a file to one sub-item; a refusal (no consent, a file of the wrong type or named
    for another type, too large) shows the page again with the message on that sub-item (400)."""
    assessment = _editable_assessment(request.user, pk)
    judgement = _judgement(assessment, criterion)
    form = EvidenceForm(request.POST, request.FILES)
    errors: list[str] = []
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
    else:
        try:
            evidence = services.evidence_add(judgement=judgement, upload=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            consent_record(user=request.user, purpose=Consent.Purpose.EVIDENCE)
            messages.success(request, _("Attached %(name)s.") % {"name": evidence.name})
            return redirect(reverse("readiness:assessment_detail", args=[pk]) + f"#c{criterion}")
    return _render_assessment(request, assessment, criterion=criterion, evidence_errors=errors, status=400)


@login_required
def evidence_download(request, pk: int, evidence: int):
    assessment = _visible_assessment(request.user, pk)
    item = get_object_or_404(Evidence, pk=evidence, assessment=assessment)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=item.name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def assign(request, pk: int):
    """Assign the ticked sub-items to a position; with none ticked the page shows again with the
    position chosen and a message (400)."""
    assessment = _editable_assessment(request.user, pk)
    form = AssignForm(request.POST)
    ids = [int(v) for v in request.POST.getlist("criterion") if v.isdigit() and len(v) < 12]
    if form.is_valid() and ids:
        try:
            count = services.judgements_assign(
                assessment=assessment, criterion_ids=ids, position=form.cleaned_data["position"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("position", exc)
        else:
            messages.success(request, _("%(count)s sub-items assigned.") % {"count": count})
            return redirect("readiness:assessment_detail", pk=pk)
    elif form.is_valid():
        form.add_error(None, _("Tick the sub-items to assign and choose a position."))
    return _render_assessment(request, assessment, assign_form=form, ticked=set(ids), status=400)


@login_required
@require_POST
def submit(request, pk: int):
    assessment = _editable_assessment(request.user, pk)
    try:
        version = services.assessment_submit(assessment=assessment, user=request.user, today=_today())
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("readiness:assessment_detail", pk=pk)
    messages.success(request, _("Version %(number)s submitted.") % {"number": version.number})
    return redirect("readiness:version_detail", pk=pk, number=version.number)


@login_required
def version_detail(request, pk: int, number: int):
    assessment = _visible_assessment(request.user, pk)
    version = get_object_or_404(
        AssessmentVersion.objects.select_related("submitted_by"), assessment=assessment, number=number
    )
    groups = [
        {**g, "label": _group_label(g), "judgement_label": _judgement_label(g.get("judgement"))}
        for g in version.financial.get("groups", [])
    ]
    return render(
        request,
        "readiness/version_detail.html",
        {
            "assessment": assessment,
            "version": version,
            "versions": assessment.versions.all(),
            "rows": [_snapshot_row(row) for row in version.snapshot.get("sub_items", [])],
            "groups": groups,
            "blocking": _frozen_blocking(version),
        },
    )


def _group_label(group: dict) -> str:
    """A frozen financial check group in the page's language (as frozen if its key is unknown)."""
    label = rules.GROUP_LABELS.get(group.get("key"))
    return str(label) if label is not None else group.get("label", "")


def _frozen_blocking(version: AssessmentVersion) -> list[str]:
    """The version's blocking reasons in the page's language, frozen at submission."""
    version.blocking_by_language = version.snapshot.get("blocking_by_language")
    return selectors.blocking_in_language(version)


def _judgement_label(value: str | None) -> str:
    """A judgement value of a frozen version in words ("basic" → 基本达标); "—" when none."""
    try:
        return str(rules.JUDGEMENT_LABELS[rules.Judgement(value)])
    except ValueError:
        return "—"


def _snapshot_row(row: dict | None) -> dict | None:
    """A frozen sub-item as the page shows it: its judgement in words, its wording in the page's
    language (as frozen)."""
    if row is None:
        return None
    english = english_active()
    text = (english and row.get("text_en")) or row.get("text_zh", "")
    return {**row, "judgement_label": _judgement_label(row.get("judgement")), "text": text}


@login_required
def version_compare(request, pk: int):
    assessment = _visible_assessment(request.user, pk)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, _("Choose two versions to compare."))
        return redirect("readiness:assessment_detail", pk=pk)
    versions = {v.number: v for v in AssessmentVersion.objects.filter(assessment=assessment, number__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404
    older, newer = sorted([versions[a], versions[b]], key=lambda v: v.number)
    return render(
        request,
        "readiness/version_compare.html",
        {
            "assessment": assessment,
            "older": older,
            "newer": newer,
            "changes": [
                {**change, "before": _snapshot_row(change["before"]), "after": _snapshot_row(change["after"])}
                for change in services.versions_compare(older, newer)
            ],
        },
    )


@login_required
def financials_edit(request):
    if request.user.enterprise_id is None:
        raise PermissionDenied
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=request.user.enterprise_id)
    rows = list(FinancialYear.objects.filter(enterprise=enterprise).order_by("-year")[:5])
    latest = _today().year - 1
    initial = [{"year": r.year, "audit_opinion": r.audit_opinion, **{n: getattr(r, n) for n in FIGURES}} for r in rows]
    known = {r.year for r in rows}
    initial += [{"year": y} for y in range(latest, latest - 5, -1) if y not in known][: 5 - len(initial)]
    initial.sort(key=lambda row: -row["year"])
    profile = FinancialProfile.objects.filter(enterprise=enterprise).first()
    if request.method == "POST":
        formset = FinancialYearFormSet(request.POST, prefix="y")
        profile_form = FinancialProfileForm(request.POST)
        if formset.is_valid() and profile_form.is_valid():
            try:
                services.financials_save(
                    enterprise=enterprise,
                    years=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                    is_manufacturer=profile_form.cleaned_data["is_manufacturer"],
                    user=request.user,
                )
                messages.success(request, _("Financial figures saved."))
                return redirect("readiness:financials")
            except ValidationError as exc:
                messages.error(request, _errors(exc))
        else:
            messages.error(request, _("Please correct the figures marked below."))
    else:
        formset = FinancialYearFormSet(initial=initial, prefix="y")
        profile_form = FinancialProfileForm(initial={"is_manufacturer": bool(profile and profile.is_manufacturer)})
    checks = [
        (edition, selectors.financial_check(enterprise_id=enterprise.pk, edition=edition, today=_today()))
        for edition in CriteriaEdition.objects.exclude(financial_method="none")
    ]
    return render(
        request,
        "readiness/financials.html",
        {
            "enterprise": enterprise,
            "formset": formset,
            "profile_form": profile_form,
            "checks": checks,
            "figures": FIGURES,
            "may_be_negative": _listed(str(rules.FIGURE_LABELS[name]) for name in rules.MAY_BE_NEGATIVE_FIGURES),
        },
    )


def _listed(words) -> str:
    """Words as a list in the page's language: "净利润、毛利" / "Net profit, gross profit"."""
    words = list(words)
    if not english_active():
        return "、".join(words)
    text = ", ".join(words)
    return text[:1].upper() + text[1:]
