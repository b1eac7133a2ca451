"""Public verification page (by token) and the holder's PDF download (by number)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trainees.access import is_customs_officer, may_see_person

from . import rules
from .models import Certificate
from .services import certificate_pdf_bytes


def verify(request, token: str):
    """Anyone may verify: holder's name, title, date, validity and status, nothing more."""
    certificate = Certificate.objects.filter(token=token).first()
    if certificate is None:
        return render(request, "certificates/verify.html", {"certificate": None}, status=404)
    valid = rules.is_valid(status=certificate.status, valid_until=certificate.valid_until, today=timezone.localdate())
    return render(request, "certificates/verify.html", {"certificate": certificate, "valid": valid})


@login_required
def download(request, number: str):
    """The holder (or a customs officer of the holder's district) downloads the PDF; unknown
    numbers get a clear page; another district's officer finds nothing (404)."""
    certificate = Certificate.objects.select_related("holder").filter(number=number).first()
    if certificate is None:
        return render(request, "certificates/not_found.html", {"number": number}, status=404)
    if not may_see_person(request.user, certificate.holder):
        if is_customs_officer(request.user):
            raise Http404
        raise PermissionDenied
    if certificate.pdf:
        response = FileResponse(certificate.pdf.open("rb"), content_type="application/pdf")
    else:  # the task has not run yet: render now rather than make the holder wait
        response = HttpResponse(certificate_pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response
