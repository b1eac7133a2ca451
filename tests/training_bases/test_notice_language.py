"""Notices in the person's language (issue 8 point 11) with links built only from
WAGTAILADMIN_BASE_URL (point 12), whatever Host header the request carried."""

import re

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from trainees.models import Position, User
from training_bases import services

from .factories import staff

pytestmark = pytest.mark.django_db
BASE = "https://lms.example.cn"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"


def links(mail) -> list[str]:
    found = LINK.findall(mail.body) + [u for html, _ in mail.alternatives for u in LINK.findall(html)]
    return [u for u in found if "w3.org" not in u]


@pytest.mark.parametrize(("prefix", "language"), [("/en", "en"), ("", "zh-hans")])
def test_sign_up_records_the_language_and_its_mail_links_use_the_public_address(client, mailoutbox, prefix, language):
    client.post(
        f"{prefix}/accounts/signup/",
        {
            "email": f"new.person.{language}@example.com",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "privacy_consent": "on",
        },
        HTTP_HOST="evil.example",
    )
    assert User.objects.get(email=f"new.person.{language}@example.com").language == language
    (verify,) = mailoutbox
    assert links(verify) and all(u.startswith(BASE + f"{prefix}/accounts/") for u in links(verify))


def test_switching_language_is_recorded_and_notices_follow_it(
    client, session, mailoutbox, django_capture_on_commit_callbacks
):
    user = staff()
    client.force_login(user)
    page = client.get(reverse("training_bases:calendar")).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'data-lang="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/training/"})
    assert response.status_code == 302 and response["Location"] == "/en/training/"
    user.refresh_from_db()
    assert user.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(user=user, session_id=session.pk)
    (mail,) = mailoutbox
    assert "Your seat is confirmed" in mail.subject and "Beijing time" in mail.body
    assert links(mail) and all(u.startswith(BASE + "/en/training/") for u in links(mail))
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/training/"})
    user.refresh_from_db()
    assert user.language == "zh-hans"
    client.post("/i18n/setlang/", {"language": "klingon", "next": "/training/"})
    user.refresh_from_db()
    assert user.language == "zh-hans"


def test_chinese_notices_link_to_chinese_pages(session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(user=user, session_id=session.pk)
    (mail,) = mailoutbox
    assert mail.subject.startswith("[AEO] 您的席位已确认：")
    assert links(mail) and all(u.startswith(BASE + "/training/") for u in links(mail))


def test_the_preferences_form_sets_the_language_of_notices(
    client, session, mailoutbox, django_capture_on_commit_callbacks
):
    user = staff()
    client.force_login(user)
    client.post(reverse("training_bases:my_bookings"), {"language": "en", "reminder_days": "2"})
    user.refresh_from_db()
    assert user.language == "en"


def test_invitation_links_use_the_public_address_not_the_host_header(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    admin = staff(position=Position.LEGAL_REPRESENTATIVE)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/enterprises/mine/invite/", {"email": "x@example.com", "position": "it"}, HTTP_HOST="evil.example")
    (mail,) = mailoutbox
    assert links(mail) and all(u.startswith(BASE + "/enterprises/") for u in links(mail))
