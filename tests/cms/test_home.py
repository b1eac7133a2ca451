"""The home page reads as a Chinese reader expects: one site name in the title, numbers before
their measure words, steps numbered once."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client):
    from cms import demo

    demo.seed(lambda message: None)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_title_names_the_site_once(client, home):
    html = client.get("/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == "AEO 信用培育学习平台"


def test_stat_numbers_come_before_their_labels(client, home):
    text = visible_text(client.get("/").content.decode())
    assert "27 项便利措施" in text and "57 个互认经济体" in text
    assert "1/5 AEO 企业查验率（与一般企业相比）" in text
    english = visible_text(client.get("/en/").content.decode())
    assert "1/5 AEO firms' inspection rate, compared with ordinary firms" in english.replace("&#x27;", "'")


def test_steps_are_numbered_once(client, home):
    html = client.get("/").content.decode()
    assert not re.search(r'class="card__title">\s*0\d', html)
    assert "培训申请" in html


@pytest.mark.parametrize("path", ["/search/?q=AEO", "/accounts/login/"])
def test_menu_highlights_home_only_on_the_home_page(client, home, path):
    assert 'aria-current="page">首页' in client.get("/").content.decode()
    assert 'aria-current="page">首页' not in client.get(path).content.decode()
