"""URL table rows of the project itself: health, API docs, accounts (allauth), search, documents,
the Wagtail-served pages, and the login paths that only redirect to allauth."""

from . import ANON, BACK_OFFICE, LOGIN, SIGNED_IN, Row, Rule, answers, only, signed_in

LOGGED_IN_GO_HOME = answers(302, **{ANON: 200})  # allauth sends signed-in people onwards

ROWS = [
    Row("healthz", answers(200)),
    # The API's documentation is for back-office users (anonymous: the login page).
    Row("api:openapi-json", only(BACK_OFFICE)),
    Row("api:openapi-view", only(BACK_OFFICE)),
    Row("api:api-root", answers(404), api=True),
    Row("search", answers(200), params=("q", "page")),
    Row("set_language", answers(302), method="POST", data={"language": "en", "next": "/"}, params=("language", "next")),
    Row("wagtail_serve", answers(200), path="/"),
    Row("wagtaildocs_serve", answers(404), path="/documents/999999/missing.pdf"),
    Row(
        "wagtaildocs_authenticate_with_password",
        answers(404),
        kwargs={"restriction_id": 999999},
    ),
    Row(
        "wagtailcore_authenticate_with_password",
        answers(404),
        kwargs={"page_view_restriction_id": 999999, "page_id": 999999},
    ),
    # One way in: these only redirect to allauth (a signed-in person without access: 403).
    Row("wagtailcore_login", answers(302), method="POST", data={"username": "x", "password": "y"}),
    Row(
        "wagtailadmin_login",
        answers(302, **dict.fromkeys(SIGNED_IN, 403)) | dict.fromkeys(BACK_OFFICE, 302),
        method="POST",
        data={"username": "x", "password": "y"},
    ),
    Row("wagtailadmin_password_reset", answers(302, **dict.fromkeys(SIGNED_IN, 403)) | dict.fromkeys(BACK_OFFICE, 302)),
    Row(
        "django_admin_login",
        answers(302, **dict.fromkeys(SIGNED_IN, 403)),
        method="POST",
        data={"username": "x", "password": "y"},
    ),
    # allauth
    Row("account_login", LOGGED_IN_GO_HOME),
    Row("account_logout", answers(302, **dict.fromkeys(SIGNED_IN, 200))),
    Row("account_inactive", answers(200)),
    Row("account_signup", LOGGED_IN_GO_HOME),
    Row("account_reauthenticate", signed_in(200)),
    Row("account_email", signed_in(200)),
    Row("account_email_verification_sent", answers(200)),
    Row("account_change_password", signed_in(200)),
    Row("account_set_password", signed_in(302)),
    Row("account_reset_password", answers(200)),
    Row("account_confirm_login_code", answers(302)),
    # Mobile numbers: sign in with a code sent by SMS; verify (only inside a sign-up/login
    # stage: otherwise back to the login page); change one's own number.
    Row("account_request_login_code", LOGGED_IN_GO_HOME),
    Row("account_verify_phone", answers(302)),
    Row("account_change_phone", signed_in(200)),
    Row("account_confirm_email", answers(200), kwargs={"key": "not-a-key"}),
    Row("account_reset_password_from_key_done", answers(200)),
    Row("account_reset_password_from_key", answers(200), kwargs={"uidb36": "zz", "key": "not-a-key"}),
    Row("account_reset_password_done", answers(200)),
    Row("mfa_index", signed_in(200)),
    Row("mfa_authenticate", answers(302)),
    Row("mfa_reauthenticate", signed_in(302)),
    Row("mfa_activate_totp", signed_in(302)),
    Row("mfa_deactivate_totp", signed_in(404)),  # nothing to show without 2FA
    Row("mfa_view_recovery_codes", signed_in(404)),  # nothing to show without 2FA
    Row("mfa_generate_recovery_codes", signed_in(302)),
    Row("mfa_download_recovery_codes", signed_in(404)),  # nothing to show without 2FA
]

RULES = [
    # Django's admin: superusers only (moved aside; the back office is Wagtail).
    Rule(r"^django-admin/", answers(403, **{ANON: LOGIN}), "/django-admin/"),
]
