"""Make sure the site has its locales, its Chinese home page, the English translation and a
default Site. Idempotent: used by `seed_demo` and by browser tests after tables are flushed."""

from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage


@transaction.atomic
def ensure_site(hostname: str = "localhost", port: int = 80) -> HomePage:
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", locale=zh)
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        Page.objects.filter(depth=2).exclude(content_type__model="homepage").delete()
        root.refresh_from_db()
        home = root.add_child(
            instance=HomePage(title="首页", slug="home", hero_title="AEO 信用培育学习平台", locale=zh)
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="AEO 信用培育"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    if not home.has_translation(en):
        home.copy_for_translation(en, copy_parents=False).save_revision().publish()
    return home
