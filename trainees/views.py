"""Pages for enterprises (their enterprise, applications and outcome, staff invitations) and for
customs officers (enterprises of their district, lifecycle, selection rounds, import). Thin:
permission check first, then a selector or a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms import exports
from lms.links import site_url
from lms.params import int_param

from . import rules, selectors, services
from .access import (
    can_manage_enterprise,
    enterprises_visible_to,
    is_customs_officer,
    officer_required,
    rounds_visible_to,
    staff_required,
)
from .forms import (
    AdjustmentForm,
    ApplicationForm,
    ImportForm,
    InviteForm,
    KeyEnterpriseForm,
    OtherNomineeFormSet,
    TransitionForm,
)
from .importing import ImportRejected, enterprise_import, import_job_confirm, import_job_start, read_rows
from .models import (
    CultivationStatus,
    Enterprise,
    EnterpriseInvitation,
    ImportJob,
    SelectionRound,
    TrainingApplication,
    TrainingType,
)

# Rows per page of the officers' long lists (enterprises, applications, rounds).
OFFICER_LIST_PAGE_SIZE = 25


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def home(request):
    if is_customs_officer(request.user):
        return redirect("trainees:round_list")
    if request.user.enterprise_id is not None:
        return redirect("trainees:my_enterprise")
    raise PermissionDenied(_("Your account is not linked to an enterprise or a customs unit."))


# --------------------------------------------------------------------------------------------
# Enterprise staff
# --------------------------------------------------------------------------------------------


@staff_required
def my_enterprise(request):
    enterprise = get_object_or_404(
        Enterprise.objects.select_related("customs_unit", "credit_level").prefetch_related("business_types"),
        pk=request.user.enterprise_id,
    )
    applications = list(selectors.enterprise_applications(enterprise))
    rows = []
    for application in applications:
        decision = getattr(application, "decision", None) if application.round.is_published else None
        rows.append(
            {
                "application": application,
                "decision": decision,
                "reasons": rules.describe_reasons(decision.reasons) if decision else "",
                "nominees": list(application.nominees.all()),
            }
        )
    return render(
        request,
        "trainees/my_enterprise.html",
        {
            "enterprise": enterprise,
            "rows": rows,
            "staff": enterprise.staff.order_by("last_name", "first_name"),
            "can_invite": request.user.administers_enterprise,
            "invite_form": InviteForm(),
            "invitations": (
                enterprise.invitations.filter(accepted_at=None).select_related("invited_by")[:50]
                if request.user.administers_enterprise
                else []
            ),
            "now": timezone.now(),
            "open_rounds": services.open_rounds_for(enterprise),
            "events": enterprise.cultivation_events.select_related("actor")[:10],
        },
    )


@staff_required
def application_create(request):
    enterprise = get_object_or_404(Enterprise.objects.select_related("customs_unit"), pk=request.user.enterprise_id)
    if not request.user.administers_enterprise:
        raise PermissionDenied(_("Only the enterprise's administrator can apply for training."))
    rounds = services.open_rounds_for(enterprise)
    staff = enterprise.staff.order_by("last_name", "first_name")
    form = ApplicationForm(request.POST or None, rounds=rounds, staff=staff)
    others = OtherNomineeFormSet(request.POST or None, prefix="others")
    if request.method == "POST" and form.is_valid() and others.is_valid():
        nominees = [
            services.NomineeData(name=str(u), position=u.position, user_id=u.id, email=u.email)
            for u in form.cleaned_data["staff"]
        ]
        nominees += [
            services.NomineeData(name=f["name"], position=f["position"], email=f.get("email") or "")
            for f in others.cleaned_data
            if f.get("name")
        ]
        try:
            services.application_submit(
                enterprise_id=enterprise.id,
                round_id=form.cleaned_data["round"].id,
                training_type=form.cleaned_data["training_type"],
                willingness=form.cleaned_data["willingness"],
                planned_aeo_application_date=form.cleaned_data["planned_aeo_application_date"],
                willingness_evidence=form.cleaned_data["willingness_evidence"],
                preferred_bases=form.cleaned_data["preferred_bases"],
                nominees=nominees,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your application has been submitted."))
            return redirect("trainees:my_enterprise")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "trainees/application_form.html",
        {"form": form, "others": others, "enterprise": enterprise, "rounds": rounds},
        status=status,
    )


@staff_required
@require_POST
def staff_invite(request):
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address and position."))
        return redirect("trainees:my_enterprise")
    accept_url = site_url(reverse("trainees:invitation_accept", args=["TOKEN"])).replace("TOKEN", "{token}")
    try:
        services.invitation_send(
            enterprise_id=request.user.enterprise_id,
            email=form.cleaned_data["email"],
            position=form.cleaned_data["position"],
            actor=request.user,
            accept_url=accept_url,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The invitation has been sent to %(email)s.") % form.cleaned_data)
    return redirect("trainees:my_enterprise")


@staff_required
@require_POST
def invitation_revoke(request, pk):
    # Another enterprise's invitation does not exist for this user (404); colleagues who do not
    # administer the enterprise may not revoke (403).
    invitation = get_object_or_404(
        EnterpriseInvitation.objects.select_related("enterprise"),
        pk=pk,
        enterprise__in=enterprises_visible_to(request.user).filter(id=request.user.enterprise_id),
    )
    if not can_manage_enterprise(request.user, invitation.enterprise):
        raise PermissionDenied(_("Only the enterprise's administrator can revoke invitations."))
    try:
        services.invitation_revoke(invitation_id=invitation.pk, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The invitation to %(email)s has been revoked.") % {"email": invitation.email})
    return redirect("trainees:my_enterprise")


@login_required
def invitation_accept(request, token):
    invitation = services.invitation_get(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Welcome to %(enterprise)s.") % {"enterprise": invitation.enterprise.name})
            return redirect("trainees:my_enterprise")
    return render(request, "trainees/invitation.html", {"invitation": invitation})


# --------------------------------------------------------------------------------------------
# Customs officers
# --------------------------------------------------------------------------------------------


@officer_required
def enterprise_list(request):
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    page = selectors.enterprise_list_page(
        user=request.user,
        status=status,
        query=query,
        page_number=request.GET.get("page"),
        per_page=OFFICER_LIST_PAGE_SIZE,
    )
    return render(
        request,
        "trainees/enterprise_list.html",
        {"page": page, "status": status, "query": query, "statuses": CultivationStatus.choices},
    )


def _visible_enterprise(request, pk) -> Enterprise:
    return get_object_or_404(
        enterprises_visible_to(request.user).select_related("customs_unit", "credit_level", "key_enterprise_set_by"),
        pk=pk,
    )


@officer_required
def enterprise_detail(request, pk):
    enterprise = _visible_enterprise(request, pk)
    return _render_enterprise(request, enterprise)


def _render_enterprise(request, enterprise, *, transition_form=None, key_form=None, status=200):
    actions = rules.allowed_actions(enterprise.cultivation_status)
    return render(
        request,
        "trainees/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "transition_form": transition_form or TransitionForm(actions=actions),
            "actions": actions,
            "key_form": key_form
            or KeyEnterpriseForm(
                initial={"is_key": enterprise.is_key_enterprise, "reason": enterprise.key_enterprise_reason}
            ),
            "events": enterprise.cultivation_events.select_related("actor")[:50],
            "applications": selectors.enterprise_applications(enterprise),
            "staff": enterprise.staff.order_by("last_name", "first_name"),
        },
        status=status,
    )


@officer_required
@require_POST
def enterprise_transition(request, pk):
    enterprise = _visible_enterprise(request, pk)
    form = TransitionForm(request.POST, actions=rules.allowed_actions(enterprise.cultivation_status))
    if form.is_valid():
        try:
            services.cultivation_transition(
                enterprise_id=enterprise.id,
                action=form.cleaned_data["action"],
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
                evidence_reference=form.cleaned_data["evidence_reference"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cultivation status has been updated."))
            return redirect("trainees:enterprise_detail", pk=enterprise.pk)
    return _render_enterprise(request, enterprise, transition_form=form, status=400)


@officer_required
@require_POST
def enterprise_key(request, pk):
    enterprise = _visible_enterprise(request, pk)
    form = KeyEnterpriseForm(request.POST)
    if form.is_valid():
        try:
            services.enterprise_set_key(
                enterprise_id=enterprise.id,
                actor=request.user,
                is_key=form.cleaned_data["is_key"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The key enterprise flag has been saved."))
            return redirect("trainees:enterprise_detail", pk=enterprise.pk)
    return _render_enterprise(request, enterprise, key_form=form, status=400)


@officer_required
def application_list(request):
    rounds = list(rounds_visible_to(request.user).values("id", "name"))
    round_id = int_param(request.GET.get("round"))
    page = selectors.application_list_page(
        user=request.user, round_id=round_id, page_number=request.GET.get("page"), per_page=OFFICER_LIST_PAGE_SIZE
    )
    return render(request, "trainees/application_list.html", {"page": page, "rounds": rounds, "round_id": round_id})


@officer_required
def round_list(request):
    rounds = (
        rounds_visible_to(request.user)
        .select_related("customs_unit", "policy")
        .annotate(application_count=Count("applications", distinct=True))
        .order_by("-applications_close_on", "-id")
    )
    page = Paginator(rounds, OFFICER_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trainees/round_list.html", {"rounds": page, "page": page})


def _visible_round(request, pk) -> SelectionRound:
    return get_object_or_404(rounds_visible_to(request.user).select_related("customs_unit", "policy"), pk=pk)


def _training_type(request) -> str:
    value = request.GET.get("type") or request.POST.get("type") or TrainingType.COMPLIANCE
    if value not in TrainingType.values:
        raise Http404
    return value


@officer_required
def round_detail(request, pk, adjust_form=None, status=200):
    round_ = _visible_round(request, pk)
    training_type = _training_type(request)
    rows = selectors.round_preview(round_, training_type=training_type, user=request.user)
    for row in rows:
        row.reason_text = rules.describe_reasons(row.reasons)
    capacities = [c for c in round_.capacities.all() if c.training_type == training_type]
    counts = {o: sum(1 for r in rows if r.outcome == o) for o in ("listed", "not_selected", "ineligible", "excluded")}
    loads = selectors.round_base_loads(round_)
    over = [load for load in loads if load.over]
    return render(
        request,
        "trainees/round_detail.html",
        {
            "round": round_,
            "training_type": training_type,
            "training_types": TrainingType.choices,
            "rows": rows,
            "capacities": capacities,
            "seats": sum(c.seats for c in capacities),
            "listed_people": sum(len(r.listed) for r in rows),
            "counts": counts,
            "base_loads": [
                (rules.base_label(load.base_slug), load) for load in loads if load.training_type == training_type
            ],
            "over_quota": services.over_quota_message(over) if over else "",
            "adjust_form": adjust_form or AdjustmentForm(),
            "adjustments": round_.adjustments.select_related("application__enterprise", "actor")[:50],
        },
        status=status,
    )


@officer_required
@require_POST
def round_adjust(request, pk):
    round_ = _visible_round(request, pk)
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        application = get_object_or_404(
            TrainingApplication.objects.filter(enterprise__in=enterprises_visible_to(request.user).values("id")),
            pk=form.cleaned_data["application"],
            round=round_,
        )
        try:
            services.key_list_adjust(
                round_id=round_.id,
                application_id=application.id,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The adjustment has been recorded."))
    else:
        messages.error(request, _("Write the reason for the adjustment: it is kept in the audit trail."))
    return redirect(f"{reverse('trainees:round_detail', args=[round_.pk])}?type={_posted_type(request)}")


def _posted_type(request) -> str:
    value = request.POST.get("type", TrainingType.COMPLIANCE)
    return value if value in TrainingType.values else TrainingType.COMPLIANCE


@officer_required
@require_POST
def round_close(request, pk):
    round_ = _visible_round(request, pk)
    try:
        services.round_close(round_id=round_.id, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Applications are closed; the selection can be run."))
    return redirect("trainees:round_detail", pk=round_.pk)


@officer_required
@require_POST
def round_publish(request, pk):
    round_ = _visible_round(request, pk)
    try:
        services.round_publish(
            round_id=round_.id, actor=request.user, over_quota_confirmed=request.POST.get("over_quota") == "1"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The key training list has been published."))
    return redirect(f"{reverse('trainees:round_detail', args=[round_.pk])}?type={_posted_type(request)}")


@officer_required
def round_export(request, pk):
    """The key training list (published, or the preview) as an XLSX workbook."""
    round_ = _visible_round(request, pk)
    training_type = _training_type(request)
    rows = selectors.round_preview(round_, training_type=training_type, user=request.user)
    state = _("published") if round_.is_published else _("preview, not published")
    header = [
        _("Priority"),
        pgettext("person", "Name"),
        _("Position"),
        _("Enterprise"),
        _("Credit code"),
        _("Customs district"),
        _("Proposed base"),
        _("Preferred bases"),
        _("Application rank"),
        _("Reasons"),
    ]
    base_labels = dict(rules._BASES)
    lines = []
    for row in rows:
        reasons = rules.describe_reasons(row.reasons)
        prefs = "、".join(str(base_labels.get(b, b)) for b in row.application.preferred_bases)
        for nominee, person in row.listed:
            lines.append(
                [
                    person.priority,
                    nominee.name,
                    nominee.get_position_display(),
                    row.application.enterprise.name,
                    row.application.enterprise.credit_code,
                    row.application.enterprise.customs_unit.name,
                    str(base_labels.get(person.base_slug, person.base_slug)),
                    prefs,
                    f"{row.rank} / {row.total}",
                    reasons,
                ]
            )
    sheet = exports.Sheet(
        title=_("Key training list"),
        preamble=[f"{round_} · {TrainingType(training_type).label} · {state}"],
        header=header,
        rows=lines,
        widths=(8, 14, 18, 34, 22, 18, 10, 20, 12, 80),
        wrap_columns=(9,),
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    return exports.response(sheet, filename=f"key-list-{round_.pk}-{training_type}-{stamp}")


@officer_required
def import_enterprises(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            table = read_rows(data, upload.name)
            if len(table.rows) > settings.LMS_IMPORT_INLINE_MAX_ROWS:
                job = import_job_start(data=data, filename=upload.name, actor=request.user, total_rows=len(table.rows))
                return redirect("trainees:import_job", job_id=job.pk)
            # Nothing is written before the officer has seen, per row, what will change.
            summary = enterprise_import(data=data, filename=upload.name, actor=request.user, rows=table, dry_run=True)
        except ImportRejected as exc:
            errors = exc.errors
            messages.error(
                request, _("Nothing was imported: %(count)d problems were found.") % {"count": len(exc.errors)}
            )
            status = 400
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 400
        else:
            job = import_job_start(
                data=data, filename=upload.name, actor=request.user, total_rows=len(table.rows), plan=summary.plan
            )
            return redirect("trainees:import_job", job_id=job.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "trainees/import.html", {"form": form, "errors": errors}, status=status)


def _import_messages(request, *, created: int, updated: int, terminated: int) -> None:
    messages.success(
        request,
        _("Imported: %(created)d new enterprises, %(updated)d updated.") % {"created": created, "updated": updated},
    )
    if terminated:
        messages.warning(
            request,
            _("Cultivation was terminated for %(count)d discredited enterprises.") % {"count": terminated},
        )


@officer_required
def import_job(request, job_id):
    """Progress of a large import (the page reloads itself until the task has finished), then
    its outcome. Only the officer who uploaded the file sees it."""
    job = get_object_or_404(ImportJob, pk=job_id, created_by=request.user)
    return render(request, "trainees/import_job.html", {"job": job})


@officer_required
@require_POST
def import_confirm(request, job_id):
    """Write a previewed import: at once for a small file, in a Celery task for a large one.
    Only the officer who uploaded the file may confirm it."""
    job = get_object_or_404(ImportJob, pk=job_id, created_by=request.user)
    try:
        job = import_job_confirm(job=job, inline=job.total_rows <= settings.LMS_IMPORT_INLINE_MAX_ROWS)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("trainees:import_job", job_id=job.pk)
    if job.status == ImportJob.Status.DONE:
        _import_messages(request, created=job.created, updated=job.updated, terminated=job.terminated)
        return redirect("trainees:enterprise_list")
    return redirect("trainees:import_job", job_id=job.pk)
