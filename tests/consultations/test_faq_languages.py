"""The FAQ in English: /en/faq/ lists every entry (in English where translated, else in Chinese
with a note), its links stay in English, and the English menu and pages point to it."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.actions.convert_alias import ConvertAliasPageAction

from consultations import services
from consultations.models import FaqIndexPage, FaqPage

from .helpers import ask, cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return cast()


def publish(people, title="认证申请需要准备哪些材料？", criteria_areas=()):
    consultation = ask(people)
    services.consultation_reply(consultation_id=consultation.pk, user=people.coordinator, body="请准备内部控制制度。")
    return services.consultation_publish(
        consultation_id=consultation.pk,
        user=people.coordinator,
        title=title,
        question="申请高级认证要准备什么？",
        answer="请准备内部控制制度。",
        criteria_areas=criteria_areas,
    )


def test_english_faq_lists_entries_in_chinese_with_a_note_until_translated(client, people):
    zh_page = publish(people)
    index = client.get("/en/faq/")
    assert index.status_code == 200
    content = index.content.decode()
    assert "Frequently asked questions" in content
    assert "认证申请需要准备哪些材料？" in content and "Not translated yet" in content
    en_page = FaqPage.objects.get(locale__language_code="en")
    assert en_page.translation_key == zh_page.translation_key and en_page.url.startswith("/en/faq/")
    assert f'href="{en_page.url}"' in content and f'href="{zh_page.url}"' not in content
    entry = client.get(en_page.url)
    assert entry.status_code == 200
    assert "has not been translated yet" in entry.content.decode() and "请准备内部控制制度" in entry.content.decode()
    # The Chinese FAQ is as it was, without the note.
    chinese = client.get("/faq/").content.decode()
    assert "认证申请需要准备哪些材料？" in chinese and "Not translated yet" not in chinese
    assert "/en/faq/" not in chinese.split("<main", 1)[-1].split("</main>")[0]


def test_a_translated_entry_shows_in_english(client, people):
    publish(people)
    alias = FaqPage.objects.get(locale__language_code="en")
    ConvertAliasPageAction(alias).execute(skip_permission_checks=True)
    page = FaqPage.objects.get(pk=alias.pk)
    page.title, page.question, page.answer = "What to prepare for the application?", "What do we need?", "An ICS."
    page.save_revision().publish()
    content = client.get("/en/faq/").content.decode()
    assert "What to prepare for the application?" in content and "Not translated yet" not in content
    entry = client.get(page.url).content.decode()
    assert "An ICS." in entry and "has not been translated yet" not in entry


def test_english_pages_link_to_the_english_faq(client, people):
    from readiness import services as readiness_services
    from readiness.models import CriteriaArea, CriteriaEdition

    area = CriteriaArea.objects.get(edition__code="2026-advanced", key="internal_control")
    publish(people, criteria_areas=[area])
    en_page = FaqPage.objects.get(locale__language_code="en")
    client.force_login(people.staff)
    with translation.override("en"):
        list_url = reverse("consultations:list")
    menu = client.get(list_url).content.decode()
    assert 'href="/en/faq/"' in menu and 'href="/faq/"' not in menu
    edition = CriteriaEdition.objects.get(code="2026-advanced")
    assessment = readiness_services.assessment_start(enterprise=people.enterprise, edition=edition, user=people.staff)
    with translation.override("en"):
        detail_url = reverse("readiness:assessment_detail", args=[assessment.pk])
    page = client.get(detail_url).content.decode()
    assert f'href="{en_page.url}"' in page
    assert f'href="{en_page.get_translation(en_page.locale.get_default()).url}"' not in page
    # The language switcher of an English entry leads to the Chinese one.
    client.logout()
    switch = client.get(en_page.url).content.decode()
    assert f'href="{FaqPage.objects.get(locale__language_code="zh-hans").url}"' in switch


def test_entries_published_before_the_english_faq_are_brought_over(people):
    publish(people)
    FaqPage.objects.filter(locale__language_code="en").delete()
    FaqIndexPage.objects.filter(locale__language_code="en").delete()
    assert services.faq_translations_sync() == 1
    assert services.faq_translations_sync() == 0
    index = FaqIndexPage.objects.get(locale__language_code="en")
    assert index.title == "Frequently asked questions" and index.live
    assert FaqPage.objects.child_of(index).live().count() == 1
