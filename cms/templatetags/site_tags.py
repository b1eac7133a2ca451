from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar
from wagtail.models import Page

from cms.site_cache import menu_pages, translation_urls
from lms import navigation, page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: the translation of the current page, else the same URL in that language."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = translation_urls(request, page) if isinstance(page, Page) else {}
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def page_userbar(context) -> str:
    """Wagtail's user bar (edit this page, its history, the accessibility check) on Wagtail pages
    for people of the back office; "" elsewhere: an application view (a list of bookings, a
    round) has nothing to edit in Wagtail, and its header already links to the back office."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(context.get("page"), Page) or not getattr(user, "works_in_back_office", False):
        return ""
    return wagtailuserbar(context)


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """Menu pages of the home page in the active language (cached per site and language), then
    the apps' entries this user may see."""
    request = context["request"]
    pages = menu_pages(request, get_language())
    entries = [{"label": label, "url": url} for label, url in pages]
    for label, url in navigation.items_for(request.user):
        entries.append({"label": label, "url": url})
    path = request.path
    home_url = pages[0][1] if pages else None

    def matches(entry) -> bool:
        # The home page owns only itself: search, login or an enterprise page is not "home".
        if entry["url"] == home_url:
            return path == home_url
        return path.startswith(entry["url"] or "~")

    best = max((e for e in entries if matches(e)), key=lambda e: len(e["url"]), default=None)
    for entry in entries:
        entry["active"] = entry is best
    return entries


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, parts: list[template.base.FilterExpression]):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context) -> str:
        if getattr(context.get("request"), "is_preview", False):
            return self.nodelist.render(context)  # a draft or an old revision: never cached
        parts = tuple(part.resolve(context) for part in self.parts)
        return page_cache.fragment(
            f"template:{self.name}",
            (get_language(), *parts),
            lambda: self.nodelist.render(context),
            depends_on=(page_cache.CONTENT, page_cache.SEATS),
        )


@register.tag
def cachedfragment(parser, token) -> CachedFragmentNode:
    """`{% cachedfragment "name" part… %}…{% endcachedfragment %}`: the enclosed part of a page,
    rendered once per language and `part` values until content or seats change
    (`lms.page_cache.fragment`), for everyone, logged in or not. Only for parts that show the
    same to everyone (a page's StreamField body): nothing inside may read the person, their
    messages or a CSRF token. Previews (drafts, old revisions) are rendered, never cached."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment needs a name")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, bits[1].strip("\"'"), [parser.compile_filter(bit) for bit in bits[2:]])
