"""Courses are Wagtail pages that trainers publish: an index, courses, and lessons inside them
(seed 004: methods — in class, online, on-site observation, test)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock
from trainees.models import TrainingType


class CourseIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        courses = CoursePage.objects.child_of(self).live().public().order_by("title")
        selected = request.GET.get("type", "")
        if selected in TrainingType.values:
            courses = courses.filter(training_type=selected)
        context.update(courses=courses, training_types=TrainingType.choices, selected_type=selected)
        return context


class CoursePage(Page):
    class Method(models.TextChoices):
        IN_CLASS = "in_class", _("In class")
        ONLINE = "online", _("Online")
        ON_SITE = "on_site", _("On-site observation")
        MIXED = "mixed", _("Blended")

    training_type = models.CharField(_("training type"), max_length=20, choices=TrainingType.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.ONLINE)
    summary = models.TextField(_("summary"))
    audience = models.CharField(_("who it is for"), max_length=200, blank=True)
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("training_type"), FieldPanel("method"), FieldPanel("audience"), FieldPanel("duration_hours")],
            heading=_("Course facts"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = LessonPage.objects.child_of(self).live().public()
        return context


class LessonPage(Page):
    video_url = models.URLField(_("video (HLS or MP4 address)"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    materials = StreamField(
        [("document", DocumentChooserBlock(label=_("document"))), ("link", blocks.URLBlock(label=_("link")))],
        verbose_name=_("materials"),
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("duration_minutes"),
        FieldPanel("video_url"),
        FieldPanel("body"),
        FieldPanel("materials"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
