import logging

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from lms import sms
from lms.links import site_url
from lms.net import client_ip

logger = logging.getLogger(__name__)


class MainlandMobileField(forms.CharField):
    """A mainland China mobile number as people type it; cleaned to E.164 ("+8613800138000")
    by `trainees.validators.mainland_mobile`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Mobile number"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "placeholder": "138 0013 8000"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        from .validators import mainland_mobile

        return mainland_mobile(value)


class AccountAdapter(DefaultAccountAdapter):
    """Account behaviour specific to the platform: the project's client-address rule, absolute
    links, the sign-up language, and mobile numbers (allauth's phone support: numbers on
    `User.phone`/`User.phone_verified`, codes sent through `lms.sms`)."""

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

    # Mobile numbers (allauth phone support: ACCOUNT_LOGIN_METHODS holds "phone").

    def phone_form_field(self, **kwargs):
        return MainlandMobileField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        from .validators import mainland_mobile

        return mainland_mobile(phone)

    def get_phone(self, user) -> tuple[str, bool] | None:
        """(E.164 number, verified) of the user, None without a number."""
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        """Store the number (unverified numbers are replaced by verification); a number another
        account took meanwhile is refused by the unique constraint and not stored."""
        user.phone, user.phone_verified = phone, verified
        if user.pk is None:
            return
        try:
            with transaction.atomic():
                type(user).objects.filter(pk=user.pk).update(phone=phone, phone_verified=verified)
        except IntegrityError:
            logger.warning("mobile number already taken", extra={"user": user.pk})
            user.phone, user.phone_verified = "", False
            type(user).objects.filter(pk=user.pk).update(phone="", phone_verified=False)

    def set_phone_verified(self, user, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str):
        """The account of a number, written any way `mainland_mobile` accepts; None otherwise."""
        from .models import User

        try:
            phone = self.clean_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).order_by("-phone_verified", "pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        """Verification and sign-in codes, in the person's language."""
        language = getattr(user, "language", None) or get_language()
        with translation.override(language):
            text = _(
                "Your AEO Cultivation code is %(code)s. Never tell it to anyone; if you did not ask for it, "
                "ignore this message."
            ) % {"code": code}
        sms.send_sms(to=phone, text=text, kind="code")

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        """No text to numbers without an account (enumeration prevention answers the same page)."""

    def send_account_already_exists_sms(self, phone: str) -> None:
        """No text either: the person signs in with the number they already have."""
