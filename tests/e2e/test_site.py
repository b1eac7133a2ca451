"""The public site in a real browser: Chinese first, English on request, and the account journey."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, UserFactory
from trainees.roles import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_site(site):
    from cms import demo

    demo.seed(lambda message: None)


def test_home_page_opens_in_chinese_and_switches_to_english(live_server, page, demo_site):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("AEO 信用培育学习平台")
    expect(page.locator(".account")).to_contain_text("登录")
    expect(page.locator(".cards")).to_contain_text("重点培训名单")

    page.click("[data-lang=en]")
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("AEO Credit Cultivation Learning Platform")
    expect(page.locator(".account")).to_contain_text("Log in")

    # A content page keeps its translation when the language changes.
    page.locator("#main-nav a", has_text="About credit cultivation").click()
    expect(page).to_have_url(re.compile(r"/en/about/$"))
    page.click("[data-lang=zh-hans]")
    expect(page).to_have_url(live_server.url + "/about/")
    expect(page.locator("h1")).to_have_text("关于信用培育")


def test_search_finds_content_in_the_visitors_language(live_server, page, demo_site):
    page.goto(live_server.url + "/")
    page.fill("#site-search", "原则")
    page.press("#site-search", "Enter")
    expect(page.locator(".search-results")).to_contain_text("关于信用培育")


def test_sign_up_verify_log_in_and_log_out(live_server, page, site, mailoutbox, settings):
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # e-mail links use the public address only
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_email", "new.trainee@example.com")
    page.fill("#id_password1", TEST_PASSWORD)
    page.fill("#id_password2", TEST_PASSWORD)
    page.check("#id_privacy_consent")
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("验证您的Email地址")

    assert [message.to for message in mailoutbox] == [["new.trainee@example.com"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_login", "new.trainee@example.com")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page.locator(".account__menu summary")).to_contain_text("new.trainee@example.com")

    page.click(".account__menu summary")
    page.click(".account__menu form button[type=submit]")
    expect(page.locator(".account")).to_contain_text("登录")
    expect(page.locator(".account__menu")).to_have_count(0)


def test_sign_up_with_a_weak_password_explains_why_in_chinese(live_server, page, site):
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_email", "weak@example.com")
    page.fill("#id_password1", "12345678")
    page.fill("#id_password2", "12345678")
    page.check("#id_privacy_consent")
    page.click("main form button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("密码太短")
    expect(page.locator("#id_email")).to_have_value("weak@example.com")


@pytest.mark.parametrize("role", [Role.CUSTOMS_OFFICER, Role.TRAINER])
def test_back_office_staff_log_in_and_reach_the_wagtail_admin(live_server, page, site, role):
    user = UserFactory(roles=[role])
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/"))
    page.fill("#id_login", user.email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")  # the admin speaks Chinese too
    expect(page.locator("main h1").first).to_be_visible()


def test_footer_follows_the_language(live_server, page, demo_site):
    page.goto(live_server.url + "/")
    expect(page.locator(".site-footer")).to_contain_text("北京市东城区建国门内大街 6 号")
    page.goto(live_server.url + "/en/")
    expect(page.locator(".site-footer")).to_contain_text("6 Jianguomennei Avenue, Dongcheng District, Beijing")
    expect(page.locator(".site-footer h2").first).to_have_text("AEO Credit Cultivation Learning Platform")
