from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.translation import TranslatedField

from .blocks import BodyBlock, LinkBlock


class HomePage(Page):
    """The landing page: what AEO credit cultivation is and where to start."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_intro = models.TextField(_("hero introduction"), blank=True)
    hero_cta = StreamField([("link", LinkBlock())], verbose_name=_("hero buttons"), blank=True, max_num=2)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_intro"), FieldPanel("hero_cta")], heading=_("Hero")
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_intro"), index.SearchField("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A content page (policy explanations, guides, notices)."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and footer shown on every page, editable per site."""

    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    organisation_en = models.CharField(_("organisation (English)"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])
    footer_text_en = RichTextField(_("footer text (English)"), blank=True, features=["bold", "italic", "link"])
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("footer links"), blank=True)
    icp_licence = models.CharField(
        _("ICP filing number"),
        max_length=60,
        blank=True,
        help_text=_("The site's ICP filing number (e.g. 京ICP备12345678号-1), shown in every page's footer."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("footer_links"), FieldPanel("icp_licence")], heading=_("Footer")
        ),
    ]

    organisation_name = TranslatedField("organisation", "organisation_en")
    localized_address = TranslatedField("address", "address_en")
    localized_footer_text = TranslatedField("footer_text", "footer_text_en")

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """The request's site's settings, cached per site (`cms.site_cache`) and per request."""
        from .site_cache import site_settings_for_request

        return site_settings_for_request(cls, request)
