from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from lms import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the translation of the current page, else the same URL in that language."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            translation = page.get_translation_or_none(Locale.objects.filter(language_code=code).first())
            if translation is not None and translation.live:
                url = translation.get_url(request)
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """Menu pages of the home page in the active language, then the apps' entries."""
    request = context["request"]
    site = Site.find_for_request(request)
    entries = []
    if site is not None:
        home = site.root_page.localized
        entries.append({"label": home.title, "url": home.get_url(request)})
        for child in home.get_children().live().in_menu().filter(locale=home.locale):
            entries.append({"label": child.title, "url": child.get_url(request)})
    for label, url in navigation.items_for(request.user):
        entries.append({"label": label, "url": url})
    path = request.path
    home_url = entries[0]["url"] if site is not None else None

    def matches(entry) -> bool:
        # The home page owns only itself: search, login or an enterprise page is not "home".
        if entry["url"] == home_url:
            return path == home_url
        return path.startswith(entry["url"] or "~")

    best = max((e for e in entries if matches(e)), key=lambda e: len(e["url"]), default=None)
    for entry in entries:
        entry["active"] = entry is best
    return entries
