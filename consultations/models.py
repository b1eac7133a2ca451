"""Consultations (咨询) with customs and the public FAQ made from them (issue 17, points 2 and 3).

An enterprise asks its customs district a question; the district's coordinators answer in a
thread, hand it over or close it; the enterprise rates the answer. An answered question may be
published, anonymised and edited, as a `FaqPage`."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from readiness.models import evidence_storage

from . import rules


class DistrictConsultationSetting(models.Model):
    """How fast a customs unit promises to answer (data, per district): a question without an
    answer after `answer_target_hours` is flagged. Units without a row use their parent's, then
    `rules.DEFAULT_TARGET_HOURS`."""

    customs_unit = models.OneToOneField(
        "trainees.CustomsUnit",
        verbose_name=_("customs district"),
        on_delete=models.CASCADE,
        related_name="consultation_setting",
    )
    answer_target_hours = models.PositiveSmallIntegerField(
        _("answer within (hours)"),
        default=rules.DEFAULT_TARGET_HOURS,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text=_("A question not answered within this time is flagged as overdue."),
    )

    class Meta:
        ordering = ["customs_unit__code"]
        verbose_name = _("consultation answer time")
        verbose_name_plural = _("consultation answer times")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_target_hours__gte=1, answer_target_hours__lte=24 * 30),
                name="consultation_target_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customs_unit}: {self.answer_target_hours} h"


class Consultation(models.Model):
    """One question of an enterprise to a customs district and its thread."""

    class Topic(models.TextChoices):
        CRITERIA_AREA = "criteria_area", _("AEO criteria")
        PROCEDURE = "procedure", _("Certification procedure")
        FACILITATION = "facilitation", _("Facilitation measures")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = rules.OPEN, _("Awaiting an answer")
        ANSWERED = rules.ANSWERED, _("Answered")
        CLOSED = rules.CLOSED, _("Closed")

    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="consultations"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    customs_unit = models.ForeignKey(
        "trainees.CustomsUnit", verbose_name=_("customs district"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    criteria_area = models.ForeignKey(
        "readiness.CriteriaArea",
        verbose_name=_("criteria area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at_gacc = models.BooleanField(_("handed over to GACC"), default=False)
    target_hours = models.PositiveSmallIntegerField(_("answer within (hours)"))
    asked_at = models.DateTimeField(_("asked at"))
    first_due_at = models.DateTimeField(_("first answer due"))
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the answer"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    last_event = models.CharField(_("last event"), max_length=20, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    faq_page = models.ForeignKey(
        "consultations.FaqPage",
        verbose_name=_("published as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [
            models.Index(fields=["customs_unit", "status", "due_at"], name="consultation_queue"),
            models.Index(fields=["enterprise", "-asked_at"], name="consultation_enterprise"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="consultation_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(first_answered_at__isnull=False),
                name="consultation_rated_after_answer",
            ),
            models.CheckConstraint(
                condition=Q(status="open", due_at__isnull=False) | (~Q(status="open") & Q(due_at__isnull=True)),
                name="consultation_due_while_open",
            ),
            models.CheckConstraint(
                condition=~Q(topic="criteria_area") | Q(criteria_area__isnull=False),
                name="consultation_criteria_topic_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def state(self) -> rules.ConsultationState:
        return rules.ConsultationState(
            status=self.status,
            answered=self.first_answered_at is not None,
            rated=self.rating is not None,
            published=self.faq_page_id is not None,
            at_gacc=self.at_gacc,
        )


def attachment_path(instance, filename: str) -> str:
    return f"consultations/{instance.consultation.enterprise_id}/{uuid.uuid4().hex}"


class ConsultationMessage(models.Model):
    """One message of the thread: the question, a follow-up of the enterprise, a coordinator's
    reply, or a note left on hand-over or closing. An optional attachment is kept with the same
    rules and private storage as readiness evidence."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        FOLLOW_UP = "follow_up", _("Follow-up question")
        REPLY = "reply", _("Reply")
        NOTE = "note", pgettext_lazy("remark", "Note")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    attachment = models.FileField(
        _("attachment"), storage=evidence_storage, upload_to=attachment_path, blank=True, max_length=200
    )
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("consultation message")
        verbose_name_plural = _("consultation messages")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.kind}"

    @property
    def from_customs(self) -> bool:
        return self.kind in {self.Kind.REPLY, self.Kind.NOTE}


class ConsultationFollower(models.Model):
    """A person told of every change to a consultation (the notice target, docs/notices.md): the
    enterprise person who asked, and the coordinators it was routed or handed over to."""

    class Side(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        CUSTOMS = "customs", _("Customs")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_follower_row_per_person"),
        ]
        verbose_name = _("consultation follower")
        verbose_name_plural = _("consultation followers")

    def __str__(self) -> str:
        return f"{self.consultation_id} → {self.user_id}"


class FaqIndexPage(Page):
    """The public FAQ: questions enterprises asked, anonymised and answered by customs. Search
    (Chinese words through `cms.search`) and a filter by criteria area."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["consultations.FaqPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("FAQ")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .selectors import faq_list

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()[:100]
        area = request.GET.get("area", "").strip()[:50]
        entries, areas = faq_list(index=self, query=query, area_key=area)
        context.update(
            entries=Paginator(entries, 20).get_page(request.GET.get("page")), query=query, area=area, areas=areas
        )
        return context


class FaqPage(Page):
    """One published question and its answer, with no enterprise name or personal data."""

    topic = models.CharField(_("topic"), max_length=20, choices=Consultation.Topic.choices)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    criteria_areas = ParentalManyToManyField(
        "readiness.CriteriaArea", verbose_name=_("criteria areas it explains"), blank=True, related_name="+"
    )

    content_panels = Page.content_panels + [
        FieldPanel("topic"),
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("criteria_areas"),
    ]
    search_fields = Page.search_fields + [index.SearchField("question"), index.SearchField("answer")]
    parent_page_types = ["consultations.FaqIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")

    def clean(self) -> None:
        """No personal data in a published entry, however it was edited (here in the back office
        as on the publish page): the one check, `rules.personal_data_refusal`, with the names of
        the consultation the entry was made from."""
        super().clean()
        from .selectors import publication_names

        enterprise_names: list[str] = []
        person_names: list[str] = []
        # The entry in every language (translations share the key) was made from one consultation.
        consultation = (
            Consultation.objects.filter(faq_page__translation_key=self.translation_key)
            .select_related("enterprise", "asked_by")
            .first()
        )
        if consultation is not None:
            enterprise_names, person_names = publication_names(consultation=consultation)
        errors = {}
        for field in ("title", "question", "answer"):
            message = rules.personal_data_refusal(
                getattr(self, field) or "", enterprise_names=enterprise_names, person_names=person_names
            )
            if message:
                errors[field] = ValidationError(message, code="personal_data")
        if errors:
            raise ValidationError(errors)
