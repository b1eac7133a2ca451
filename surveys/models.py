"""Surveys after training (issue 17, point 1): templates that trainers and officers keep in the
back office, one survey per event (a training session, a live observation session, a month of
completions of a course) with its own frozen copy of the questions, invitations of the people
who took part, and their responses.

Anonymity: an anonymous survey's responses and answers carry no person, enterprise or time, and
random (UUID) keys, so their order says nothing either. Who has answered is kept apart, in
`ResponseReceipt` (survey + person, no time, no key to the response): it refuses a second
response without linking the person to their answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from lms.translation import TranslatedField

from . import rules


class EventKind(models.TextChoices):
    TRAINING_SESSION = "training_session", _("Training session")
    LIVE_SESSION = "live_session", _("Live observation session")
    COURSE = "course", _("Course completion")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    TEXT = "text", _("Free text")


class SurveyTemplate(ClusterableModel):
    """Questions asked after one kind of event; the default template of a kind is used for every
    new event of that kind."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    event_kind = models.CharField(_("sent after"), max_length=20, choices=EventKind.choices)
    is_default = models.BooleanField(
        _("default for this kind of event"),
        default=False,
        help_text=_("New events of this kind get a survey made from this template."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Answers are stored without any link to the person who gave them."),
    )
    days_open = models.PositiveSmallIntegerField(
        _("days open"),
        default=rules.DEFAULT_DAYS_OPEN,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How long participants may answer after the event."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    name = TranslatedField("name_zh", "name_en")
    intro = TranslatedField("intro_zh", "intro_en")

    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("intro_zh"), FieldPanel("intro_en")]),
        MultiFieldPanel(
            [FieldPanel("event_kind"), FieldPanel("is_default"), FieldPanel("anonymous"), FieldPanel("days_open")],
            heading=_("Use"),
        ),
        InlinePanel(
            "questions",
            heading=pgettext_lazy("survey question", "Questions"),
            label=pgettext_lazy("survey question", "question"),
            min_num=1,
            max_num=30,
        ),
    ]

    class Meta:
        ordering = ["event_kind", "name_zh"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        constraints = [
            models.UniqueConstraint(
                fields=["event_kind"], condition=Q(is_default=True), name="surveys_one_default_template_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(days_open__gte=1, days_open__lte=90), name="surveys_template_days_open_1_90"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_default and self.event_kind:
            other = SurveyTemplate.objects.filter(event_kind=self.event_kind, is_default=True).exclude(pk=self.pk)
            if other.exists():
                raise ValidationError(
                    {"is_default": _("Another template is already the default for this kind of event.")}
                )


class TemplateQuestion(Orderable):
    template = ParentalKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        pgettext_lazy("survey question", "kind"),
        max_length=10,
        choices=QuestionKind.choices,
        default=QuestionKind.LIKERT,
    )
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    required = models.BooleanField(pgettext_lazy("survey question", "required"), default=True)

    text = TranslatedField("text_zh", "text_en")

    panels = [FieldPanel("kind"), FieldPanel("text_zh"), FieldPanel("text_en"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("survey question", "question")
        verbose_name_plural = pgettext_lazy("survey question", "questions")

    def __str__(self) -> str:
        return self.text


class Survey(models.Model):
    """The survey of one event. `customs_unit` is the district that delivered the event (the
    training base's); national events (courses, live observation) have none and count for GACC."""

    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("template"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    training_session = models.ForeignKey(
        "training_bases.TrainingSession",
        verbose_name=_("training session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    live_session = models.ForeignKey(
        "live.LiveSession",
        verbose_name=_("live observation session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    course_key = models.UUIDField(_("course"), null=True, blank=True, db_index=True)
    cohort_month = models.DateField(_("completions in the month of"), null=True, blank=True)
    event_date = models.DateField(_("event date"), db_index=True)
    base = models.ForeignKey(
        "training_bases.TrainingBase",
        verbose_name=_("training base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    customs_unit = models.ForeignKey(
        "trainees.CustomsUnit",
        verbose_name=_("customs district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="surveys_as_trainer"
    )
    anonymous = models.BooleanField(_("anonymous"), default=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(auto_now_add=True)

    title = TranslatedField("title_zh", "title_en")
    intro = TranslatedField("intro_zh", "intro_en")

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["customs_unit", "event_date"], name="surveys_unit_date")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="surveys_closes_after_opens"),
            models.UniqueConstraint(
                fields=["training_session"],
                condition=Q(training_session__isnull=False),
                name="surveys_one_per_training_session",
            ),
            models.UniqueConstraint(
                fields=["live_session"], condition=Q(live_session__isnull=False), name="surveys_one_per_live_session"
            ),
            models.UniqueConstraint(
                fields=["course_key", "cohort_month"],
                condition=Q(event_kind="course"),
                name="surveys_one_per_course_month",
            ),
            models.CheckConstraint(
                condition=(
                    Q(event_kind="training_session", training_session__isnull=False, live_session__isnull=True)
                    | Q(event_kind="live_session", live_session__isnull=False, training_session__isnull=True)
                    | Q(
                        event_kind="course",
                        course_key__isnull=False,
                        cohort_month__isnull=False,
                        training_session__isnull=True,
                        live_session__isnull=True,
                    )
                ),
                name="surveys_event_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The survey must close after it opens.")})
        if self.pk:
            before = Survey.objects.filter(pk=self.pk).values_list("anonymous", flat=True).first()
            if before is not None and before != self.anonymous and self.responses.exists():
                raise ValidationError(
                    {"anonymous": _("People have already answered: anonymity can no longer be changed.")}
                )


class SurveyItem(models.Model):
    """A question of one survey, copied from its template when the survey was made, so editing
    the template never changes what people already answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "position"))
    kind = models.CharField(pgettext_lazy("survey question", "kind"), max_length=10, choices=QuestionKind.choices)
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    required = models.BooleanField(pgettext_lazy("survey question", "required"), default=True)

    text = TranslatedField("text_zh", "text_en")

    class Meta:
        ordering = ["survey_id", "position"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="surveys_item_position_unique")]

    def __str__(self) -> str:
        return self.text


class SurveyInvitation(models.Model):
    """A person asked to answer (they took part in the event): the denominator of the response
    rate and the target of the invitation e-mail and the reminder (notices)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations")
    enterprise = models.ForeignKey(
        "trainees.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    closes_at = models.DateTimeField(_("answer by"))
    invited_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey_id", "id"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="surveys_one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.user} · {self.survey}"


class ResponseReceipt(models.Model):
    """ "This person has answered this survey": nothing else (no time, no link to the response),
    so an anonymous response stays unlinked while a second one is refused by the database."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("response receipt")
        verbose_name_plural = _("response receipts")
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="surveys_one_response_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.survey_id}"


class SurveyResponse(models.Model):
    """One person's answers. Anonymous: no respondent and no time (database check)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    anonymous = models.BooleanField(_("anonymous"))
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=True, respondent__isnull=True, submitted_at__isnull=True)
                | Q(anonymous=False, respondent__isnull=False, submitted_at__isnull=False),
                name="surveys_anonymous_response_unlinked",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="surveys_one_named_response_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class SurveyAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True, max_length=rules.MAX_TEXT_LENGTH)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="surveys_one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="surveys_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score if self.score is not None else self.text[:30]}"
