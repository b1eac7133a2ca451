"""Issue 7, points 1-3: one way in (allauth), a 403 for people without back-office access,
mandatory two-factor authentication for back-office users, no account enumeration."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail

from tests.cache import clear_cache
from tests.factories import TEST_PASSWORD, EnterpriseStaffFactory, UserFactory
from trainees.roles import Role
from trainees.services import invitation_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    clear_cache()  # allauth's rate limits are counted in the cache, per IP and per address
    yield
    clear_cache()


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_back_office_login_pages_take_no_password_and_send_to_allauth(client, path):
    admin = UserFactory(email="admin@demo.aeo", is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    response = client.post(path, {"username": "admin@demo.aeo", "password": TEST_PASSWORD, "next": "/admin/pages/"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert not logged_in(client)
    assert client.get(path).url.startswith("/accounts/login/")


def test_admin_with_totp_gets_no_session_without_the_code(client):
    admin = UserFactory(email="admin@demo.aeo", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    response = client.post("/accounts/login/", {"login": "admin@demo.aeo", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/accounts/2fa/authenticate/")
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302  # still anonymous
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert logged_in(client)
    assert client.get("/admin/").status_code == 200


def test_twenty_wrong_passwords_are_rate_limited(client):
    UserFactory(email="officer@example.com", roles=[Role.CUSTOMS_OFFICER])
    limited = 0
    for _ in range(20):
        response = client.post("/accounts/login/", {"login": "officer@example.com", "password": "wrong-password-1"})
        limited += response.status_code == 429 or "登录失败次数过多" in response.content.decode()
    assert limited >= 10
    # Even the right password is refused while the limit holds.
    client.post("/accounts/login/", {"login": "officer@example.com", "password": TEST_PASSWORD})
    assert not logged_in(client)


def test_unverified_account_gets_no_usable_session(client):
    user = EnterpriseStaffFactory(email="unverified@example.com", verified=False, roles=[Role.ENTERPRISE_STAFF])
    client.post("/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert not logged_in(client)
    assert client.get("/training/bookings/").status_code == 302
    assert client.get("/api/training/bookings").status_code == 401
    # A session made some other way (before this rule, another login path) is ended at once.
    client.force_login(user)
    assert client.get("/training/bookings/").status_code == 302
    assert not logged_in(client)
    client.force_login(user)
    assert client.get("/api/training/bookings").status_code == 401
    assert not logged_in(client)


@pytest.mark.parametrize("roles", [[Role.ENTERPRISE_STAFF], [Role.VALIDATOR_CANDIDATE], [Role.INVIGILATOR], []])
def test_people_without_back_office_access_get_a_clear_403(client, roles):
    client.force_login(EnterpriseStaffFactory(roles=roles))
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/trainees/enterprise/", "/admin/login/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "后台" in response.content.decode()


# --- Point 2: two-factor authentication is mandatory for back-office users ------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(roles=[Role.CUSTOMS_OFFICER]),
        lambda: UserFactory(roles=[Role.TRAINER]),
        lambda: UserFactory(is_superuser=True, is_staff=True),
    ],
)
def test_back_office_users_reach_only_2fa_setup_until_they_have_totp(client, settings, make):
    settings.LMS_REQUIRE_STAFF_MFA = True
    user = make()
    client.force_login(user)
    for path in ("/admin/", "/training/", "/enterprises/", "/admin/snippets/trainees/enterprise/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/", path
    assert client.get("/api/training/bookings").status_code == 403
    assert client.get("/accounts/2fa/").status_code == 200
    # Setting up TOTP (after the password prompt) offers recovery codes, then the back office opens.
    assert client.get("/accounts/2fa/totp/activate/").url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302 and response.url == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/accounts/2fa/recovery-codes/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_enterprise_staff_need_no_2fa(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    client.force_login(EnterpriseStaffFactory(roles=[Role.ENTERPRISE_STAFF]))
    assert client.get("/training/bookings/").status_code == 200


def test_production_settings_require_staff_mfa():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "lms/settings/production.py").read_text()
    assert 'LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", True)' in text


# --- Point 3: no account enumeration ----------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="known@example.com")
    known = client.post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert client.get(known.url).content.decode().count("nobody@example.com") == 0


def test_staff_invitation_does_not_reveal_membership(client):
    admin = EnterpriseStaffFactory(is_enterprise_admin=True, roles=[Role.ENTERPRISE_STAFF])
    member_elsewhere = EnterpriseStaffFactory(email="member@example.com")
    client.force_login(admin)
    responses = {}
    for email in (member_elsewhere.email, "stranger@example.com"):
        response = client.post(
            "/enterprises/mine/invite/", {"email": email, "position": "customs_affairs"}, follow=True
        )
        text = response.content.decode().replace(email, "EMAIL")
        responses[email] = (
            response.status_code,
            [m.message.replace(email, "EMAIL") for m in response.context["messages"]],
        )
        assert "already belongs" not in text and "已属于" not in text
    assert responses[member_elsewhere.email] == responses["stranger@example.com"]
    # The person who already belongs to an enterprise still cannot join a second one.
    mail.outbox.clear()
    _, token = invitation_send(
        enterprise_id=admin.enterprise_id,
        email=member_elsewhere.email,
        position="customs_affairs",
        actor=admin,
        accept_url="/x/{token}",
    )
    from django.core.exceptions import ValidationError

    from trainees.services import invitation_accept

    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=member_elsewhere)
