"""Pages and their permissions: everyone sees the calendar and sessions; enterprise staff book;
officers allocate; officers and the session's trainers keep the roster."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from notices.models import NotificationPreference
from trainees.models import CultivationStatus, Position
from training_bases import services
from training_bases.models import AttendanceRecord, Booking, TrainingSession

from .factories import booking_deleted_after_access_check, officer, publish_key_list, staff, trainer

pytestmark = pytest.mark.django_db


def reverse(name, args=None):
    with translation.override("zh-hans"):
        return django_reverse(name, args=args)


def en_reverse(name, args=None):
    with translation.override("en"):
        return django_reverse(name, args=args)


def login(client, user):
    client.force_login(user)
    return client


def test_calendar_month_and_week_with_filters(client, session):
    day = timezone.localtime(session.starts_at).date().isoformat()
    for view in ("month", "week"):
        response = client.get(reverse("training_bases:calendar"), {"view": view, "date": day})
        assert response.status_code == 200
        assert f'data-session-id="{session.pk}"' in response.content.decode()
    filtered = client.get(reverse("training_bases:calendar"), {"date": day, "base": "shenzhen"})
    assert f'data-session-id="{session.pk}"' not in filtered.content.decode()
    by_type = client.get(reverse("training_bases:calendar"), {"date": day, "type": "aeo_certification"})
    assert f'data-session-id="{session.pk}"' not in by_type.content.decode()
    english = client.get(en_reverse("training_bases:calendar"), {"date": day})
    assert "Training calendar" in english.content.decode()


def test_calendar_hides_drafts_except_from_officers(client, session):
    TrainingSession.objects.filter(pk=session.pk).update(status=TrainingSession.Status.DRAFT)
    day = timezone.localtime(session.starts_at).date().isoformat()
    url = reverse("training_bases:calendar") + f"?date={day}"
    assert f'data-session-id="{session.pk}"' not in client.get(url).content.decode()
    assert client.get(reverse("training_bases:session_detail", args=[session.pk])).status_code == 404
    login(client, officer())
    assert f'data-session-id="{session.pk}"' in client.get(url).content.decode()


def test_bad_calendar_parameters_fall_back(client, db):
    assert (
        client.get(reverse("training_bases:calendar"), {"date": "not-a-date", "view": "year", "type": "x"}).status_code
        == 200
    )


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2100-01-01", "1999-12-31"])
@pytest.mark.parametrize("view", ["month", "week"])
def test_calendar_outside_its_years_says_so_and_shows_today(client, db, date, view):
    response = client.get(en_reverse("training_bases:calendar"), {"date": date, "view": view})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"The calendar covers 2000 to 2099: showing today instead of {date}." in content
    assert timezone.localdate().isoformat() in content


def test_calendar_edges_of_its_years_work(client, db):
    for date in ("2000-01-01", "2099-12-31"):
        for view in ("month", "week"):
            response = client.get(reverse("training_bases:calendar"), {"date": date, "view": view})
            assert response.status_code == 200


def test_session_page_booking_and_cancellation(client, session, mailoutbox, django_capture_on_commit_callbacks):
    user = staff()
    url = reverse("training_bases:session_detail", args=[session.pk])
    assert 'id="book-seat"' not in client.get(url).content.decode()  # anonymous: log in link
    login(client, user)
    assert 'id="book-seat"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training_bases:session_book", args=[session.pk]), follow=True)
    assert 'data-status="confirmed"' in response.content.decode()
    booking = Booking.objects.get(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training_bases:booking_cancel", args=[booking.pk]), {"next": url}, follow=True)
    assert response.redirect_chain[-1][0] == url
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert len(mailoutbox) == 2


def test_booking_refusal_is_shown_and_changes_nothing(client, session):
    user = staff()
    user.enterprise.cultivation_status = CultivationStatus.SUSPENDED
    user.enterprise.save()
    login(client, user)
    response = client.post(en_reverse("training_bases:session_book", args=[session.pk]), follow=True)
    assert "suspended or terminated" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_needs_login_and_post(client, session):
    url = reverse("training_bases:session_book", args=[session.pk])
    assert client.post(url).status_code == 302
    login(client, staff())
    assert client.get(url).status_code == 405
    gone = reverse("training_bases:session_book", args=[session.pk + 1000])
    assert client.post(gone).status_code == 404
    beyond = reverse("training_bases:session_book", args=[10**30])  # no key can be that large
    assert client.post(beyond).status_code == 404
    assert not Booking.objects.exists()


def test_only_the_owner_cancels_or_downloads(client, session):
    owner = staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    login(client, staff())
    # Another person's booking is not found for them (scoped lookups: trainees.access).
    assert client.post(reverse("training_bases:booking_cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("training_bases:booking_ics", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_booking_deleted_while_its_cancellation_is_under_way_is_not_found(client, session, monkeypatch):
    """The booking disappears between the page's read and the cancellation (an officer deleted
    it in the back office): 404, not a server error."""
    from training_bases import views

    owner = staff()
    booking = services.booking_create(user=owner, session_id=session.pk)
    booking_deleted_after_access_check(monkeypatch, views)
    login(client, owner)
    assert client.post(reverse("training_bases:booking_cancel", args=[booking.pk])).status_code == 404


PUBLIC = "https://lms.example.cn"


@pytest.fixture
def public_address(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC + "/"


def test_my_bookings_ics_and_private_feed(client, session, public_address):
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    login(client, user)
    page = client.get(reverse("training_bases:my_bookings"), HTTP_HOST="evil.example").content.decode()
    assert f'data-booking-id="{booking.pk}"' in page
    feed_url = re.search(r'id="feed-url" readonly value="([^"]+)"', page).group(1)
    assert feed_url.startswith(PUBLIC + "/")  # the public address, not the request's Host header
    ics = client.get(reverse("training_bases:booking_ics", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "METHOD:REQUEST" in body and f"UID:booking-{booking.uid}@aeo-lms" in body
    client.logout()
    feed = client.get(feed_url.replace(PUBLIC, ""))
    assert feed.status_code == 200 and f"booking-{booking.uid}" in feed.content.decode()
    assert client.get(reverse("training_bases:ical_feed", args=["wrong-token"])).status_code == 404


def test_feed_rotation_revokes_the_old_address(client, db):
    user = staff()
    login(client, user)
    client.get(reverse("training_bases:my_bookings"))
    old = NotificationPreference.objects.get(user=user).feed_token
    client.post(reverse("training_bases:feed_rotate"))
    assert client.get(reverse("training_bases:ical_feed", args=[old])).status_code == 404


def test_preferences_are_saved_and_validated(client, db):
    user = staff()
    login(client, user)
    url = reverse("training_bases:my_bookings")
    client.post(url, {"language": "en", "daily_digest": "on", "reminder_days": "3"})
    pref = NotificationPreference.objects.get(user=user)
    assert (pref.language, pref.daily_digest, pref.reminder_days) == ("en", True, 3)
    response = client.post(url, {"language": "en", "reminder_days": "99"})
    assert response.status_code == 200
    pref.refresh_from_db()
    assert pref.reminder_days == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff", 403), ("trainer", 403), ("officer", 200)],
)
def test_allocation_page_is_for_officers(client, db, who, status):
    users = {"staff": staff, "trainer": trainer, "officer": officer}
    if who != "anonymous":
        login(client, users[who]())
    assert client.get(reverse("training_bases:allocation")).status_code == status


def test_officer_previews_then_confirms_an_allocation(client, session, django_capture_on_commit_callbacks):
    a, b, c = staff(), staff(position=Position.SENIOR_MANAGEMENT), staff()
    publish_key_list(
        [
            (a, 2, ("suzhou",), a.position),
            (b, 1, ("suzhou",), b.position),
            (c, 3, ("suzhou",), c.position),
            (None, 4, ("suzhou",), Position.OTHER),
        ]
    )
    login(client, officer())
    response = client.post(en_reverse("training_bases:allocation"), {"training_type": "compliance"}, follow=True)
    page = response.content.decode()
    assert 'data-placed="2"' in page and 'data-waitlisted="1"' in page and 'data-skipped="1"' in page
    assert "No account yet" in page
    assert not Booking.objects.exists()
    run_url = response.redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(run_url)
    assert dict(Booking.objects.values_list("user_id", "status")) == {
        b.pk: "confirmed",
        a.pk: "confirmed",
        c.pk: "waitlisted",
    }
    page = client.get(run_url).content.decode()
    assert 'data-status="confirmed"' in page
    # confirming twice is refused and writes nothing more
    response = client.post(run_url, follow=True)
    assert "already confirmed" in response.content.decode()
    assert Booking.objects.count() == 3


def test_a_stale_preview_is_refused(client, session):
    a = staff()
    publish_key_list([(a, 1, ("suzhou",), a.position)])
    user = officer()
    run = services.allocation_preview(actor=user, training_type="compliance")
    services.booking_create(user=staff(), session_id=session.pk)
    services.booking_create(user=staff(), session_id=session.pk)  # the session is now full
    login(client, user)
    response = client.post(en_reverse("training_bases:allocation_detail", args=[run.pk]), follow=True)
    assert "changed since this preview" in response.content.decode()
    assert not Booking.objects.filter(user=a).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff", 403), ("other_trainer", 404), ("session_trainer", 200), ("officer", 200)],
)
def test_roster_exports_and_qr_permissions(client, session, who, status):
    teacher = trainer()
    session.trainers.add(teacher)
    users = {"staff": staff, "other_trainer": trainer, "session_trainer": lambda: teacher, "officer": officer}
    if who != "anonymous":
        login(client, users[who]())
    day = timezone.localtime(session.starts_at).date().isoformat()
    urls = [
        reverse("training_bases:roster", args=[session.pk]),
        reverse("training_bases:roster_export", args=[session.pk, "roster", "xlsx"]),
        reverse("training_bases:checkin_qr", args=[session.pk, day]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url


def test_roster_register_records_attendance(client, session):
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    now = timezone.now()
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(minutes=30)
    )
    login(client, officer())
    day = timezone.localdate()
    url = reverse("training_bases:roster", args=[session.pk])
    client.post(url, {"day": day.isoformat(), f"attendance-{booking.pk}": "late"})
    assert AttendanceRecord.objects.get(booking=booking, day=day).status == "late"


def test_qr_checkin_marks_present_or_late(client, session, public_address):
    user = staff()
    services.booking_create(user=user, session_id=session.pk)
    day = timezone.localtime(session.starts_at).date()
    login(client, officer())
    from unittest import mock

    # server time decides: the code shown and opened 20 minutes after the start
    late = session.starts_at + dt.timedelta(minutes=20)
    with mock.patch("django.utils.timezone.now", return_value=late):
        qr = client.get(
            reverse("training_bases:checkin_qr", args=[session.pk, day.isoformat()]), HTTP_HOST="evil.example"
        ).content.decode()
    assert "<svg" in qr
    link = re.search(r'id="checkin-link"[^>]*>([^<]+)<', qr).group(1)
    assert link.startswith(PUBLIC + "/")  # phones scan the public address, not the request's Host header
    link = link.replace(PUBLIC, "")
    login(client, user)
    with mock.patch("django.utils.timezone.now", return_value=late + dt.timedelta(seconds=20)):
        response = client.get(link)
    assert 'data-result="late"' in response.content.decode()
    assert client.get(reverse("training_bases:checkin", args=["forged"])).status_code == 400
    stranger = staff()
    login(client, stranger)
    with mock.patch("django.utils.timezone.now", return_value=late):
        assert client.get(link).status_code == 400
    assert not AttendanceRecord.objects.filter(booking__user=stranger).exists()


def test_navigation_entries(client, db):
    login(client, officer())
    page = client.get(reverse("training_bases:calendar")).content.decode()
    assert reverse("training_bases:allocation") in page
    login(client, staff())
    page = client.get(reverse("training_bases:calendar")).content.decode()
    assert reverse("training_bases:allocation") not in page
    assert reverse("training_bases:my_bookings") in page


def test_my_bookings_show_attendance(client, session):
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    login(client, user)
    url = en_reverse("training_bases:my_bookings")
    cell = re.compile(rf'data-attendance="{booking.pk}">(.*?)</td>', re.S)
    assert cell.search(client.get(url).content.decode()).group(1).strip() == '<span class="muted">—</span>'
    day = timezone.localtime(session.starts_at).date()
    services.attendance_record(actor=officer(), booking_id=booking.pk, day=day, status="present", now=session.ends_at)
    shown = cell.search(client.get(url).content.decode()).group(1)
    assert "Completed" in shown and "1 of 1 day attended" in shown


def test_allocation_with_a_round_number_too_big_for_the_database_re_renders(client, db):
    login(client, officer())
    response = client.post(
        reverse("training_bases:allocation"), {"training_type": "compliance", "round_id": "99999999999999999999999"}
    )
    assert response.status_code == 400  # the form re-renders with the field's error
    assert "round_id" in response.content.decode()


def _qr_link(client, session, day, now):
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=now):
        page = client.get(reverse("training_bases:checkin_qr", args=[session.pk, day.isoformat()])).content.decode()
    refresh = int(re.search(r'http-equiv="refresh" content="(\d+)"', page).group(1))
    return re.search(r'id="checkin-link"[^>]*>([^<]+)<', page).group(1).replace(_public(), ""), refresh


def _public() -> str:
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _open(client, link, now, **extra):
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=now):
        return client.get(link, **extra)


def test_the_base_screen_code_changes_and_a_forwarded_code_expires(client, session):
    user = staff()
    services.booking_create(user=user, session_id=session.pk)
    day = timezone.localtime(session.starts_at).date()
    shown = session.starts_at.replace(second=5, microsecond=0)
    login(client, officer())
    link, refresh = _qr_link(client, session, day, shown)
    assert refresh == 25  # the screen reloads when the next 30-second code starts
    assert _qr_link(client, session, day, shown + dt.timedelta(seconds=30))[0] != link
    login(client, user)
    # forwarded by chat and opened 70 s later: refused, nothing recorded
    assert _open(client, link, shown + dt.timedelta(seconds=70)).status_code == 400
    assert not AttendanceRecord.objects.exists()
    # the previous code still works in the next period (scanned just as the screen changed)
    assert _open(client, link, shown + dt.timedelta(seconds=40)).status_code == 200
    assert AttendanceRecord.objects.get().status == "present"


def test_checkin_only_from_the_base_network_records_the_address(client, session, settings):
    session.base.checkin_networks = "10.8.0.0/16\n2001:db8::/48"
    session.base.save()
    user = staff()
    services.booking_create(user=user, session_id=session.pk)
    day = timezone.localtime(session.starts_at).date()
    now = session.starts_at
    login(client, officer())
    link, _refresh = _qr_link(client, session, day, now)
    login(client, user)
    settings.LMS_TRUSTED_PROXY_COUNT = 0
    # at home, claiming the base's address in a forged header
    away = _open(client, "/en" + link, now, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.8.3.4")
    assert away.status_code == 400 and "connect to the base's Wi-Fi" in away.content.decode().replace("&#x27;", "'")
    assert not AttendanceRecord.objects.exists()
    # behind the site's one trusted proxy, from the base's Wi-Fi
    settings.LMS_TRUSTED_PROXY_COUNT = 1
    here = _open(client, link, now, REMOTE_ADDR="172.20.0.2", HTTP_X_FORWARDED_FOR="10.8.3.4")
    assert here.status_code == 200
    assert AttendanceRecord.objects.get().client_address == "10.8.3.4"


def test_checkin_networks_are_validated_in_the_back_office_model():
    from django.core.exceptions import ValidationError

    from training_bases.models import TrainingBase

    base = TrainingBase.objects.first()
    base.checkin_networks = "10.8.0.0/16\nnot-a-range"
    with pytest.raises(ValidationError) as exc:
        base.full_clean()
    assert "not-a-range" in str(exc.value)


def test_cancel_asks_first_and_is_not_offered_after_the_cutoff(client, session, django_capture_on_commit_callbacks):
    user = staff()
    login(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training_bases:session_book", args=[session.pk]))
    bookings = client.get(reverse("training_bases:my_bookings")).content.decode()
    detail = client.get(reverse("training_bases:session_detail", args=[session.pk])).content.decode()
    assert "data-cancel=" in bookings and "data-confirm=" in bookings
    assert 'id="cancel-booking"' in detail and "data-confirm=" in detail
    type(session).objects.filter(pk=session.pk).update(cancellation_cutoff=timezone.now() - dt.timedelta(hours=1))
    bookings = client.get(reverse("training_bases:my_bookings")).content.decode()
    detail = client.get(reverse("training_bases:session_detail", args=[session.pk])).content.decode()
    assert "data-cancel=" not in bookings
    assert 'id="cancel-booking"' not in detail and 'id="cancel-closed"' in detail


def test_my_bookings_rows_in_both_languages(client, session):
    """Each row's link, times (Asia/Shanghai), status and action addresses in the page's language."""
    user = staff()
    booking = services.booking_create(user=user, session_id=session.pk)
    login(client, user)
    shanghai = ZoneInfo("Asia/Shanghai")
    when = (
        f"{session.starts_at.astimezone(shanghai):%Y-%m-%d %H:%M} – {session.ends_at.astimezone(shanghai):%m-%d %H:%M}"
    )
    for language, prefix, status in (("zh-hans", "", "已确认"), ("en", "/en", "Confirmed")):
        with translation.override(language):
            url = django_reverse("training_bases:my_bookings")
        html = client.get(url).content.decode()
        row = re.search(rf'<tr data-booking-id="{booking.pk}" data-status="confirmed">(.*?)</tr>', html, re.S).group(1)
        assert f'<a href="{prefix}/training/sessions/{session.pk}/">' in row
        assert f"<td>{when}</td>" in row
        assert f'<span class="badge badge--success">{status}</span>' in row
        assert f'href="{prefix}/training/bookings/{booking.pk}/calendar.ics"' in row
        assert f'action="{prefix}/training/bookings/{booking.pk}/cancel/"' in row
