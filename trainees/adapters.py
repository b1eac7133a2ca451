from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language

from lms.links import site_url
from lms.net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Account behaviour specific to the platform (hook for invitations into enterprises)."""

    def get_client_ip(self, request) -> str:
        """The address allauth's rate limits and security e-mails use: the project's one
        trusted-proxy rule (`lms.net.client_ip`), never a raw X-Forwarded-For."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def save_user(self, request, user, form, commit=True):
        """Sign-up records the language the page was shown in: notices are sent in it."""
        from .services import user_language_set

        user_language_set(user=user, language=get_language() or "")
        return super().save_user(request, user, form, commit=commit)

    def get_email_confirmation_url(self, request, emailconfirmation):
        """Links in e-mails use WAGTAILADMIN_BASE_URL, not the Host header of the request."""
        return site_url(self._path_of(super().get_email_confirmation_url(request, emailconfirmation)))

    def get_reset_password_from_key_url(self, key):
        return site_url(self._path_of(super().get_reset_password_from_key_url(key)))

    @staticmethod
    def _path_of(url: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
