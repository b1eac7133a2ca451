"""Content-Security-Policy (django-csp 4). The public site runs no inline script at all (every
script is a static file), so its policy needs neither 'unsafe-inline' nor per-response nonces
and cached pages stay valid. The Wagtail and Django admins ship inline scripts of their own:
under their URL prefixes the script and style directives are widened, and the admin may frame
its own previews; nothing else."""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

BACK_OFFICE_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "style-src-elem": [SELF, UNSAFE_INLINE],
    # the page preview is shown in an iframe of the editor
    "frame-ancestors": [SELF],
}


def is_back_office_path(path: str) -> bool:
    """Paths of the Wagtail admin and the Django admin (`LMS_BACK_OFFICE_PREFIXES`)."""
    return path.startswith(tuple(settings.LMS_BACK_OFFICE_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the back office's wider script and style sources."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_back_office_path(request.path_info) and parts.replace is None:
            parts.replace = dict(BACK_OFFICE_REPLACE)
        return parts
