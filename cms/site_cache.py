"""Per-site, per-language values of every public page (menu, language links, site settings),
cached through `lms.page_cache.fragment` and invalidated when pages or settings change (the
receivers in `cms.apps`). Without caching (`LMS_PAGE_CACHE_SECONDS = 0`) the same functions
query every time."""

from __future__ import annotations

from django.http.request import split_domain_port
from wagtail.models import Locale, Page, Site

from lms.page_cache import fragment


def _host_key(request) -> tuple[str, int]:
    return split_domain_port(request._get_raw_host())[0], request.get_port()


def site_for_request(request) -> Site | None:
    """Wagtail's `Site.find_for_request`, remembered per host and port across requests."""
    if not hasattr(request, "_wagtail_site"):
        site = fragment("site", _host_key(request), lambda: Site.find_for_request(request) or False)
        request._wagtail_site = site or None
    return request._wagtail_site


def menu_pages(request, language: str) -> list[tuple[str, str]]:
    """(title, url) of the localised home page and its live menu children, for the request's
    site in `language`: two queries when not cached, none when cached. The header asks first,
    so the request's site is put on the request here (`site_for_request`): a page URL built
    further down any page (`pageurl`, `Page.get_url`) then costs no site query."""
    site_for_request(request)

    def build() -> list[tuple[str, str]]:
        site = site_for_request(request)
        if site is None:
            return []
        locale = Locale.objects.filter(language_code=language).first()
        home = site.root_page
        if locale is not None and home.locale_id != locale.pk:
            translation = home.get_translation_or_none(locale)
            if translation is not None and translation.live:  # as Page.localized: drafts are not shown
                home = translation
        entries = [(home.title, home.get_url(request))]
        children = home.get_children().live().in_menu().filter(locale_id=home.locale_id)
        entries += [(child.title, child.get_url(request)) for child in children]
        return entries

    return fragment("menu", (*_host_key(request), language), build)


def translation_urls(request, page: Page) -> dict[str, str]:
    """{language code: url} of the live translations of `page` (itself included)."""

    def build() -> dict[str, str]:
        urls = {}
        translations = Page.objects.filter(translation_key=page.translation_key, live=True).select_related("locale")
        for translation in translations:
            url = translation.get_url(request)
            if url is not None:
                urls[translation.locale.language_code] = url
        return urls

    return fragment("translations", (*_host_key(request), page.pk), build)


def site_settings_for_request(settings_class, request):
    """A `BaseSiteSetting` subclass's row for the request's site (created if missing, as Wagtail
    does), remembered on the request like Wagtail's own `for_request`."""
    attr = settings_class.get_cache_attr_name()
    if not hasattr(request, attr):
        site = site_for_request(request)
        key = (settings_class._meta.label_lower, *_host_key(request))
        value = fragment("settings", key, lambda: settings_class.for_site(site))
        value._request = request
        setattr(request, attr, value)
    return getattr(request, attr)
