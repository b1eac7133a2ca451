"""Sign-in by mainland mobile number (allauth phone support): numbers validated and stored in
E.164, unique, verified by an SMS code; sign-in by SMS code; back-office staff still need TOTP."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms import sms
from tests.cache import clear_cache
from tests.factories import TEST_PASSWORD, EnterpriseStaffFactory, UserFactory
from trainees.models import Consent, User
from trainees.roles import Role
from trainees.validators import mainland_mobile


@pytest.fixture(autouse=True)
def _empty_outbox():
    clear_cache()  # allauth's rate limits count per number in the cache
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("+86 138-0013-8000", "+8613800138000"),
        ("008613800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("199 1234 5678", "+8619912345678"),
    ],
)
def test_mainland_mobile_numbers_are_stored_in_e164(typed, stored):
    assert mainland_mobile(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "0512-66668888",
        "+852 9123 4567",
        "+1 415 555 2671",
        "1380013800",
        "138001380001",
        "abc",
        "",
        "138\u200b00138000",
    ],
)
def test_anything_but_a_mainland_mobile_number_is_refused(typed):
    with pytest.raises(ValidationError):
        mainland_mobile(typed)


def _signup(client, email, phone, consent=True):
    data = {"email": email, "phone": phone, "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}
    if consent:
        data["privacy_consent"] = "on"
    return client.post("/accounts/signup/", data)


@pytest.mark.django_db
def test_sign_up_stores_the_number_unverified_and_records_consent(client):
    _signup(client, "phone.person@example.com", "138 0013 8000")
    user = User.objects.get(email="phone.person@example.com")
    assert (user.phone, user.phone_verified) == ("+8613800138000", False)
    consent = Consent.objects.get(user=user)
    assert consent.purpose == Consent.Purpose.ACCOUNT and consent.notice_version == "2026-12"


@pytest.mark.django_db
def test_sign_up_refuses_a_landline_and_keeps_the_form(client):
    response = _signup(client, "landline@example.com", "0512-66668888")
    assert response.status_code == 200
    assert not User.objects.filter(email="landline@example.com").exists()
    assert "请输入中国大陆手机号码" in response.content.decode()


@pytest.mark.django_db
def test_a_number_belongs_to_one_account(client):
    UserFactory(email="first@example.com", phone="+8613800138000", phone_verified=True)
    _signup(client, "second@example.com", "13800138000")
    assert User.objects.filter(phone="+8613800138000").count() == 1
    assert User.objects.get(email="first@example.com").phone == "+8613800138000"
    second = User.objects.filter(email="second@example.com").first()
    assert second is None or second.phone == ""


def _code_from_outbox() -> str:
    assert sms.outbox, "no SMS was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


@pytest.mark.django_db
def test_sign_in_with_a_code_sent_by_sms(client):
    user = EnterpriseStaffFactory(phone="+8613800138000", phone_verified=True)
    response = client.post(reverse("account_request_login_code"), {"phone": "138 0013 8000"})
    assert response.status_code == 302
    assert [m.to for m in sms.outbox] == ["+8613800138000"]
    code = _code_from_outbox()
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/privacy/my-data/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_does_not_sign_in(client):
    EnterpriseStaffFactory(phone="+8613800138000", phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "13800138000"})
    code = _code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    client.post(reverse("account_confirm_login_code"), {"code": wrong})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_with_number_and_password(client):
    user = EnterpriseStaffFactory(phone="+8613800138000", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "138 0013 8000", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_back_office_staff_signed_in_by_sms_still_need_totp(client, settings):
    settings.LMS_REQUIRE_STAFF_MFA = True
    UserFactory(roles=[Role.TRAINER], phone="+8613900139000", phone_verified=True)
    client.post(reverse("account_request_login_code"), {"phone": "13900139000"})
    client.post(reverse("account_confirm_login_code"), {"code": _code_from_outbox()})
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]


@pytest.mark.django_db
def test_no_sms_for_a_number_without_account(client):
    response = client.post(reverse("account_request_login_code"), {"phone": "13700137000"})
    # The same answer as for a known number (no enumeration), and no text sent.
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/code/confirm/")
    assert sms.outbox == []


@pytest.mark.django_db
def test_the_code_text_is_in_the_persons_language(client):
    EnterpriseStaffFactory(phone="+8613800138000", phone_verified=True, language="zh-hans")
    client.post(reverse("account_request_login_code"), {"phone": "13800138000"})
    assert "验证码" in sms.outbox[-1].text and sms.outbox[-1].kind == "code"


@pytest.mark.django_db
def test_asking_again_too_soon_answers_429_not_500(client):
    """The same number twice within allauth's 30 s limit: a 429 page, not a server error."""
    for n in range(2):
        response = _signup(client, f"twice{n}@example.com", "13600136000")
        client.logout()
    assert response.status_code == 429
