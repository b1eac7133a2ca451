"""Courses are Wagtail pages that trainers publish: an index, courses, and lessons inside them
(seed 004: methods — in class, online, on-site observation, test). Enrolment, progress and watch
time belong to the course, not to one language's page: they are keyed by `translation_key`."""

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from trainees.models import RELEVANT_DEPARTMENT_POSITIONS, Position, TrainingType

from .blocks import LessonBlock

CATALOGUE_PAGE_SIZE = 20
# Issue 11 point 1: a course's audience is the legal representative, senior management and the
# personnel of relevant departments (seed 004), as structured data.
AUDIENCE_POSITIONS = [
    (value, label)
    for value, label in Position.choices
    if value in {Position.LEGAL_REPRESENTATIVE, Position.SENIOR_MANAGEMENT} | RELEVANT_DEPARTMENT_POSITIONS
]


class CourseIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from lms import page_cache
        from lms.params import int_param

        from .selectors import catalogue_filters, course_catalogue

        context = super().get_context(request, *args, **kwargs)
        filters = catalogue_filters(request.GET)
        page_number = int_param(request.GET.get("page")) or 1

        def catalogue_context() -> dict:
            courses = course_catalogue(index=self, filters=filters)
            page = Paginator(courses, CATALOGUE_PAGE_SIZE).get_page(page_number)
            return {"courses": page, "filters": filters, **filters.choices()}

        # The filters, the cards and the pages are the same for everyone: rendered once per
        # publication (a new criteria edition's areas appear in the filter within
        # LMS_PAGE_CACHE_SECONDS).
        context["catalogue"] = page_cache.rendered(
            "catalogue", (self.pk, filters.querystring(), page_number), "courses/_catalogue.html", catalogue_context
        )
        return context


class CoursePage(Page):
    class Method(models.TextChoices):
        IN_CLASS = "in_class", _("In class")
        ONLINE = "online", pgettext_lazy("training method", "Online")
        ON_SITE = "on_site", _("On-site observation")
        MIXED = "mixed", _("Blended")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")

    training_type = models.CharField(_("training type"), max_length=20, choices=TrainingType.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.ONLINE)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NATIONAL)
    summary = models.TextField(_("summary"))
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=5, decimal_places=1, null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=pgettext_lazy("course", "description"), blank=True)
    criteria_areas = ParentalManyToManyField(
        "readiness.CriteriaArea", verbose_name=_("criteria areas covered"), blank=True, related_name="courses"
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="courses_taught",
        limit_choices_to={"groups__name__in": ["Trainers", "Lead trainers"]},
    )
    prerequisites = ParentalManyToManyField(
        "self", verbose_name=_("prerequisites"), blank=True, symmetrical=False, related_name="+"
    )
    requires_training_session = models.BooleanField(
        _("attending one linked training session is required"),
        default=False,
        help_text=_("Every day of one of the linked sessions must be attended."),
    )
    training_sessions = ParentalManyToManyField(
        "training_bases.TrainingSession", verbose_name=_("linked training sessions"), blank=True, related_name="courses"
    )
    requires_live_observation = models.BooleanField(
        _("attending one live observation session is required"), default=False
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("training_type"), FieldPanel("method"), FieldPanel("level"), FieldPanel("duration_hours")],
            heading=_("Course facts"),
        ),
        FieldPanel("summary"),
        InlinePanel("audience", label=_("audience positions")),
        FieldPanel("criteria_areas"),
        FieldPanel("trainers"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("requires_training_session"),
                FieldPanel("training_sessions"),
                FieldPanel("requires_live_observation"),
            ],
            heading=_("Required items besides lessons"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("segmented_text"),
        index.FilterField("training_type"),
        index.FilterField("method"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")

    def segmented_text(self) -> str:
        """Title and summary as one indexed text (the search backend, `cms.search`, cuts it into
        Chinese words)."""
        return f"{self.title} {self.summary}"

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail(course=self, user=request.user))
        return context


class CourseAudience(Orderable):
    """A position the course is meant for (the `trainees` positions, not free text)."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="audience")
    position = models.CharField(_("position"), max_length=30, choices=AUDIENCE_POSITIONS)

    panels = [FieldPanel("position")]

    class Meta(Orderable.Meta):
        verbose_name = _("audience position")
        constraints = [models.UniqueConstraint(fields=["course", "position"], name="course_audience_once")]


class LessonPage(Page):
    min_reading_seconds = models.PositiveIntegerField(
        _("minimum reading time (seconds)"),
        default=60,
        help_text=_("A text lesson can be marked done only after this time on the page."),
    )
    quiz_required = models.BooleanField(_("passing the lesson quiz is required"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    body = StreamField(LessonBlock(), verbose_name=_("content"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("duration_minutes"), FieldPanel("min_reading_seconds"), FieldPanel("quiz_required")],
            heading=_("Completion"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def video(self):
        """The lesson's first video block (value), or None: a video lesson completes by watching it."""
        for block in self.body:
            if block.block_type == "video":
                return block.value
        return None

    @property
    def quiz_blocks(self) -> list:
        return [block for block in self.body if block.block_type == "quiz"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_detail(lesson=self, user=request.user))
        return context

    def serve(self, request, *args, **kwargs):
        from .services import lesson_open

        if request.user.is_authenticated:
            lesson_open(user=request.user, lesson=self)
        return super().serve(request, *args, **kwargs)


class Enrolment(models.Model):
    """A person's enrolment in a course (all languages of it), with completion and time spent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course_key = models.UUIDField(_("course"), db_index=True)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course_key}"


class ItemProgress(models.Model):
    """Progress on one required item of a course: a lesson (`lesson:<translation key>`), the
    linked training session (`session`) or the live observation session (`live`)."""

    SESSION = "session"
    LIVE = "live"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(pgettext_lazy("list entry", "item"), max_length=60)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(_("time spent (seconds)"), default=0)
    evidence = models.CharField(pgettext_lazy("completion record", "evidence"), max_length=120, blank=True)

    class Meta:
        ordering = ["enrolment_id", "id"]
        verbose_name = _("item progress")
        verbose_name_plural = _("item progress")
        constraints = [models.UniqueConstraint(fields=["enrolment", "item"], name="one_progress_per_item")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.item}"

    @staticmethod
    def lesson_item(lesson_key: uuid.UUID | str) -> str:
        return f"lesson:{lesson_key}"


class WatchTime(models.Model):
    """Distinct seconds of one watchable (a lesson video, a live stream) a person watched, as
    credited by the server clock (`courses.watchtime`). `ranges` are merged [start, end) pairs in
    media seconds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_times")
    watchable = models.CharField(_("watchable"), max_length=80)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    ranges = models.JSONField(default=list)
    seconds = models.PositiveIntegerField(_("seconds watched"), default=0)
    last_beat_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watch time")
        verbose_name_plural = _("watch time")
        constraints = [models.UniqueConstraint(fields=["user", "watchable"], name="one_watch_time_per_watchable")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.watchable} {self.seconds}s"
