"""The back-office revoke page: the certificate, a reason and a confirmation box, because a
revocation cannot be undone. Who may reach it is decided at the top by `trainees.access`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trainees.access import may_manage_certificates, scoped

from .models import Certificate
from .services import certificate_revoke


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the certificate and in the audit log."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that a revoked certificate cannot be made valid again."),
        required=True,
    )


def revoke(request, pk: int):
    """GET: the certificate and the form. POST: revoke, audited, then back to the list.
    Certificates outside the user's scope are not found (404)."""
    if not may_manage_certificates(request.user):
        raise PermissionDenied
    certificate = scoped(Certificate, request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if certificate.status != Certificate.Status.VALID:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate_id=certificate.pk, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Certificate %(number)s revoked. Its verification page now says so.")
                % {"number": certificate.number},
            )
            return redirect("certificate:index")
    return TemplateResponse(request, "certificates/admin/revoke.html", {"certificate": certificate, "form": form})
