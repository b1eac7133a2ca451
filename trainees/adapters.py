from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

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
