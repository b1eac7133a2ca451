"""Applications, versioned selection policies, selection rounds and the key training list
(seed 004: priority selection; procedures 01 training application → 02 key training list)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..types import TRAINING_BASE_SLUGS
from .core import CustomsUnit, Enterprise, Position, TrainingType

BASE_CHOICES = [
    ("suzhou", _("Suzhou")),
    ("shenzhen", _("Shenzhen")),
    ("guangzhou", _("Guangzhou")),
]
assert tuple(slug for slug, _label in BASE_CHOICES) == TRAINING_BASE_SLUGS


class OrderingMode(models.TextChoices):
    """How the three conditions of seed 004 combine (DOMAIN.md: configurable, lexicographic by default)."""

    LEXICOGRAPHIC = "lexicographic", _("Number of conditions met, then condition 1, 2, 3")
    WEIGHTED = "weighted", _("Weighted sum of the conditions met")


class SelectionPolicy(models.Model):
    """A numbered version of the selection rules. A round keeps the version it was run with, so the
    same applications and the same version always give the same key training list."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=False, help_text=_("Used by new selection rounds."))
    ordering_mode = models.CharField(
        _("ordering of the conditions"), max_length=20, choices=OrderingMode.choices, default=OrderingMode.LEXICOGRAPHIC
    )
    weight_key_enterprise = models.PositiveSmallIntegerField(_("weight of condition 1 (key enterprise)"), default=4)
    weight_willingness = models.PositiveSmallIntegerField(_("weight of condition 2 (strong willingness)"), default=2)
    weight_credit_score = models.PositiveSmallIntegerField(_("weight of condition 3 (high credit score)"), default=1)
    high_score_threshold = models.PositiveSmallIntegerField(
        _("high credit score threshold"), default=85, validators=[MaxValueValidator(100)]
    )
    willingness_plan_within_months = models.PositiveSmallIntegerField(
        _("planned AEO application within (months)"),
        default=12,
        help_text=_("A strong willingness counts when the enterprise plans to apply for AEO within this many months."),
    )
    seats_per_enterprise = models.PositiveSmallIntegerField(
        _("seats per enterprise"), default=3, validators=[MinValueValidator(1)]
    )
    exclude_discredited = models.BooleanField(_("discredited enterprises are ineligible"), default=True)
    exclude_barred = models.BooleanField(_("enterprises under a 1-year bar are ineligible"), default=True)
    exclude_blocked = models.BooleanField(_("suspended or terminated enterprises are ineligible"), default=True)
    audit_conclusion_limit_months = models.PositiveSmallIntegerField(
        _("months an audit may stay without conclusion"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Cultivation is terminated when an audit has no conclusion after this time (1-3 months)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("selection policy")
        verbose_name_plural = _("selection policies")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True), name="one_active_policy")
        ]

    def __str__(self) -> str:
        return f"v{self.version} · {self.name}"

    def clean(self) -> None:
        if self.pk and SelectionRound.objects.filter(policy=self, status=SelectionRound.Status.PUBLISHED).exists():
            original = SelectionPolicy.objects.get(pk=self.pk)
            rule_fields = [f.name for f in self._meta.fields if f.name not in {"is_active", "name", "created_at"}]
            if any(getattr(original, f) != getattr(self, f) for f in rule_fields):
                raise ValidationError(
                    _("This version was used by a published round and cannot change: create a new version instead.")
                )

    @classmethod
    def active(cls) -> "SelectionPolicy | None":
        return cls.objects.filter(is_active=True).first()


class SelectionRound(ClusterableModel):
    """One call for applications in a customs district (e.g. "2027 Q1, Shenzhen district") that ends
    in a published key training list per training type."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed, selection under way")
        PUBLISHED = "published", _("Key training list published")

    name = models.CharField(_("name"), max_length=120)
    customs_unit = models.ForeignKey(
        CustomsUnit, verbose_name=_("customs district"), on_delete=models.PROTECT, related_name="selection_rounds"
    )
    policy = models.ForeignKey(
        SelectionPolicy, verbose_name=_("selection policy"), on_delete=models.PROTECT, related_name="rounds"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    applications_close_on = models.DateField(_("applications close on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-applications_close_on", "-id"]
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class RoundCapacity(models.Model):
    """Seats a round offers for one training type at one training base."""

    round = ParentalKey(SelectionRound, on_delete=models.CASCADE, related_name="capacities")
    training_type = models.CharField(_("training type"), max_length=20, choices=TrainingType.choices)
    base_slug = models.CharField(_("training base"), max_length=20, choices=BASE_CHOICES)
    seats = models.PositiveIntegerField(pgettext_lazy("selection quota", "seats"))

    class Meta:
        ordering = ["training_type", "base_slug"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["round", "training_type", "base_slug"], name="one_capacity_per_type_base")
        ]

    def __str__(self) -> str:
        return f"{self.get_training_type_display()} · {self.get_base_slug_display()}: {self.seats}"


class Willingness(models.TextChoices):
    """How strongly the enterprise wants to become an AEO (seed 004: condition 2)."""

    STRONG = "strong", _("Strong")
    MODERATE = "moderate", _("Moderate")
    EXPLORING = "exploring", pgettext_lazy("willingness", "Exploring")


class TrainingApplication(models.Model):
    """Procedure step 01: an enterprise applies for one training type in one round and nominates
    the people to train. One application per enterprise, round and training type."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="applications"
    )
    training_type = models.CharField(_("training type"), max_length=20, choices=TrainingType.choices)
    willingness = models.CharField(_("willingness to become an AEO"), max_length=20, choices=Willingness.choices)
    planned_aeo_application_date = models.DateField(_("planned AEO application date"), null=True, blank=True)
    willingness_evidence = models.TextField(_("evidence of willingness"), blank=True)
    preferred_bases = models.JSONField(_("preferred training bases"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("training application")
        verbose_name_plural = _("training applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "enterprise", "training_type"], name="one_application_per_round_and_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_training_type_display()} · {self.round}"

    def clean(self) -> None:
        bases = self.preferred_bases or []
        if not isinstance(bases, list) or any(b not in TRAINING_BASE_SLUGS for b in bases):
            raise ValidationError({"preferred_bases": _("Choose training bases among Suzhou, Shenzhen and Guangzhou.")})
        if len(set(bases)) != len(bases):
            raise ValidationError({"preferred_bases": _("Each training base can be ranked only once.")})


class NominatedTrainee(models.Model):
    """A person the enterprise nominates; an existing staff account when known, else a name and
    position (an account can be linked later)."""

    application = models.ForeignKey(TrainingApplication, on_delete=models.CASCADE, related_name="nominees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application_id", "sort_order", "id"]
        verbose_name = _("nominated trainee")
        verbose_name_plural = _("nominated trainees")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


class KeyListAdjustment(models.Model):
    """An officer's manual decision on one application, with the written reason (audit trail;
    never edited, the latest per application applies)."""

    class Action(models.TextChoices):
        INCLUDE = "include", _("Put on the list")
        EXCLUDE = "exclude", _("Take off the list")
        CLEAR = "clear", _("Back to the rules")

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="adjustments")
    application = models.ForeignKey(TrainingApplication, on_delete=models.CASCADE, related_name="adjustments")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("key list adjustment")
        verbose_name_plural = _("key list adjustments")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.application}"


class Outcome(models.TextChoices):
    LISTED = "listed", _("On the key training list")
    NOT_SELECTED = "not_selected", _("Not selected")
    INELIGIBLE = "ineligible", _("Not eligible")
    EXCLUDED = "excluded", _("Taken off the list by customs")


class SelectionDecision(models.Model):
    """The published outcome for one application, with the reasons that produced it."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="decisions")
    application = models.OneToOneField(TrainingApplication, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    total = models.PositiveIntegerField(_("applications"))
    reasons = models.JSONField(_("reasons"), default=list)
    policy_version = models.PositiveIntegerField(_("policy version"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["round_id", "rank", "id"]
        verbose_name = _("selection decision")
        verbose_name_plural = _("selection decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class KeyListEntry(models.Model):
    """Procedure step 02: one person on the published key training list of a round and training
    type, in priority order (1 = highest)."""

    # No index of its own: `one_person_per_priority` starts with the round.
    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="entries", db_index=False)
    decision = models.ForeignKey(SelectionDecision, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(TrainingApplication, on_delete=models.CASCADE, related_name="entries")
    nominee = models.OneToOneField(NominatedTrainee, on_delete=models.PROTECT, related_name="entry")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="key_list_entries")
    training_type = models.CharField(_("training type"), max_length=20, choices=TrainingType.choices)
    priority = models.PositiveIntegerField(_("priority"))
    base_slug = models.CharField(_("proposed training base"), max_length=20, choices=BASE_CHOICES, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.CharField(_("why removed"), max_length=300, blank=True)

    class Meta:
        ordering = ["round_id", "training_type", "priority"]
        verbose_name = _("key training list entry")
        verbose_name_plural = _("key training list entries")
        constraints = [
            models.UniqueConstraint(fields=["round", "training_type", "priority"], name="one_person_per_priority")
        ]
        indexes = [models.Index(fields=["training_type", "round", "priority"], name="keylist_type_round_priority")]

    def __str__(self) -> str:
        return f"{self.priority}. {self.nominee}"
