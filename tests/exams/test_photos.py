"""Identity photos for check-in (issue 14 point 2): uploaded with the PIPL consent, re-encoded
without metadata, streamed only to the person and to invigilators, shown on the console."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from exams.models import CandidatePhoto
from exams.services import attempts as svc
from exams.services import sittings
from tests.exams.factories import invigilator, make_exam
from tests.exams.test_sittings import computer_room, staff
from tests.factories import EnterpriseFactory, UserFactory
from trainees.models import Consent
from trainees.roles import Role

pytestmark = pytest.mark.django_db


def picture(fmt="PNG") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (1600, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010E] = "secret-location-note"  # ImageDescription
    if fmt == "JPEG":
        image.save(out, fmt, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def test_photo_needs_consent_is_reencoded_and_seen_only_by_the_person_and_invigilators(client):
    user = staff(enterprise=EnterpriseFactory())
    client.force_login(user)
    url = reverse("exams:photo")
    page = client.get(url).content.decode()
    assert 'id="pipl-notice"' in page
    client.post(url, {"photo": SimpleUploadedFile("me.jpg", picture("JPEG"), "image/jpeg")})
    assert not CandidatePhoto.objects.exists()  # no consent, nothing kept
    client.post(url, {"photo": SimpleUploadedFile("me.txt", b"not a picture", "image/jpeg"), "consent": "1"})
    assert not CandidatePhoto.objects.exists()
    client.post(url, {"photo": SimpleUploadedFile("me.jpg", picture("JPEG"), "image/jpeg"), "consent": "1"})
    photo = CandidatePhoto.objects.get(user=user)
    consent = Consent.objects.get(user=user, purpose=Consent.Purpose.EXAM_PHOTO, withdrawn_at=None)
    assert consent.notice_version in client.get(url).content.decode()
    stored = photo.photo.read()
    assert b"secret-location-note" not in stored
    assert max(Image.open(io.BytesIO(stored)).size) == 800
    photo_url = reverse("exams:photo_of", args=[user.pk])
    assert client.get(photo_url).status_code == 200
    client.force_login(staff(enterprise=EnterpriseFactory()))
    assert client.get(photo_url).status_code == 404
    client.force_login(invigilator())
    assert client.get(photo_url).status_code == 404  # not a candidate of a sitting they run
    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=make_exam(online=False),
        room=computer_room(),
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(minutes=60),
    )
    sittings.tickets_issue(sitting=sitting, seats=[(user, 1)])
    assert client.get(photo_url).status_code == 200
    client.force_login(invigilator("5100"))  # Guangzhou: not the Shenzhen sitting's invigilator
    assert client.get(photo_url).status_code == 404
    client.force_login(user)
    client.post(url, {"delete": "1"})
    assert not CandidatePhoto.objects.exists()
    assert client.get(photo_url).status_code == 404


def test_console_rows_show_the_photo(client):
    exam = make_exam(online=False)
    now = svc.db_now()
    sitting = sittings.sitting_create(
        exam=exam, room=computer_room(), starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=60)
    )
    with_photo, without = staff(enterprise=EnterpriseFactory()), staff(enterprise=EnterpriseFactory())
    from exams.services.photos import candidate_photo_save

    candidate_photo_save(user=with_photo, data=picture(), consent=True)
    sittings.tickets_issue(sitting=sitting, seats=[(with_photo, 1), (without, 2)])
    client.force_login(invigilator())
    rows = client.get(reverse("exams:api_console", args=[sitting.pk])).json()["rows"]
    assert rows[0]["photo"] == reverse("exams:photo_of", args=[with_photo.pk]) and rows[1]["photo"] is None


def test_photo_consent_is_one_of_the_persons_consents_and_is_withdrawn_with_the_photo():
    from exams.services.photos import candidate_photo_delete, candidate_photo_save
    from trainees.models import Consent
    from trainees.services import consent_in_force

    person = UserFactory(roles=[Role.ENTERPRISE_STAFF])
    candidate_photo_save(user=person, data=picture(), consent=True)
    assert consent_in_force(user=person, purpose=Consent.Purpose.EXAM_PHOTO)
    assert candidate_photo_delete(user=person)
    assert not consent_in_force(user=person, purpose=Consent.Purpose.EXAM_PHOTO)
    assert Consent.objects.filter(user=person, purpose=Consent.Purpose.EXAM_PHOTO).count() == 1  # kept, withdrawn
