from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Locale, Page, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from lms.page_cache import content_changed

        from .models import SiteSettings

        # Menus, language links, site settings and cached pages start anew when content changes.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(content_changed, dispatch_uid=f"cms.content_changed.{signal}")
        post_delete.connect(content_changed, sender=Page, dispatch_uid="cms.content_changed.page_delete")
        for model in (Site, Locale, SiteSettings):
            post_save.connect(content_changed, sender=model, dispatch_uid=f"cms.content_changed.save.{model.__name__}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"cms.content_changed.del.{model.__name__}")
