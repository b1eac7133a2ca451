"""The back office speaks Chinese: every admin page a role opens, in zh-Hans, shows no English
phrase outside names, codes and addresses (the page's own request to another host fails the test
through the e2e conftest)."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


# Two or more consecutive English words in visible text are an untranslated phrase...
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z][A-Za-z'’]+(?:[ \t]+[A-Za-z][A-Za-z'’]*)+\b")
# ...unless they are a name, a code or an address that stays in Latin script.
ALLOWED = re.compile(
    r"^(?:AEO(?: [A-Z]+)*|GB \w+|ISO \w+|PDF|XLSX|CSV|Wagtail(?: CMS)?|Django|Python|[A-Z][a-z]+ (?:Customs|Road|Street|District)|"
    r"(?:[A-Z]{2,}\s?)+|Home English|GIFT\s+Moodle XML)$"  # the home page listed with its language; question-bank formats
)


def untranslated(page) -> list[str]:
    text = page.locator("body").inner_text()
    return sorted({m for m in ENGLISH_PHRASE.findall(text) if not ALLOWED.match(m)})


def admin_paths():
    from wagtail.models import Page

    home = Page.objects.get(depth=2, locale__language_code="zh-hans")
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/add/cms/standardpage/{home.pk}/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/snippets/trainees/enterprise/",
        "/admin/snippets/trainees/selectionround/",
        "/admin/training_base/",
        "/admin/training_session/",
        "/admin/snippets/exams/questionbank/",
        "/admin/snippets/exams/exam/",
        "/admin/snippets/exams/exam/add/",
        "/admin/snippets/exams/sitting/",
        "/admin/snippets/exams/sitting/add/",
    ]


@pytest.mark.parametrize("email", ["officer@demo.aeo", "trainer@demo.aeo", "admin@demo.aeo"])
def test_admin_pages_each_role_opens_are_in_chinese(live_server, page, demo, log_in_demo, email):
    log_in_demo(email)
    problems = {}
    for path in admin_paths():
        response = page.goto(live_server.url + path)
        if response.status == 403 or "/admin/" not in page.url:
            continue  # this role does not use that part of the back office
        page.wait_for_load_state("networkidle")
        if found := untranslated(page):
            problems[path] = found
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_page_form_errors_are_in_chinese(live_server, page, demo, log_in_demo):
    from wagtail.models import Page

    home = Page.objects.get(depth=2, locale__language_code="zh-hans")
    log_in_demo("admin@demo.aeo")
    page.goto(f"{live_server.url}/admin/pages/add/cms/standardpage/{home.pk}/")
    page.locator("footer button[type=submit]").first.click()  # empty title: validation errors
    expect(page.locator(".messages")).to_be_visible()
    assert not untranslated(page), untranslated(page)


def test_menu_reads_pages_not_pagination(live_server, page, demo, log_in_demo):
    log_in_demo("admin@demo.aeo")
    page.goto(live_server.url + "/admin/")
    menu = page.locator("aside, nav").first.inner_text()
    assert "页面" in menu and "分页" not in menu
    assert page.title().endswith("AEO 信用培育管理后台")
    expect(page.locator("[data-wagtail-sidebar-branding-logo], .sidebar-custom-branding img").first).to_be_attached()
