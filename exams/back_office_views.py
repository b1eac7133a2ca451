"""Back-office pages of exams and sittings beyond the viewsets' own (issue 14 points 1-3): a
sitting's ticket batch (choose, preview, confirm), its roster (XLSX) and all its ticket cards
(one PDF), and an exam's per-candidate extra time. Each view decides at its top who may use it
(`exams.access`, rules in `trainees.access`) and finds the sitting through the officer's scope,
so another district's sitting is not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms import exports
from trainees import access as person_access

from . import access, selectors
from .forms import ExtraTimeForm, TicketBatchForm
from .models import Exam, ExtraTime, Sitting
from .services import extra_time, sittings, ticket_batches


def _managed_sitting(request, pk: int) -> Sitting:
    if not access.can_manage_sittings(request.user):
        raise PermissionDenied
    return get_object_or_404(
        access.sittings_managed_by(
            request.user, Sitting.objects.select_related("exam", "session__base", "session__room")
        ),
        pk=pk,
    )


def _pairs(values) -> list[tuple[int, int]] | None:
    """The preview's "user:seat" pairs as numbers, or None when one is not."""
    pairs = []
    for value in values:
        user_id, _sep, seat = str(value).partition(":")
        if not (user_id.isdigit() and seat.isdigit() and len(user_id) < 12 and len(seat) < 6):
            return None
        pairs.append((int(user_id), int(seat)))
    return pairs


@require_http_methods(["GET", "POST"])
def sitting_issue(request, pk: int):
    """Tickets for a sitting in one batch: choose people (from the exam's audience, by
    enterprise for enterprise staff) or paste e-mail addresses / mobile numbers, preview the
    seats (nothing stored), confirm (all or none). Below: the sitting's live tickets."""
    sitting = _managed_sitting(request, pk)
    exam = sitting.exam
    candidates = ticket_batches.audience_candidates(exam=exam, actor=request.user)
    enterprises = person_access.enterprises_visible_to(request.user).order_by("name_zh")
    by_enterprise = exam.audience == "enterprise"
    enterprise = None
    if by_enterprise:
        chosen = request.POST.get("enterprise") or request.GET.get("enterprise") or ""
        enterprise = enterprises.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
    preview = None
    form_kwargs = {
        "candidates": candidates,
        "enterprises": enterprises,
        "enterprise": enterprise if by_enterprise else None,
    }
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "confirm":
        pairs = _pairs(request.POST.getlist("seat"))
        if not pairs:
            messages.error(request, _("Preview the batch again before confirming it."))
        else:
            try:
                tickets, _batch = ticket_batches.ticket_batch_issue(
                    sitting=sitting, actor=request.user, user_ids=[u for u, _s in pairs], expected=pairs
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("%(n)s tickets issued (seats %(seats)s); each candidate receives theirs by e-mail.")
                    % {"n": len(tickets), "seats": ", ".join(str(t.seat_number) for t in tickets)},
                )
                return redirect("wagtailsnippets_exams_sitting:issue", sitting.pk)
        form = TicketBatchForm(**form_kwargs)
    elif request.method == "POST":
        form = TicketBatchForm(request.POST, **form_kwargs)
        if form.is_valid():
            preview = ticket_batches.ticket_batch_plan(
                sitting=sitting,
                actor=request.user,
                user_ids=[person.pk for person in form.cleaned_data["people"]],
                text=form.cleaned_data["lines"],
            )
    else:
        initial = (
            {"enterprise": enterprise, "people": list(candidates.filter(enterprise=enterprise))} if enterprise else {}
        )
        form = TicketBatchForm(initial=initial, **form_kwargs)
    roster = selectors.sitting_roster(sitting)
    capacity = sitting.session.room.capacity
    return TemplateResponse(
        request,
        "exams/admin/sitting_issue.html",
        {
            "sitting": sitting,
            "session": sitting.session,
            "form": form,
            "preview": preview,
            "roster": roster,
            "capacity": capacity,
            "seats_left": capacity - len(roster),
            "by_enterprise": by_enterprise,
            "enterprise": enterprise,
            "ended": sitting.session.ends_at <= timezone.now(),
        },
    )


@require_GET
def sitting_roster(request, pk: int):
    """The sitting's roster as XLSX (seat, name, enterprise, ticket code, checked in) through
    the one spreadsheet writer (`lms.exports`)."""
    sitting = _managed_sitting(request, pk)
    session = sitting.session
    rows = [
        (
            row["seat"],
            row["name"],
            row["enterprise"],
            row["code"],
            timezone.localtime(row["checked_in_at"]).strftime("%Y-%m-%d %H:%M") if row["checked_in_at"] else "",
        )
        for row in selectors.sitting_roster(sitting)
    ]
    sheet = exports.Sheet(
        title=_("Candidate roster"),
        header=[_("Seat"), _("Candidate"), _("Enterprise"), _("Ticket code"), _("Checked in")],
        rows=rows,
        preamble=[
            f"{sitting.exam.title_zh}",
            f"{session.base.name_zh} · {session.room.name_zh} · "
            f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M} – {timezone.localtime(session.ends_at):%H:%M}",
            "",
        ],
        widths=[8, 16, 36, 14, 18],
    )
    return exports.response(sheet, filename=f"sitting-{sitting.pk}-roster")


@require_GET
def sitting_cards(request, pk: int):
    """Every live ticket card of the sitting in one PDF, one card a page, by seat (through the
    ticket card code, `sittings.tickets_pdf_bytes`)."""
    sitting = _managed_sitting(request, pk)
    tickets = [row["ticket"] for row in selectors.sitting_roster(sitting)]
    if not tickets:
        messages.error(request, _("No tickets have been issued for this sitting yet."))
        return redirect("wagtailsnippets_exams_sitting:issue", sitting.pk)
    response = HttpResponse(sittings.tickets_pdf_bytes(tickets), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sitting-{sitting.pk}-tickets.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def exam_extra_time(request, pk: int):
    """An exam's per-candidate extra time: the candidates of the officer's district who have
    some, a form to give (or change) a candidate's minutes, and removal."""
    if not access.can_manage_sittings(request.user):
        raise PermissionDenied
    exam = get_object_or_404(Exam, pk=pk)
    people = person_access.people_visible_to(request.user, get_user_model().objects.all())
    rows = (
        ExtraTime.objects.filter(exam=exam, user__in=people.values("pk"))
        .select_related("user__enterprise")
        .order_by("user__last_name", "user__first_name")
    )
    form = ExtraTimeForm(request.POST if request.method == "POST" and "remove" not in request.POST else None)
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST["remove"]
        extra = rows.filter(pk=int(remove)).first() if remove.isdigit() and len(remove) < 12 else None
        if extra is None:
            messages.error(request, _("That extra time no longer exists."))
        else:
            extra_time.extra_time_remove(extra=extra, actor=request.user)
            messages.success(request, _("Extra time removed."))
        return redirect("wagtailsnippets_exams_exam:extra_time", exam.pk)
    if request.method == "POST" and form.is_valid():
        try:
            person = extra_time.extra_time_person(exam=exam, actor=request.user, contact=form.cleaned_data["person"])
            extra_time.extra_time_set(exam=exam, user=person, minutes=form.cleaned_data["minutes"], actor=request.user)
        except ValidationError as exc:
            form.add_error("person", exc)
        else:
            messages.success(
                request,
                _("%(name)s has %(minutes)s extra minutes at this exam.")
                % {"name": person.get_full_name() or person.email, "minutes": form.cleaned_data["minutes"]},
            )
            return redirect("wagtailsnippets_exams_exam:extra_time", exam.pk)
    return TemplateResponse(request, "exams/admin/extra_time.html", {"exam": exam, "rows": rows, "form": form})
