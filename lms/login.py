"""One way in (issue 7, point 1): every login goes through allauth, with its two-factor step,
rate limits and e-mail verification. The back-office login pages of Wagtail and Django admin
(and Wagtail's own password reset) only send people to allauth's pages, keeping `next`."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def _safe_next(request, default: str) -> str:
    next_url = request.GET.get("next") or request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
        return default
    return next_url


def to_allauth_login(request, default_next: str = "/admin/"):
    """GET or POST: never checks a password, only redirects to allauth's login page."""
    query = urlencode({"next": _safe_next(request, default_next)})
    return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")


def to_allauth_password_reset(request, *args, **kwargs):
    return HttpResponseRedirect(reverse("account_reset_password"))
