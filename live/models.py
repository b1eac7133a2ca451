"""Live validation observation sessions (issue 12): a real AEO validation streamed from (usually)
three venues to registered trainees, with server-measured attendance and a moderated Q&A."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from lms.translation import english_active

from . import rules
from .forms import LiveSessionForm

STREAM_URL_ERRORS = {
    "scheme": _("Use an https:// address."),
    "host": _("Plain http:// is only allowed for the development hosts; use an https:// address."),
    "playlist": _("Give the address of an HLS playlist (ending in .m3u8)."),
}


def validate_stream_url(value: str) -> None:
    """Model-field validator around `rules.check_stream_url` (issue 12, point 1)."""
    if not value:
        return
    try:
        rules.check_stream_url(value, http_hosts=settings.LIVE_STREAM_HTTP_HOSTS)
    except rules.StreamUrlError as exc:
        raise ValidationError(STREAM_URL_ERRORS[exc.code], code=f"stream_{exc.code}") from exc


class LiveSession(ClusterableModel):
    """One live observation session of a course (issue 12, point 1)."""

    class Status(models.TextChoices):
        SCHEDULED = rules.Status.SCHEDULED, _("Scheduled")
        LIVE = rules.Status.LIVE, _("Live now")
        ENDED = rules.Status.ENDED, _("Ended")
        REPLAY = rules.Status.REPLAY, _("Replay available")
        CANCELLED = rules.Status.CANCELLED, _("Cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_key = models.UUIDField(
        _("course"), help_text=_("Translation key of the course page this session belongs to.")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, help_text=_("Shown on English pages and feeds.")
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    observed_enterprise = models.CharField(_("observed enterprise"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: until the session ends.")
    )
    threshold_percent = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=rules.DEFAULT_THRESHOLD_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    replay_url = models.CharField(_("replay address"), max_length=500, blank=True, validators=[validate_stream_url])
    consent_given = models.BooleanField(
        _("the observed enterprise consented"),
        default=False,
        help_text=_("A real validation shows the enterprise's premises and documents: record its consent first."),
    )
    consent_reference = models.CharField(_("consent reference"), max_length=200, blank=True)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    base_form_class = LiveSessionForm
    panels = [
        FieldPanel("course_key"),
        FieldPanel("title"),
        FieldPanel("title_en"),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("observed_enterprise"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("Schedule (Beijing time)")),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("threshold_percent")]),
        FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
        InlinePanel("venues", heading=_("Venues"), label=_("venue"), min_num=1, max_num=6),
        FieldPanel("replay_url"),
        MultiFieldPanel(
            [FieldPanel("consent_given"), FieldPanel("consent_reference")],
            heading=_("Consent of the observed enterprise"),
        ),
        FieldRowPanel([FieldPanel("is_published"), FieldPanel("cancelled")]),
    ]

    class Meta:
        verbose_name = _("live observation session")
        verbose_name_plural = _("live observation sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="live_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(consent_given=True),
                name="live_published_needs_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold_percent__gte=1, threshold_percent__lte=100),
                name="live_threshold_percent_1_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def localized_title(self) -> str:
        """The English title on English pages where there is one, else the Chinese title."""
        if english_active():
            return self.title_en or self.title
        return self.title

    @property
    def localized_description(self) -> str:
        """The English description on English pages where there is one, else the Chinese one."""
        if english_active():
            return self.description_en or self.description
        return self.description

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and not rules.schedule_valid(self.starts_at, self.ends_at):
            errors["ends_at"] = _("The end must come after the start.")
        if self.is_published and not self.consent_given:
            errors["is_published"] = _("Record the observed enterprise's consent before publishing.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def watchable(self) -> str:
        return f"live:{self.pk}"

    @property
    def replay_watchable(self) -> str:
        return f"live-replay:{self.pk}"

    def status_at(self, now=None) -> str:
        return rules.session_status(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            cancelled=self.cancelled,
            replay_url=self.replay_url,
            now=now or timezone.now(),
        )

    @property
    def status(self) -> str:
        return self.status_at()

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def threshold_seconds(self) -> int:
        return rules.threshold_seconds(starts_at=self.starts_at, ends_at=self.ends_at, percent=self.threshold_percent)


class Venue(models.Model):
    """One of the session's venues (document review, interviews, site inspection) with its HLS
    playlist and an optional backup the player switches to when the primary fails."""

    session = ParentalKey(LiveSession, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("venue"), max_length=100)
    name_en = models.CharField(_("venue (English)"), max_length=100, blank=True)
    stream_url = models.CharField(_("HLS address"), max_length=500, validators=[validate_stream_url])
    backup_url = models.CharField(_("backup HLS address"), max_length=500, blank=True, validators=[validate_stream_url])
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("stream_url"),
        FieldPanel("backup_url"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The English name on English pages where there is one, else the Chinese name."""
        if english_active():
            return self.name_en or self.name
        return self.name


class Registration(models.Model):
    """A trainee's place in a live session. `attended_at` is set when their credited minutes
    first reach the threshold inside the schedule; minutes themselves live in the watch-time
    record (`courses.WatchTime`, watchable `live:<session id>`), kept permanently."""

    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="live_registrations")
    enterprise = models.ForeignKey("trainees.Enterprise", on_delete=models.PROTECT, related_name="live_registrations")
    created_at = models.DateTimeField(auto_now_add=True)
    attended_at = models.DateTimeField(_("attended at"), null=True, blank=True)
    attended_seconds = models.PositiveIntegerField(_("seconds attended"), default=0)

    class Meta:
        verbose_name = _("live session registration")
        verbose_name_plural = _("live session registrations")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_live_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"


class Question(models.Model):
    """A viewer's question; a trainer answers and publishes it for everyone (issue 12, point 4)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="live_questions")
    text = models.TextField(_("question"), max_length=1000)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "published_at"], name="live_q_session_published")]

    def __str__(self) -> str:
        return self.text[:60]
