"""Gates every request passes after authentication (issue 7, points 1 and 2), so no view can
forget them:

- sessions of accounts whose e-mail address was never verified are ended (allauth's mandatory
  verification; a session made before it, or by another login path, gives no access);
- logged-in people without back-office access who open the back office get a 403 page instead
  of being sent to the login page (which sends them back: a loop);
- back-office users must set up two-factor authentication (TOTP) when `LMS_REQUIRE_STAFF_MFA`
  is on: until they do they reach only the 2FA setup pages, logout and static files."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import access

# URL names a back-office user without 2FA may still open.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_confirm_email",
        "set_language",
    }
)
VERIFIED_SESSION_KEY = "lms_email_verified"


def _back_office_prefixes() -> tuple[str, ...]:
    return ("/admin/", "/django-admin/")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class AccessGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._gate(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def process_exception(self, request, exception):
        """allauth raises RateLimited from inside some flows (an SMS code asked for again within
        30 seconds, e.g. a sign-up form sent twice): answer 429 with allauth's page, never a 500."""
        from allauth.core.exceptions import RateLimited

        if isinstance(exception, RateLimited):
            from allauth.core.ratelimit import respond_429

            return respond_429(request)
        return None

    def _gate(self, request, user):
        if not self._email_verified(request, user):
            logout(request)
            if _is_api(request):
                return JsonResponse({"detail": _("Verify your e-mail address, then log in again.")}, status=401)
            return None
        path = request.path_info
        if path.startswith(settings.STATIC_URL) or path.startswith(settings.MEDIA_URL):
            return None
        if path.startswith("/admin/") and not access.has_back_office_access(user):
            return render(request, "403_back_office.html", status=403)
        if path.startswith("/django-admin/") and not (user.is_active and user.is_staff):
            return render(request, "403_back_office.html", status=403)
        if access.must_use_mfa(user) and not is_mfa_enabled(user) and _url_name(request) not in MFA_SETUP_URL_NAMES:
            if _is_api(request):
                return JsonResponse({"detail": _("Set up two-factor authentication first.")}, status=403)
            messages.warning(
                request, _("Your account works in the back office: set up two-factor authentication to continue.")
            )
            return redirect("mfa_activate_totp")
        return None

    def _email_verified(self, request, user) -> bool:
        """With mandatory verification, only accounts with a verified address keep a session
        (checked once per session)."""
        if getattr(settings, "ACCOUNT_EMAIL_VERIFICATION", None) != "mandatory":
            return True
        if request.session.get(VERIFIED_SESSION_KEY) == user.pk:
            return True
        if EmailAddress.objects.filter(user=user, verified=True).exists():
            request.session[VERIFIED_SESSION_KEY] = user.pk
            return True
        return False


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    for query in [request.GET] + ([request.POST] if request.method == "POST" else []):
        for key, values in query.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                return True
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


class RejectNulBytesMiddleware:
    """No text may carry a NUL byte: PostgreSQL refuses them in text (a 500 on every search box
    and filter otherwise). Refused here once, with a 400, for every view (issue 7, point 8)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = _("The request contains a NUL character; remove it and try again.")
            if _is_api(request):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
