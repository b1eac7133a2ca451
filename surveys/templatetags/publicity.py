"""Template tags of publicity: `{% share_meta title description %}` in a page's head and
`{% share_box title %}` where its QR code and link are shown. Both describe the current page
(request path, absolute address from the site's setting)."""

from django import template
from django.utils.translation import gettext as _

from surveys.publicity import qr_svg, share_card

register = template.Library()


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context, title: str, *description_parts, kind: str = "website") -> dict:
    """Share tags of the current page: `description_parts` (non-empty ones) are joined by " · "."""
    description = " · ".join(str(p) for p in description_parts if p not in (None, ""))
    card = share_card(title=str(title), description=description, path=context["request"].path, kind=kind)
    return {"card": card}


@register.inclusion_tag("includes/share_box.html", takes_context=True)
def share_box(context, title: str) -> dict:
    card = share_card(title=str(title), path=context["request"].path)
    return {"card": card, "qr": qr_svg(card.url, label=_("QR code of this page"))}
