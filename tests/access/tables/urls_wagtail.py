"""Wagtail's own back-office URLs, grouped by prefix: only back-office users (trainers and
officers: `wagtailadmin.access_admin`) get in; anyone else signed in gets a 403 page, anonymous
people the login page. What a back-office user may do inside is Wagtail's permission system."""

from . import BACK_OFFICE, Rule, only

BACK_OFFICE_ONLY = only(BACK_OFFICE)
WAGTAIL_PREFIXES = (
    "pages",
    "choose-page",
    "choose-external-link",
    "choose-email-link",
    "choose-phone-link",
    "choose-anchor-link",
    "workflows",
    "images",
    "documents",
    "reports",
    "api",
    "users",
    "sites",
    "locales",
    "groups",
    "redirects",
    "forms",
    "collections",
    "settings",
    "translation",
    "tag-autocomplete",
    "embeds",
    "editing-sessions",
    "bulk",
    "test404",
    "sprite",
    "logout",
    "jsi18n",
    "failwhale",
    "dismissibles",
    "block-preview",
    "account",
    "password_reset",
    "login",
)

RULES = [
    Rule(r"^admin/$", BACK_OFFICE_ONLY, "/admin/"),
    Rule(r"^admin/snippets/$", only(BACK_OFFICE, 302), "/admin/snippets/"),
    Rule(rf"^\^?admin/({'|'.join(WAGTAIL_PREFIXES)})(/|$)", BACK_OFFICE_ONLY, "/admin/account/"),
    # Wagtail's catch-all inside /admin/ (unknown back-office paths).
    Rule(r"^admin/\^\.\*/\$$", only(BACK_OFFICE, 404), "/admin/no-such-page/"),
]
