"""Every page of consultations, surveys and feedback, as each role that may open it sees it
(the URL table's example requests on its demo objects), and the FAQ in both languages: no id
appears twice, so every label and every link to a fragment points at one element."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import transaction

from .tables import ROLES, urls_consultations, urls_feedback, urls_surveys

PAGES = [
    row for module in (urls_consultations, urls_surveys, urls_feedback) for row in module.ROWS if row.method == "GET"
]


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id" and value]


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(i for i, n in Counter(parser.ids).items() if n > 1)


def test_duplicate_ids_are_found():
    assert duplicate_ids('<p id="a"></p><label for="a"></label><input id="a"><i id="b"></i>') == ["a"]


def _pages_seen(client, world, url, query, expect) -> dict[str, list[str]]:
    found = {}
    for role in ROLES:
        if expect.get(role) != 200:
            continue
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        with transaction.atomic():
            response = client.get(url, query)
            transaction.set_rollback(True)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            duplicates = duplicate_ids(response.content.decode())
            if duplicates:
                found[role] = duplicates
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGES, ids=lambda r: r.name)
def test_no_page_repeats_an_id(client, world, row):
    url = row.url(world)
    assert _pages_seen(client, world, url, row.resolve(row.query, world), row.expect) == {}, url


@pytest.mark.django_db
def test_faq_pages_repeat_no_id(client, world):
    from consultations import services

    from .tables import COORDINATOR

    with transaction.atomic():
        page = services.consultation_publish(
            consultation_id=world.consultation.pk,
            user=world.users[COORDINATOR],
            title="申请高级认证需要哪些材料？",
            question="请问要准备什么？",
            answer="请准备内部控制制度。",
        )
        english = page.get_translations().get(locale__language_code="en")
        for url in ("/faq/", page.url, "/en/faq/", english.url):
            response = client.get(url)
            assert response.status_code == 200, url
            assert duplicate_ids(response.content.decode()) == [], url
        transaction.set_rollback(True)
