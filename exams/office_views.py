"""Pages of officers and invigilators beyond the console (issue 14 points 2, 6, 10): a sitting's
tickets (PDF cards, revoke and reissue), the encrypted answer-file upload, exam reports with
their Celery progress and XLSX download. Access is decided at the top of each view through
`exams.access` (rules in `trainees.access`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import access
from .models import Sitting, Ticket
from .services import sittings


@login_required
@require_GET
def ticket_pdf(request, ticket_id: int):
    ticket = (
        Ticket.objects.select_related("user", "sitting__exam", "sitting__session__base", "sitting__session__room")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or not access.can_see_ticket(request.user, ticket):
        raise Http404
    response = HttpResponse(sittings.ticket_pdf_bytes(ticket), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="exam-ticket-{ticket.code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sitting_tickets(request, sitting_id: int):
    """Officers of the sitting's district: every ticket with its card; revoke and reissue."""
    if not access.can_release(request.user):
        raise PermissionDenied
    sitting = get_object_or_404(
        access.sittings_managed_by(
            request.user, Sitting.objects.select_related("exam", "session__base", "session__room")
        ),
        pk=sitting_id,
    )
    if request.method == "POST":
        ticket = get_object_or_404(Ticket, pk=request.POST.get("ticket") or 0, sitting=sitting)
        try:
            new = sittings.ticket_revoke(
                ticket=ticket,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                reissue=request.POST.get("reissue") == "1",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if new is not None:
                messages.success(request, _("Ticket revoked; new code %(code)s sent.") % {"code": new.code})
            else:
                messages.success(request, _("Ticket revoked."))
            return redirect("exams:sitting_tickets", sitting.pk)
    tickets = sitting.tickets.select_related("user").order_by("seat_number", "-created_at")
    return render(request, "exams/sitting_tickets.html", {"sitting": sitting, "tickets": tickets})
