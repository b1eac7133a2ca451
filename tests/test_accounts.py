"""Accounts: e-mail login, mandatory verification, clear errors in the user's language."""

import re

import pytest
from allauth.account.models import EmailAddress

from tests.cache import clear_cache
from tests.factories import TEST_PASSWORD, UserFactory
from trainees.models import User

pytestmark = pytest.mark.django_db


def signup(client, email, password, prefix=""):
    return client.post(
        f"{prefix}/accounts/signup/",
        {"email": email, "password1": password, "password2": password, "privacy_consent": "on"},
        follow=True,
    )


def test_signup_sends_a_verification_email_and_login_waits_for_it(client, mailoutbox):
    response = signup(client, "new.person@example.com", TEST_PASSWORD)
    assert response.status_code == 200
    assert "验证您的Email地址" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.com"]
    user = User.objects.get(email="new.person@example.com")
    assert not EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "new.person@example.com", "password": TEST_PASSWORD}, follow=True
    )
    assert "_auth_user_id" not in client.session  # unverified: no session yet

    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post(f"/{path}")
    assert EmailAddress.objects.get(user=user).verified
    client.post("/accounts/login/", {"login": "new.person@example.com", "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_taken_email_is_not_revealed_and_no_second_account_is_made(client, mailoutbox, prefix):
    """ACCOUNT_PREVENT_ENUMERATION: signing up with a taken address answers like a new one; the
    owner is told by e-mail instead."""
    clear_cache()  # allauth's rate limits (per IP) count earlier tests' sign-ups
    UserFactory(email="taken@example.com")
    taken = signup(client, "taken@example.com", TEST_PASSWORD, prefix=prefix)
    client.logout()
    fresh = signup(client, "fresh@example.com", TEST_PASSWORD, prefix=prefix)
    assert taken.status_code == fresh.status_code == 200
    assert [r[0] for r in taken.redirect_chain] == [r[0] for r in fresh.redirect_chain]
    for text in ("此电子邮件地址已被其他用户注册", "already registered"):
        assert text not in taken.content.decode()
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["fresh@example.com", "taken@example.com"]


@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "密码太短，至少需要 10 个字符"), ("password123", "这个密码太常见了"), ("8264917350", "密码只包含数字")],
)
def test_weak_password_is_refused_with_the_reason(client, mailoutbox, password, message):
    response = signup(client, "weak@example.com", password)
    assert message in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()
    assert mailoutbox == []


def test_wrong_verification_link_says_so_and_verifies_nothing(client):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert "这个电子邮件确认链接已过期或无效" in response.content.decode()
    response = client.post("/accounts/confirm-email/not-a-real-key/")
    assert not EmailAddress.objects.get(user=user).verified


def test_password_reset_sends_a_link(client, mailoutbox):
    UserFactory(email="forgetful@example.com")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_login_is_rate_limited(client):
    UserFactory(email="target@example.com")
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong-password"})
        assert "登录失败次数过多" not in response.content.decode()
    # allauth's default: 5 failed logins per account within 5 minutes, then refused even with
    # the right password.
    response = client.post("/accounts/login/", {"login": "target@example.com", "password": TEST_PASSWORD})
    assert "登录失败次数过多，请稍后重试。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_are_offered_two_factor_authentication(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert "/accounts/2fa/" in page
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")  # a password prompt first
    client.post(response.url, {"password": TEST_PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "data:image/svg+xml" in content  # the QR code to scan
    assert 'id="authenticator_secret"' in content


def test_enterprise_staff_menu_has_no_back_office_link(client):
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert "/admin/" not in page
