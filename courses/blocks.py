"""StreamField blocks of a lesson: content blocks shared with the site plus video, checklist and
a short quiz whose answer key never reaches the browser (graded in `services.quiz_submit`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

from cms.blocks import RICH_TEXT_FEATURES, CalloutBlock, DocumentBlock, ImageBlock


class VideoBlock(blocks.StructBlock):
    """An uploaded media file (a document, e.g. MP4) or an HLS/MP4 address, and its length: the
    server credits watched seconds against this duration."""

    file = DocumentChooserBlock(label=_("uploaded video file"), required=False)
    url = blocks.CharBlock(label=_("or HLS/MP4 address"), required=False, max_length=500)
    duration_seconds = blocks.IntegerBlock(label=_("duration (seconds)"), min_value=1)
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    items = blocks.ListBlock(
        blocks.CharBlock(label=pgettext_lazy("list entry", "item")), label=pgettext_lazy("list entry", "items")
    )
    document = DocumentChooserBlock(label=_("downloadable checklist"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Checklist")
        template = "courses/blocks/checklist.html"


class QuizQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=pgettext_lazy("quiz question", "question"))
    choices = blocks.ListBlock(blocks.CharBlock(label=_("choice")), label=_("choices"), min_num=2)
    correct = blocks.IntegerBlock(label=_("number of the correct choice (1 = first)"), min_value=1)


class QuizBlock(blocks.StructBlock):
    """A few questions answered on the page; the template renders questions and choices only."""

    title = blocks.CharBlock(label=_("title"), required=False)
    questions = blocks.ListBlock(QuizQuestionBlock(), label=pgettext_lazy("quiz question", "questions"), min_num=1)
    pass_percent = blocks.IntegerBlock(label=_("pass mark (%)"), min_value=1, max_value=100, default=60)

    class Meta:
        icon = "help"
        label = _("Lesson quiz")


class LessonBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    quiz = QuizBlock()
