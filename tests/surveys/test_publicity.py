"""Issue 17, point 7: public course, training session, live session and certificate verification
pages carry share metadata (Open Graph and WeChat's itemprop tags) and a QR code of their
address; an Atom feed lists new courses and open sessions."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from certificates.models import Certificate
from certificates.services import certificate_issue
from surveys.publicity import qr_svg, share_card
from tests.courses.factories import course as make_course
from tests.factories import EnterpriseStaffFactory
from tests.live.factories import live_session
from tests.training_bases.factories import SessionFactory
from training_bases.models import TrainingSession

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _meta(content: str, prop: str) -> str | None:
    import re

    found = re.search(rf'<meta (?:property|itemprop)="{re.escape(prop)}" content="([^"]*)"', content)
    return found.group(1) if found else None


def _shares(content: str, path: str, title: str):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert _meta(content, "og:title") == title
    assert _meta(content, "og:url") == base + path
    assert _meta(content, "og:image").startswith(base) and _meta(content, "og:image").endswith("share.png")
    assert _meta(content, "name") == title  # WeChat / QQ in-app browsers
    assert _meta(content, "og:description")
    assert '<svg role="img"' in content and 'class="share__qr"' in content
    assert f'value="{base}{path}"' in content


def test_course_page(client):
    course = make_course("share-me")
    url = course.url
    content = client.get(url).content.decode()
    _shares(content, url, course.title)
    assert _meta(content, "og:type") == "article"


def test_training_session_page(client):
    session = SessionFactory(title_zh="信用培育合规培训")
    path = reverse("training_bases:session_detail", args=[session.pk])
    _shares(client.get(path).content.decode(), path, "信用培育合规培训")


def test_live_session_page(client):
    session = live_session(title="现场验证观摩（分享）")
    client.force_login(EnterpriseStaffFactory())
    path = reverse("live:watch", args=[session.pk])
    _shares(client.get(path).content.decode(), path, "现场验证观摩（分享）")


def test_certificate_verification_page(client):
    holder = EnterpriseStaffFactory()
    certificate = certificate_issue(holder=holder, kind=Certificate.Kind.COURSE, subject="course:x", title_zh="AEO培训")
    path = reverse("certificates:verify", args=[certificate.token])
    content = client.get(path).content.decode()
    _shares(content, path, "证书验证")
    assert "AEO培训" in _meta(content, "og:description")


def test_unknown_certificate_offers_nothing_to_share(client):
    content = client.get(reverse("certificates:verify", args=["nope"])).content.decode()
    assert "og:title" not in content and "share__qr" not in content


def test_share_card_is_short_plain_and_absolute():
    card = share_card(title=" 标题 ", description="第一行\n\n第二行 " + "长" * 300, path="/x/")
    assert card.title == "标题" and "\n" not in card.description and len(card.description) <= 120
    assert card.url == settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/x/"
    svg = qr_svg(card.url, label='<"QR">')
    assert svg.startswith("<svg role=") and "&lt;&quot;QR&quot;&gt;" in svg and 'width="' not in svg.split(">")[0]


def test_atom_feed_lists_new_courses_and_open_sessions(client, django_assert_max_num_queries):
    course = make_course("feed-course")
    open_session = SessionFactory(title_zh="开放报名的培训")
    SessionFactory(title_zh="草稿培训", status=TrainingSession.Status.DRAFT)
    past = SessionFactory(title_zh="已结束的培训")
    TrainingSession.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
    live = live_session(title="即将开始的直播观摩", starts_at=timezone.now() + dt.timedelta(days=2))
    live_session(title="未发布的直播", starts_at=timezone.now() + dt.timedelta(days=2), is_published=False)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("publicity:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert course.title in titles and "开放报名的培训" in titles and "即将开始的直播观摩" in titles
    assert "草稿培训" not in titles and "已结束的培训" not in titles and "未发布的直播" not in titles
    links = {e.findtext(f"{ATOM}title"): e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")}
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert links["开放报名的培训"] == base + reverse("training_bases:session_detail", args=[open_session.pk])
    assert links["即将开始的直播观摩"] == base + reverse("live:watch", args=[live.pk])
    assert links[course.title].startswith(base)


def test_atom_feed_in_english_lists_english_courses(client):
    make_course("zh-only")
    response = client.get("/en" + reverse("publicity:feed"))
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title").startswith("AEO Cultivation LMS")
    assert Page.objects.filter(slug="zh-only").exists()
    assert "zh-only" not in response.content.decode()


def test_every_page_advertises_the_feed(client):
    assert 'type="application/atom+xml"' in client.get(reverse("training_bases:calendar")).content.decode()


def test_english_feed_uses_english_titles_where_there_are_some(client):
    soon = timezone.now() + dt.timedelta(days=2)
    live_session(title="认证现场验证直播观摩", title_en="Live observation of a validation", starts_at=soon)
    live_session(title="只有中文标题的直播", starts_at=soon)
    SessionFactory(title_zh="信用培育合规培训", title_en="Credit cultivation compliance training")
    root = ET.fromstring(client.get("/en/news/feed.atom").content)
    titles = {e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")}
    assert {"Live observation of a validation", "Credit cultivation compliance training"} <= titles
    assert "只有中文标题的直播" in titles  # no English title: the Chinese one
    assert "认证现场验证直播观摩" not in titles and "信用培育合规培训" not in titles
    chinese = ET.fromstring(client.get("/news/feed.atom").content)
    assert "认证现场验证直播观摩" in {e.findtext(f"{ATOM}title") for e in chinese.iter(f"{ATOM}entry")}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_address_in_the_feed_is_built_from_one_base(client, prefix):
    """rel=self, the alternate link, the ids and the entries' links: none from the Host header."""
    make_course("feed-base")
    SessionFactory(title_zh="开放报名的培训")
    live_session(title="即将开始的直播观摩", starts_at=timezone.now() + dt.timedelta(days=2))
    response = client.get(prefix + "/news/feed.atom", HTTP_HOST="other-host.example:8443")
    root = ET.fromstring(response.content)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    ids = [element.text for element in root.iter(f"{ATOM}id")]
    assert len(hrefs) >= 4 and len(ids) >= 3  # self, alternate, entries (the course only in Chinese)
    for address in hrefs + ids:
        assert address.startswith(base + "/"), address
    self_link = next(link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link == base + prefix + "/news/feed.atom"
    assert "other-host.example" not in response.content.decode()
