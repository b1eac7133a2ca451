"""Links in notices are built from WAGTAILADMIN_BASE_URL only: it must be an absolute address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.urls)
def check_public_address(app_configs=None, **kwargs):
    value = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
        return [
            Error(
                f"WAGTAILADMIN_BASE_URL must be the site's public address, e.g. https://lms.example.cn (got {value!r}).",
                hint="Links in e-mails are built from it.",
                id="notices.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_public_address_is_https(app_configs=None, **kwargs):
    if not str(getattr(settings, "WAGTAILADMIN_BASE_URL", "")).startswith("https://"):
        return [Error("WAGTAILADMIN_BASE_URL must use https in production.", id="notices.E002")]
    return []
