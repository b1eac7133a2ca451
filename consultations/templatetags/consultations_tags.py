"""Template tags that let other apps' pages show the FAQ without importing this app: the
"related FAQ" of criteria areas (readiness pages) and the FAQ's address."""

from django import template
from wagtail.models import Locale

register = template.Library()


@register.simple_tag
def related_faq_by_area(areas) -> dict:
    """Published FAQ entries per criteria area key for `areas` (CriteriaArea objects, or the
    dicts of a readiness page tree with an "area" key). One lookup for the whole page."""
    from ..selectors import related_faq

    keys = []
    for area in areas or ():
        area = area.get("area") if isinstance(area, dict) else area
        if area is not None and getattr(area, "key", None):
            keys.append(area.key)
    return related_faq(area_keys=keys)


@register.inclusion_tag("consultations/includes/related_faq.html", takes_context=True)
def related_faq(context, faq_by_area: dict, area) -> dict:
    """The "Related FAQ" line of one criteria area, from the result of `related_faq_by_area`."""
    area = area.get("area") if isinstance(area, dict) else area
    return {"faqs": (faq_by_area or {}).get(getattr(area, "key", None), []), "request": context.get("request")}


@register.simple_tag
def faq_index_url() -> str:
    """The address of the FAQ in the active language (the Chinese one when not translated)."""
    from ..models import FaqIndexPage

    index = FaqIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    index = index or FaqIndexPage.objects.live().first()
    return index.url if index is not None else ""
