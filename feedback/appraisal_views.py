"""Appraisal pages (issue 17, points 4 and 6): the dashboard per customs level with its XLSX and
PDF, and the expert roster. Thin: access first (`trainees.access`), then one selector."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from lms import exports, periods
from lms.charts import value_bars
from lms.params import int_param
from trainees.access import appraisal_bases, appraisal_unit_ids, is_gacc, may_manage_experts, may_see_appraisal
from trainees.models import CultivationStatus, CustomsUnit, TrainingType
from trainees.rules import FUNNEL_STAGES
from training_bases.models import TrainingBase

from . import rules, selectors
from .models import Expert

READINESS_LABELS = (
    ("ready", gettext_lazy("Ready")),
    ("nearly_ready", gettext_lazy("Nearly ready")),
    ("not_ready", gettext_lazy("Not ready")),
)


def _viewer_unit_id(user) -> int:
    """The unit whose rows the dashboard shows: the officer's own; superusers without a unit
    look from GACC."""
    if user.customs_unit_id is not None:
        return user.customs_unit_id
    return CustomsUnit.objects.filter(level=CustomsUnit.Level.GACC).values_list("id", flat=True).first() or 0


def _filters(request) -> dict:
    """The dashboard's filters from the query string. Nothing is ignored silently: a date that
    cannot be read, reversed dates, dates beyond the limits (`rules.period_from_filter`) and a
    training type, base or customs district the officer may not choose fall back to the
    default, each with a note saying what was given and what is shown instead."""
    today = timezone.localdate()
    visible = appraisal_unit_ids(request.user)
    dates = periods.read_dates(request.GET.get("start"), request.GET.get("end"))
    period, corrections = rules.period_from_filter(dates, today=today)
    notes = periods.correction_messages(corrections)
    training_type = request.GET.get("type", "")
    if training_type and training_type not in TrainingType.values:
        notes.append(_("“%(given)s” is not a training type: every type is shown.") % {"given": training_type[:40]})
        training_type = ""
    base = request.GET.get("base", "")
    bases = {b.slug: b for b in appraisal_bases(request.user, TrainingBase.objects.order_by("slug"))}
    if base and base not in bases:
        notes.append(
            _("“%(given)s” is not a training base of your customs district: every base is shown.")
            % {"given": base[:40]}
        )
        base = ""
    unit_text = request.GET.get("unit", "")
    unit_id = int_param(unit_text)
    viewer = _viewer_unit_id(request.user)
    district_ids = visible
    units = selectors.visible_units(district_ids=visible)
    if unit_id in visible and unit_id != viewer:
        district_ids = list(
            rules.district_rows((rules.UnitNode(u.id, u.parent_id) for u in units), viewer_unit_id=unit_id)
        )
        viewer = unit_id
    else:
        if unit_text and unit_id != viewer:
            notes.append(_("The customs district asked for is not one you may appraise: your own district is shown."))
        unit_id = None
    return {
        "period": period,
        "notes": notes,
        "training_type": training_type,
        "base_slug": base,
        "unit_id": unit_id,
        "district_ids": district_ids,
        "viewer_unit_id": viewer,
        "bases": list(bases.values()),
        "visible_units": units,
        "today": today,
    }


def _appraisal(request):
    if not may_see_appraisal(request.user):
        raise PermissionDenied
    f = _filters(request)
    data = selectors.appraisal_dashboard(
        district_ids=f["district_ids"],
        viewer_unit_id=f["viewer_unit_id"],
        period=f["period"],
        today=f["today"],
        training_type=f["training_type"],
        base_slug=f["base_slug"],
    )
    return f, data


def _stage_labels() -> dict[str, str]:
    return {stage: str(CultivationStatus(stage).label) for stage in FUNNEL_STAGES}


def _context(request, f, data) -> dict:
    labels = _stage_labels()
    return {
        "data": data,
        "filters": f,
        "stage_labels": labels,
        "funnel": [(labels[s.stage], s) for s in data.funnel.stages],
        "now_at": [(labels[stage], data.funnel.now_at.get(stage, 0), stage) for stage in FUNNEL_STAGES],
        "readiness": [(label, data.readiness.get(key, 0), key) for key, label in READINESS_LABELS],
        "funnel_chart": value_bars(
            [(labels[s.stage], s.reached) for s in data.funnel.stages], title=_("Cultivation funnel")
        ),
        "readiness_chart": value_bars(
            [(str(label), data.readiness.get(key, 0)) for key, label in READINESS_LABELS], title=_("Readiness")
        ),
        "training_types": TrainingType.choices,
        "all_units": f["visible_units"],
        "is_gacc": is_gacc(request.user),
        "query": request.GET.urlencode(),
    }


@login_required
@require_GET
def appraisal(request):
    f, data = _appraisal(request)
    return render(request, "feedback/appraisal.html", _context(request, f, data))


def _percent(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


@login_required
@require_GET
def appraisal_xlsx(request):
    _filters_used, data = _appraisal(request)
    labels = _stage_labels()
    rows: list[list] = []
    for s in data.funnel.stages:
        rows.append([_("Cultivation funnel"), labels[s.stage], s.reached, _percent(s.conversion), s.median_days])
    for row in data.rows:
        for s in row.stages:
            rows.append([row.unit.name, labels[s.stage], s.reached, _percent(s.conversion), s.median_days])
    for stage in FUNNEL_STAGES:
        rows.append([_("Enterprises now at each stage"), labels[stage], data.funnel.now_at.get(stage, 0), None, None])
    t, lf, lv, ex, oc = data.training, data.learning, data.live, data.exams, data.outcomes
    rows += [
        [_("Training at the bases"), _("Sessions held"), t.sessions_held, None, None],
        [_("Training at the bases"), _("Training hours delivered"), t.hours_delivered, None, None],
        [_("Training at the bases"), _("Seats held"), t.seats, None, None],
        [_("Training at the bases"), _("Trainees"), t.trainees, None, None],
        [_("Training at the bases"), _("Trainee-days attended"), t.days_attended, _percent(t.attendance_rate), None],
        [_("Training at the bases"), _("Trainee-hours attended"), t.trainee_hours, None, None],
        [_("Online courses"), _("Enrolments"), lf.enrolled, None, None],
        [_("Online courses"), _("Completed"), lf.completed, _percent(lf.completion_rate), None],
        [_("Live observation"), _("Registrations"), lv.registered, None, None],
        [_("Live observation"), _("Attended live"), lv.attended, _percent(lv.attendance_rate), None],
        [_("Exams"), _("Graded attempts"), ex.graded, None, None],
        [_("Exams"), _("Passed"), ex.passed, _percent(ex.pass_rate), None],
        [_("AEO certification"), _("Applications filed"), oc.filed, None, None],
        [_("AEO certification"), _("Certified"), oc.passed, _percent(oc.pass_rate), None],
        [_("AEO certification"), _("Failed"), oc.failed, None, None],
        [_("AEO certification"), _("Pending"), oc.pending, None, None],
    ]
    sf, cf = data.satisfaction, data.consultations
    rows += [
        [_("Satisfaction"), _("Survey invitations"), sf.invited, None, None],
        [_("Satisfaction"), _("Survey responses"), sf.responses, sf.response_rate, None],
        [_("Satisfaction"), _("Mean score (1-5)"), sf.mean_score, None, None],
        [_("Consultations"), _("Questions asked"), cf.asked, None, None],
        [_("Consultations"), _("Answered"), cf.answered, None, None],
        [_("Consultations"), _("Answered in time"), cf.answered_in_time, cf.in_time_rate, None],
        [_("Consultations"), _("Mean rating (1-5)"), cf.mean_rating, None, None],
    ]
    for key, label in READINESS_LABELS:
        rows.append(
            [
                _("Readiness"),
                label,
                data.readiness.get(key, 0),
                _percent(rules.share(data.readiness.get(key, 0), data.readiness_total)),
                None,
            ]
        )
    sheet = exports.Sheet(
        title=_("Appraisal"),
        header=[
            pgettext("appraisal", "Section"),
            _("Figure"),
            _("Value"),
            _("Rate (%)"),
            _("Median days from the previous stage"),
        ],
        rows=rows,
        preamble=[
            _("Appraisal of training effectiveness"),
            _("Period: %(start)s to %(end)s")
            % {"start": data.period.start.isoformat(), "end": data.period.end.isoformat()},
        ],
        widths=(28, 30, 12, 12, 24),
    )
    return exports.response(sheet, filename=f"appraisal-{data.period.start:%Y%m%d}-{data.period.end:%Y%m%d}")


@login_required
@require_GET
def appraisal_pdf(request):
    from weasyprint import HTML

    f, data = _appraisal(request)
    context = _context(request, f, data)
    context["generated"] = timezone.localtime()
    html = render_to_string("feedback/appraisal_pdf.html", context, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(), "application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="appraisal-{data.period.start:%Y%m%d}-{data.period.end:%Y%m%d}.pdf"'
    )
    return response


@login_required
@require_GET
def expert_roster(request):
    if not may_manage_experts(request.user):
        raise PermissionDenied
    level = request.GET.get("level", "")
    level = level if level in Expert.Level.values else ""
    return render(
        request,
        "feedback/expert_roster.html",
        {
            "rows": selectors.expert_roster(user=request.user, level=level, now=timezone.now()),
            "level": level,
            "levels": Expert.Level.choices,
        },
    )
