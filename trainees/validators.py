"""Validators for identifiers issued by Chinese authorities."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.spreadsheets import hidden_characters

# GB 32100-2015 "Coding rule of the unified social credit identifier": 31 characters
# (digits and capitals without I, O, S, V, Z) and one weight per position of the first 17.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """Return the check character (18th position) for the first 17 characters of a code."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Validate a unified social credit code, including its check character."""
    code = (value or "").strip().upper()
    _refuse_hidden_characters(code)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = [c for c in code if c not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _("The character “%(char)s” cannot appear in a unified social credit code."),
            code="alphabet",
            params={"char": bad[0]},
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this credit code is wrong (expected %(expected)s): please check for typing errors."
            ),
            code="check_character",
            params={"expected": expected},
        )


def validate_customs_code(value: str) -> None:
    """A customs registration code has 10 characters (digits and capital letters)."""
    code = (value or "").strip().upper()
    _refuse_hidden_characters(code)
    if len(code) != 10 or not code.isalnum():
        raise ValidationError(_("A customs registration code has 10 letters or digits."), code="customs_code")


def _refuse_hidden_characters(code: str) -> None:
    """Name invisible characters (zero-width space, byte-order mark, no-break space) instead of
    reporting a code one character too long."""
    found = hidden_characters(code)
    if found:
        raise ValidationError(
            _("The code contains invisible characters (%(chars)s): delete them and type it again."),
            code="hidden_characters",
            params={"chars": "; ".join(found)},
        )


def mainland_mobile(value: str) -> str:
    """The mainland China mobile number `value` in E.164 form ("+8613812345678").

    Accepts what people type: "13812345678", "138 1234 5678", "138-1234-5678", "+86 138…",
    "0086138…", full-width digits. Raises ValidationError (code "phone") for anything that is not
    a mobile number of mainland China (landlines, Hong Kong, Macao, Taiwan and foreign numbers
    included), using Google's libphonenumber metadata (`phonenumbers`)."""
    import unicodedata

    import phonenumbers

    text = unicodedata.normalize("NFKC", value or "").strip()
    _refuse_hidden_characters(text)
    if text.startswith("00"):
        text = "+" + text[2:]
    message = _("Enter a mainland China mobile number, e.g. 138 0013 8000.")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message, code="phone") from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number_for_region(number, "CN")
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_mobile(e164: str) -> str:
    """An E.164 mainland mobile number as people write it: "138 0013 8000"."""
    national = e164.removeprefix("+86")
    return f"{national[:3]} {national[3:7]} {national[7:]}" if len(national) == 11 else e164
