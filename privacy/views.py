"""Pages of personal information: the privacy notice (public), and for a signed-in person their
data (download) and deletion request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lms.translation import english_active
from trainees.access import may_manage_own_data
from trainees.models import Consent

from . import selectors, services
from .forms import DeletionRequestForm


@require_GET
def notice(request):
    """The privacy notice in the page's language, with its version."""
    language = "en" if english_active() else "zh-hans"
    return render(
        request,
        "privacy/notice.html",
        {
            "version": settings.LMS_PRIVACY_NOTICE_VERSION,
            "body_template": f"privacy/notice_{language}.html",
            "retention": settings.LMS_RETENTION_DAYS,
        },
    )


def _own(request):
    if not may_manage_own_data(request.user):
        raise PermissionDenied


@login_required
def my_data(request):
    """What the person consented to, the download links and the deletion request form."""
    _own(request)
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.deletion_request_create(user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your deletion request was recorded; an officer will handle it."))
                return redirect("privacy:my_data")
        status = 400
    else:
        status = 200
    return render(
        request,
        "privacy/my_data.html",
        {
            "form": form,
            "consents": Consent.objects.filter(user=request.user),
            "requests": selectors.deletion_requests_of(user_id=request.user.pk),
            "version": settings.LMS_PRIVACY_NOTICE_VERSION,
        },
        status=status,
    )


@login_required
@require_GET
def download(request, fmt: str):
    """The person's data as JSON or as a ZIP of JSON and XLSX files."""
    _own(request)
    data = selectors.personal_data(user_id=request.user.pk)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "json":
        response = HttpResponse(selectors.as_json(data), content_type="application/json; charset=utf-8")
    elif fmt == "zip":
        response = HttpResponse(selectors.as_zip(data), content_type="application/zip")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
