"""One way in (issue 7, point 1): every login goes through allauth, with its two-factor step,
rate limits and e-mail verification. The back-office login pages of Wagtail and Django admin
(and Wagtail's own password reset) only send people to allauth's pages, keeping `next`."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse

from .redirects import safe_next


def _safe_next(request, default: str) -> str:
    return safe_next(request, request.GET.get("next") or request.POST.get("next"), default)


def to_allauth_login(request, default_next: str = "/admin/"):
    """GET or POST: never checks a password, only redirects to allauth's login page."""
    query = urlencode({"next": _safe_next(request, default_next)})
    return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")


def to_allauth_password_reset(request, *args, **kwargs):
    return HttpResponseRedirect(reverse("account_reset_password"))
