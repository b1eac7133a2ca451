"""The SMS channel of notices: people who chose SMS reminders and verified their mobile number
get each reminder as a text message too (once), whatever they chose for e-mail."""

import datetime as dt

import pytest
from django.utils import timezone

from lms import sms
from notices import tasks
from notices.forms import NotificationPreferenceForm
from notices.models import Notice, NotificationPreference
from training_bases import services

from .factories import SessionFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _soon():
    return SessionFactory(
        starts_at=timezone.now() + dt.timedelta(days=1, hours=12),
        ends_at=timezone.now() + dt.timedelta(days=1, hours=20),
        booking_closes_at=timezone.now() + dt.timedelta(days=1),
        cancellation_cutoff=timezone.now() + dt.timedelta(hours=1),
    )


def test_reminders_go_by_sms_to_people_who_chose_it(mailoutbox, django_capture_on_commit_callbacks):
    session = _soon()
    texted = staff(phone="+8613800138000", phone_verified=True)
    digest = staff(phone="+8613900139000", phone_verified=True)
    unverified = staff(phone="+8613700137000", phone_verified=False)
    mail_only = staff(phone="+8613600136000", phone_verified=True)
    NotificationPreference.objects.create(user=texted, sms_reminders=True)
    NotificationPreference.objects.create(user=digest, sms_reminders=True, daily_digest=True)
    NotificationPreference.objects.create(user=unverified, sms_reminders=True)
    for user in (texted, digest, unverified, mail_only):
        services.booking_create(user=user, session_id=session.pk)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders() == 4
    assert sorted(m.to for m in sms.outbox) == ["+8613800138000", "+8613900139000"]
    assert {m.kind for m in sms.outbox} == {"reminder"}
    assert session.title_zh in sms.outbox[0].text and "提醒" in sms.outbox[0].text
    # e-mail as before (the digest person gets theirs in the evening digest)
    assert {m.to[0] for m in mailoutbox} == {texted.email, unverified.email, mail_only.email}
    # once only
    ids = list(Notice.objects.values_list("pk", flat=True))
    assert tasks.send_sms_reminders(ids) == 0
    assert len(sms.outbox) == 2


def test_a_reminder_for_a_cancelled_seat_is_not_texted(django_capture_on_commit_callbacks):
    session = _soon()
    user = staff(phone="+8613800138000", phone_verified=True)
    NotificationPreference.objects.create(user=user, sms_reminders=True)
    booking = services.booking_create(user=user, session_id=session.pk)
    tasks.send_reminders()  # on_commit callbacks not run: the notices wait
    services.booking_cancel(actor=user, booking_id=booking.pk)
    assert tasks.send_sms_reminders(list(Notice.objects.values_list("pk", flat=True))) == 0
    assert sms.outbox == []


def test_sms_reminders_need_a_verified_number():
    user = staff()
    pref = NotificationPreference.objects.create(user=user)
    form = NotificationPreferenceForm({"language": "zh-hans", "reminder_days": 2, "sms_reminders": "on"}, instance=pref)
    assert not form.is_valid() and "sms_reminders" in form.errors
    user.phone, user.phone_verified = "+8613800138000", True
    user.save()
    form = NotificationPreferenceForm({"language": "zh-hans", "reminder_days": 2, "sms_reminders": "on"}, instance=pref)
    assert form.is_valid(), form.errors
