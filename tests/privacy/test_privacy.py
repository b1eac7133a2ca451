"""Personal information (PIPL): privacy notice and consent, a person's copy of their data,
deletion requests handled by officers (anonymisation keeps the records the law requires), and
retention."""

import datetime as dt
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from exams.models import CandidatePhoto
from notices.models import Notice
from privacy import services, tasks
from privacy.models import DeletionRequest
from tests.factories import TEST_PASSWORD
from tests.training_bases.factories import SessionFactory, officer, staff
from trainees.models import Consent, User
from training_bases import services as booking_services
from training_bases.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    user = staff(last_name="刘", first_name="关务", phone="+8613800138000", phone_verified=True)
    booking_services.booking_create(user=user, session_id=SessionFactory().pk)
    Consent.objects.create(user=user, purpose=Consent.Purpose.ACCOUNT, notice_version="2026-12")
    return user


def test_the_privacy_notice_names_its_version_and_retention(client, settings):
    settings.LMS_RETENTION_DAYS = {**settings.LMS_RETENTION_DAYS, "sent_notices": 200}
    html = client.get("/privacy/").content.decode()
    assert 'data-version="2026-12"' in html
    assert "200 天" in html
    assert "匿名" in html  # says which records are kept without the identity
    assert "Privacy notice" in client.get("/en/privacy/").content.decode()


def test_the_footer_shows_the_icp_filing_number_from_the_site_setting(client):
    from wagtail.models import Site

    from cms.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.icp_licence = "京ICP备12345678号-1"
    site_settings.save()
    html = client.get("/privacy/").content.decode()
    assert "京ICP备12345678号-1" in html and 'id="privacy-link"' in html


def test_sign_up_without_consent_is_refused(client):
    response = client.post(
        "/accounts/signup/", {"email": "no.consent@example.com", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="no.consent@example.com").exists()


def test_download_json_has_everything_about_the_person_and_nobody_else(client, person, django_assert_max_num_queries):
    other = staff()
    booking_services.booking_create(user=other, session_id=SessionFactory().pk)
    client.force_login(person)
    with django_assert_max_num_queries(40):
        response = client.get("/privacy/my-data/download.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)["sections"]
    assert data["profile"][0]["email"] == person.email and data["profile"][0]["phone"] == "+8613800138000"
    assert len(data["bookings"]) == 1
    assert data["consents"][0]["notice_version"] == "2026-12"
    for section in ("attendance", "enrolments", "exam_attempts", "judgements_written", "certificates", "notices"):
        assert section in data
    assert other.email not in response.content.decode()


def test_download_queries_do_not_grow_with_rows(client, person, django_assert_max_num_queries):
    booking_services.booking_create(user=person, session_id=SessionFactory(training_type="aeo_certification").pk)
    first = Notice.objects.filter(recipient=person).first()
    Notice.objects.bulk_create(
        [
            Notice(recipient=person, target_type=first.target_type, target_id=first.target_id, kind="reminder")
            for _ in range(20)
        ]
    )
    client.force_login(person)
    with django_assert_max_num_queries(40):
        client.get("/privacy/my-data/download.json")


def test_download_zip_holds_json_and_xlsx(client, person):
    client.force_login(person)
    response = client.get("/privacy/my-data/download.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"data.json", "profile.xlsx", "bookings.xlsx"} <= names
    sheet = load_workbook(io.BytesIO(archive.read("profile.xlsx"))).active
    assert person.email in [c.value for row in sheet.iter_rows() for c in row]


def test_asking_for_deletion_records_one_request(client, person):
    client.force_login(person)
    response = client.post("/privacy/my-data/", {"reason": "不再需要", "confirm": "on"})
    assert response.status_code == 302
    assert DeletionRequest.objects.get(user=person).status == DeletionRequest.Status.PENDING
    again = client.post("/privacy/my-data/", {"confirm": "on"})
    assert again.status_code == 400 and DeletionRequest.objects.filter(user=person).count() == 1
    unconfirmed = client.post("/privacy/my-data/", {"reason": "x"})
    assert unconfirmed.status_code == 400


def test_carrying_out_a_deletion_anonymises_and_keeps_the_records(client, person):
    request = services.deletion_request_create(user=person, reason="")
    services.deletion_request_handle(request_id=request.pk, actor=officer(), carry_out=True)
    person.refresh_from_db()
    assert person.email.endswith("@deleted.invalid") and person.phone == "" and not person.is_active
    assert person.get_full_name() == "已删除用户"
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert Booking.objects.filter(user=person).count() == 1  # training records are kept
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionRequest.Status.DONE
    assert not client.login(email="user@example.com", password=TEST_PASSWORD)


def test_the_exam_photo_is_in_the_copy_and_goes_with_the_deletion(client, person, django_capture_on_commit_callbacks):
    """An identity photo is personal information too: listed in the person's copy, and its row and
    file are deleted when the person is anonymised (the exam records themselves are kept)."""
    from exams.services.photos import candidate_photo_save
    from tests.exams.test_photos import picture

    photo = candidate_photo_save(user=person, data=picture(), consent=True)
    name, storage = photo.photo.name, photo.photo.storage
    client.force_login(person)
    assert len(json.loads(client.get("/privacy/my-data/download.json").content)["sections"]["exam_photo"]) == 1
    request = services.deletion_request_create(user=person, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.deletion_request_handle(request_id=request.pk, actor=officer(), carry_out=True)
    assert not CandidatePhoto.objects.filter(user=person).exists()
    assert not storage.exists(name)


def test_a_refusal_needs_a_note_and_only_officers_handle_requests(person):
    request = services.deletion_request_create(user=person)
    with pytest.raises(ValidationError):
        services.deletion_request_handle(request_id=request.pk, actor=officer(), carry_out=False, note="")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.deletion_request_handle(request_id=request.pk, actor=staff(), carry_out=True)
    services.deletion_request_handle(request_id=request.pk, actor=officer(), carry_out=False, note="考试记录须保存")
    person.refresh_from_db()
    assert person.is_active and person.phone == "+8613800138000"


def test_officers_handle_requests_in_the_back_office(client, person):
    request = services.deletion_request_create(user=person)
    client.force_login(officer())
    assert client.get("/admin/deletion_requests/").status_code == 200
    response = client.post(f"/admin/deletion_requests/edit/{request.pk}/", {"decision": "done", "officer_note": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_active


def test_retention_purges_what_passed_its_period(person, settings):
    settings.LMS_RETENTION_DAYS = {"sent_notices": 365, "handled_requests": 30, "inactive_accounts": 0}
    now = timezone.now()
    old, recent = Notice.objects.filter(recipient=person)[:1].get(), None
    Notice.objects.filter(pk=old.pk).update(sent_at=now - dt.timedelta(days=400))
    recent = Notice.objects.create(
        recipient=person, target_type=old.target_type, target_id=old.target_id, kind="reminder", sent_at=now
    )
    handled = services.deletion_request_create(user=staff())
    DeletionRequest.objects.filter(pk=handled.pk).update(status="refused", handled_at=now - dt.timedelta(days=31))
    result = tasks.purge_expired()
    assert result["sent_notices"] == 1 and result["handled_requests"] == 1 and result["inactive_accounts"] == 0
    assert not Notice.objects.filter(pk=old.pk).exists() and Notice.objects.filter(pk=recent.pk).exists()
    assert tasks.purge_expired() == {"sent_notices": 0, "handled_requests": 0, "inactive_accounts": 0}


def test_inactive_accounts_are_anonymised_but_back_office_staff_are_not(person, settings):
    settings.LMS_RETENTION_DAYS = {"sent_notices": 0, "handled_requests": 0, "inactive_accounts": 365}
    long_ago = timezone.now() - dt.timedelta(days=400)
    back_office = officer()
    User.objects.filter(pk__in=[person.pk, back_office.pk]).update(last_login=long_ago)
    active = staff()
    User.objects.filter(pk=active.pk).update(last_login=timezone.now())
    assert services.purge_expired(now=timezone.now())["inactive_accounts"] == 1
    person.refresh_from_db()
    back_office.refresh_from_db()
    active.refresh_from_db()
    assert not person.is_active and back_office.is_active and active.is_active


def test_the_beat_schedule_runs_the_purge(settings):
    assert settings.CELERY_BEAT_SCHEDULE["privacy-purge-expired"]["task"] == "privacy.tasks.purge_expired"


def test_evidence_upload_needs_consent_and_records_it():
    from readiness.forms import EvidenceForm

    assert "consent" in EvidenceForm().fields and EvidenceForm().fields["consent"].required
