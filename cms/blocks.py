"""StreamField blocks shared by every content page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr", "blockquote"]


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an external address."""

    label = blocks.CharBlock(label=pgettext_lazy("link", "label"))
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("external address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")
        template = "cms/blocks/link.html"


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"))
    icon = blocks.CharBlock(label=_("icon (emoji or short text)"), required=False, max_length=4)
    link = LinkBlock(required=False)


class CardGridBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    cards = blocks.ListBlock(CardBlock(), label=_("cards"))

    class Meta:
        icon = "grip"
        label = _("Card grid")
        template = "cms/blocks/card_grid.html"


class StatBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"))
    label = blocks.CharBlock(label=_("what it counts"))


class StatsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False)
    stats = blocks.ListBlock(StatBlock(), label=_("figures"))

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "cms/blocks/stats.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)
    alt_text = blocks.CharBlock(label=_("text alternative"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("warning", _("Important")), ("success", _("Good to know"))],
        default="info",
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "cms/blocks/callout.html"


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "cms/blocks/faq.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "cms/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    cards = CardGridBlock()
    stats = StatsBlock()
    callout = CalloutBlock()
    faq = FaqBlock()
    document = DocumentBlock()
