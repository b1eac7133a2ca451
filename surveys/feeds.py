"""The Atom feed of publicity (issue 17, point 7): new courses and the training and live
observation sessions open to join, newest first, in the language of the address (`/news/…` in
Chinese, `/en/news/…` in English: titles in English where an object has one). Every address in
it — the feed's own (rel=self), its alternate link and each entry's — is built from one base,
`WAGTAILADMIN_BASE_URL` (`lms.links.site_url`), never from the request's Host header. Four
queries for any number of entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from lms.links import site_url
from lms.translation import english_active

LIMIT = 20


@dataclass(frozen=True)
class Entry:
    title: str
    description: str
    link: str  # absolute
    published: dt.datetime
    category: str


def _language_code() -> str:
    return "en" if english_active() else "zh-hans"


def _page_url(page, request) -> str:
    """A page's address on the one base: Wagtail's path for the page (with its language prefix),
    whichever site serves it."""
    parts = page.get_url_parts(request=request)
    return site_url(parts[2] if parts else "/")


def _title(obj) -> str:
    """The English title (`title_en`) in the English feed where the object has one, else its
    title (Chinese)."""
    if _language_code() == "en":
        return getattr(obj, "title_en", "") or str(obj.title)
    return str(obj.title)


def _courses(request) -> list[Entry]:
    from courses.models import CoursePage

    pages = (
        CoursePage.objects.live()
        .public()
        .filter(locale__language_code=_language_code())
        .order_by("-first_published_at")[:LIMIT]
    )
    return [
        Entry(
            title=page.title,
            description=page.search_description or page.summary,
            link=_page_url(page, request),
            published=page.first_published_at or page.latest_revision_created_at or timezone.now(),
            category=_("Course"),
        )
        for page in pages
    ]


def _training_sessions(now) -> list[Entry]:
    from training_bases.models import TrainingSession

    sessions = (
        TrainingSession.objects.filter(status=TrainingSession.Status.OPEN, starts_at__gt=now)
        .select_related("base")
        .order_by("-created_at")[:LIMIT]
    )
    return [
        Entry(
            title=_title(s),
            description=f"{s.base.name} · {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}",
            link=site_url(reverse("training_bases:session_detail", args=[s.pk])),
            published=s.created_at,
            category=_("Training session"),
        )
        for s in sessions
    ]


def _live_sessions(now) -> list[Entry]:
    from live.models import LiveSession

    sessions = LiveSession.objects.filter(is_published=True, cancelled=False, ends_at__gt=now).order_by("-created_at")[
        :LIMIT
    ]
    return [
        Entry(
            title=_title(s),
            description=f"{s.observed_enterprise} · {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M}",
            link=site_url(reverse("live:watch", args=[s.pk])),
            published=s.created_at,
            category=_("Live observation session"),
        )
        for s in sessions
    ]


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("AEO Cultivation LMS: new courses and open sessions")

    def subtitle(self):
        return _("New courses, and training and live observation sessions open to join.")

    def link(self):
        return site_url(reverse("publicity:feed"))

    def feed_url(self):
        return site_url(reverse("publicity:feed"))

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def items(self):
        now = timezone.now()
        entries = _courses(self.request) + _training_sessions(now) + _live_sessions(now)
        return sorted(entries, key=lambda e: e.published, reverse=True)[: 3 * LIMIT]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry):
        return item.published

    def item_updateddate(self, item: Entry):
        return item.published

    def item_categories(self, item: Entry):
        return [item.category]
