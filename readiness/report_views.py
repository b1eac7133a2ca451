"""Readiness report pages (issue 16): an enterprise's report with its history chart and PDF,
rectification tasks, and the officers' district dashboard with its XLSX export. Thin: access
first (`trainees.access`), then a selector or a service."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lms import exports
from lms.charts import value_bars
from lms.params import int_param
from trainees.access import (
    may_manage_rectifications,
    may_see_readiness_dashboard,
    readiness_enterprises_visible_to,
    units_visible_to,
)
from trainees.models import User

from . import charts, report_services, rules, selectors
from .forms import RectificationForm
from .models import CriteriaEdition, ReadinessRecord, RectificationTask


def _enterprise(user, enterprise_id: int):
    return get_object_or_404(readiness_enterprises_visible_to(user).select_related("customs_unit"), pk=enterprise_id)


def _report(
    enterprise, edition_code: str, editions: list[CriteriaEdition]
) -> tuple[dict | None, CriteriaEdition | None, ReadinessRecord | None, ReadinessRecord | None]:
    """The report to show, its edition, its kept record and the kept latest record: the kept
    latest one (recomputed first unless current), or for another edition asked for, computed on
    the fly and not kept (its record None)."""
    by_code = {e.code: e for e in editions}
    record = report_services.current_record(enterprise_id=enterprise.pk)
    if edition_code and (record is None or edition_code != record.edition_code):
        edition = by_code.get(edition_code)
        if edition is None:
            raise Http404
        report = report_services.compute(enterprise=enterprise, today=timezone.localdate(), edition_code=edition_code)
        return (report_services.report_as_dict(report) if report else None), edition, None, record
    edition = by_code.get(record.edition_code) if record else None
    return (record.report if record else None), edition, record, record


def _history_chart(enterprise_id: int, record: ReadinessRecord | None) -> tuple[str, int]:
    """The history chart (SVG) and how many recomputations it draws, cached until the next kept
    recomputation: one query when drawn, none when cached."""
    key = f"readiness:chart:{enterprise_id}:{record.pk if record else 0}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        history = selectors.readiness_history(enterprise_id=enterprise_id)
        cached = (str(charts.history_svg(history, title=_("Readiness score over time"))), len(history))
        cache.set(key, cached, timeout=24 * 3600)
    return mark_safe(cached[0]), cached[1]


def _context(
    request, enterprise, edition_code: str, *, form: RectificationForm | None = None, failed_update: dict | None = None
) -> dict:
    editions = report_services.editions()
    report, edition, record, latest = _report(enterprise, edition_code, editions)
    chart, history_count = _history_chart(enterprise.pk, latest)
    owners = list(User.objects.filter(enterprise_id=enterprise.pk, is_active=True).order_by("last_name"))
    today = timezone.localdate()
    if form is None:
        form = RectificationForm(gaps=(report or {}).get("rectifiable", ()), owners=owners, today=today)
    return {
        "enterprise": enterprise,
        "report": report,
        "record": record,
        "edition": edition,
        "editions": editions,
        "areas": [(area.value, rules.AREA_LABELS[area]) for area in rules.Area],
        "history_count": history_count,
        "chart": chart,
        "tasks": selectors.rectifications_of(enterprise_id=enterprise.pk),
        "may_manage": may_manage_rectifications(request.user, enterprise),
        "owners": owners,
        "rectification_form": form,
        "failed_update": failed_update or {},
        "statuses": RectificationTask.Status.choices,
        "today": today,
        # The edition asked for in the address, kept by the forms of the page.
        "edition_query": f"?{urlencode({'edition': edition_code})}" if edition_code else "",
    }


def _edition_param(request) -> str:
    return request.GET.get("edition", "")[:40]


@login_required
def report_mine(request):
    """The signed-in person's enterprise's report, keeping what was asked (`?edition=`)."""
    if request.user.enterprise_id is None:
        raise Http404
    url = reverse("readiness:report", kwargs={"enterprise_id": request.user.enterprise_id})
    edition = _edition_param(request)
    return redirect(f"{url}?{urlencode({'edition': edition})}" if edition else url)


@login_required
def report(request, enterprise_id: int):
    enterprise = _enterprise(request.user, enterprise_id)
    context = _context(request, enterprise, _edition_param(request))
    return render(request, "readiness/report.html", context)


@login_required
def report_pdf(request, enterprise_id: int):
    from weasyprint import HTML

    enterprise = _enterprise(request.user, enterprise_id)
    context = _context(request, enterprise, _edition_param(request))
    context["generated"] = timezone.localtime()
    html = render_to_string("readiness/report_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="readiness-{enterprise.pk}.pdf"'
    return response


def _report_url(enterprise_id: int, edition: str = "") -> str:
    url = reverse("readiness:report", kwargs={"enterprise_id": enterprise_id})
    return (f"{url}?{urlencode({'edition': edition})}" if edition else url) + "#rectifications"


@login_required
@require_POST
def rectification_create(request, enterprise_id: int):
    """A new rectification task; a refusal re-renders the report with what was typed and a
    message on each field (400)."""
    enterprise = _enterprise(request.user, enterprise_id)
    if not may_manage_rectifications(request.user, enterprise):
        raise PermissionDenied
    edition = _edition_param(request)
    context = _context(request, enterprise, edition)
    form = RectificationForm(
        request.POST,
        gaps=(context["report"] or {}).get("rectifiable", ()),
        owners=context["owners"],
        today=context["today"],
    )
    if form.is_valid():
        try:
            report_services.rectification_create(
                enterprise=enterprise,
                actor=request.user,
                owner_id=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                title=form.cleaned_data["title"],
                criterion_id=form.cleaned_data["criterion"],
                today=context["today"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Rectification task created."))
            return redirect(_report_url(enterprise.pk, edition))
    context["rectification_form"] = form
    return render(request, "readiness/report.html", context, status=400)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form's fields (or above the form when it names none)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def rectification_update(request, pk: int):
    """A task's status and evidence; a refusal (closing without evidence, a file that is not what
    its name says) re-renders the report with the note and status kept on that task (400)."""
    task = get_object_or_404(
        RectificationTask.objects.filter(enterprise__in=readiness_enterprises_visible_to(request.user).values("id")),
        pk=pk,
    )
    status = request.POST.get("status", "")
    note = request.POST.get("evidence_note", "")[:2000]
    try:
        report_services.rectification_update(
            task_id=task.pk,
            actor=request.user,
            status=status,
            evidence_note=note,
            upload=request.FILES.get("evidence_file"),
        )
    except ValidationError as exc:
        enterprise = _enterprise(request.user, task.enterprise_id)
        failed = {"task": task.pk, "status": status, "note": note, "errors": exc.messages}
        context = _context(request, enterprise, _edition_param(request), failed_update=failed)
        return render(request, "readiness/report.html", context, status=400)
    messages.success(request, _("Rectification task updated."))
    return redirect(_report_url(task.enterprise_id, _edition_param(request)))


def _dashboard_filters(request) -> dict:
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "-score")
    return {
        "status": status if status in ReadinessRecord.Status.values else "",
        "unit_id": int_param(request.GET.get("unit")),
        "query": request.GET.get("q", "").strip()[:100],
        "sort": sort if sort in selectors.DASHBOARD_SORTS else "-score",
    }


@login_required
def dashboard(request):
    if not may_see_readiness_dashboard(request.user):
        raise PermissionDenied
    filters = _dashboard_filters(request)
    data = selectors.readiness_dashboard(user=request.user, **filters)
    page = Paginator(data["rows"], 50).get_page(request.GET.get("page"))
    titles = selectors.edition_titles()
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.edition_title = titles.get(row.edition_code, row.edition_code)
    return render(
        request,
        "readiness/dashboard.html",
        {
            **data,
            "page": page,
            "filters": filters,
            "units": units_visible_to(request.user).order_by("code")[:300],
            "statuses": ReadinessRecord.Status.choices,
            "sorts": [
                ("-score", _("Score, highest first")),
                ("score", _("Score, lowest first")),
                ("name", pgettext("sort", "Enterprise name")),
                ("status", _("Status")),
                ("computed", _("Latest computed")),
            ],
            "gaps_chart": value_bars(
                [(label, n) for label, n, _ in data["common_gaps"][:10]], title=_("Most common gaps"), css="chart--gaps"
            ),
            "today": timezone.localdate(),
            "filters_qs": "".join(
                f"{k}={v}&" for k, v in [(k, quote(request.GET[k])) for k in request.GET if k != "page"]
            ),
        },
    )


@login_required
def dashboard_export(request):
    if not may_see_readiness_dashboard(request.user):
        raise PermissionDenied
    data = selectors.readiness_dashboard(user=request.user, **_dashboard_filters(request))
    labels = dict(ReadinessRecord.Status.choices)
    titles = selectors.edition_titles()
    sheet = exports.Sheet(
        title=_("Readiness"),
        header=[
            _("Enterprise"),
            _("Unified social credit code"),
            _("Customs district"),
            _("Status"),
            _("Score"),
            _("Criteria edition"),
            _("Unmet requirements"),
            _("Computed at"),
        ],
        rows=(
            [
                r.enterprise.name_zh,
                r.enterprise.credit_code,
                r.enterprise.customs_unit.name,
                str(labels.get(r.status, r.status)),
                float(r.score),
                titles.get(r.edition_code, r.edition_code),
                "；".join(str(rules.REQUIREMENT_LABELS.get(k, k)) for k in r.missing),
                timezone.localtime(r.computed_at).strftime("%Y-%m-%d %H:%M"),
            ]
            for r in data["rows"].iterator(chunk_size=2000)
        ),
        preamble=[_("AEO readiness by enterprise"), _("Guidance, not a customs decision.")],
        widths=(36, 22, 20, 12, 8, 16, 60, 18),
        wrap_columns=(6,),
    )
    return exports.response(sheet, filename="readiness")
