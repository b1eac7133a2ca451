"""Chinese search: words inside Chinese sentences are found on SQLite and PostgreSQL alike."""

import re

import pytest
from wagtail.models import Page

from cms.models import HomePage, StandardPage
from cms.search import search_pages, segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    from cms import demo as cms_demo
    from courses import demo as courses_demo

    cms_demo.seed(lambda message: None)
    courses_demo.seed(lambda message: None)
    home = HomePage.objects.get(locale__language_code="zh-hans")
    home.add_child(
        instance=StandardPage(
            title="苏州培训基地交通指南",
            slug="suzhou-base",
            intro="从苏州站乘地铁二号线到基地。",
            locale=home.locale,
        )
    )
    home.add_child(instance=StandardPage(title="信用修复常见问题", slug="credit-repair", locale=home.locale))


def titles(client, query: str) -> list[str]:
    page = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<h2><a href="[^"]*">([^<]+)</a></h2>', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("培训", "苏州培训基地交通指南"),
        ("信用培育", "关于信用培育"),
        ("课程", "课程中心"),
        ("苏州", "苏州培训基地交通指南"),
        ("交通指南", "苏州培训基地交通指南"),
        ("信用修复", "信用修复常见问题"),
    ],
)
def test_chinese_words_inside_titles_and_text_are_found(client, pages, query, expected):
    assert expected in titles(client, query)


def test_every_word_of_a_chinese_query_must_match(client, pages):
    found = titles(client, "信用培育")
    assert "信用修复常见问题" not in found  # shares 信用 but not 培育


def test_english_search_still_works(client, pages):
    response = client.get("/en/search/", {"q": "cultivation"})
    assert "About credit cultivation" in response.content.decode()


def test_course_catalogue_search_uses_the_same_helper(pages):
    from courses.models import CoursePage

    found = list(search_pages(CoursePage.objects.live(), "贸易安全"))
    assert "高级认证企业标准（2026）精讲" in [page.title for page in found]
    assert all("贸易安全" in f"{page.title} {page.summary}" for page in found)
    assert not list(search_pages(CoursePage.objects.live(), "苏州"))


def test_admin_search_finds_chinese_pages(pages):
    assert "苏州培训基地交通指南" in [p.title for p in Page.objects.search("基地")]


def test_segment_splits_chinese_and_keeps_other_text():
    assert segment("苏州恒信精密机械有限公司").split()[:2] == ["苏州", "恒信"]
    assert "精密" in segment("精密机械").split()
    assert segment("AEO certification") == "AEO certification"
