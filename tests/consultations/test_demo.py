"""Demo data (issue 17, "Done means"): two consultations open, one published as an FAQ entry
without the enterprise's name or its people's data."""

import pytest
from django.core.management import call_command

from consultations.models import Consultation, FaqPage

pytestmark = pytest.mark.django_db


def test_demo_has_two_open_consultations_and_one_published_faq(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    assert Consultation.objects.filter(status="open").count() == 2
    published = Consultation.objects.get(faq_page__isnull=False)
    assert published.rating == 5 and published.first_answered_at is not None
    faq = FaqPage.objects.live().get(locale__language_code="zh-hans")
    text = f"{faq.title} {faq.question} {faq.answer}"
    asker = published.asked_by.get_full_name()
    assert asker  # the demo question names its asker; the FAQ entry names no one
    for secret in ("海川", asker, "13800138000"):
        assert secret not in text
    assert [a.key for a in faq.criteria_areas.all()] == ["internal_control"]
    assert client.get("/faq/", {"q": "联系"}).status_code == 200
    # The same entry in the English FAQ (in Chinese until translated).
    english = FaqPage.objects.live().get(locale__language_code="en", translation_key=faq.translation_key)
    assert client.get("/en/faq/").status_code == 200 and client.get(english.url).status_code == 200
