"""Outcomes of cultivation (issue 17, point 5): an enterprise's AEO certification application and
its result, recorded by customs officers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificationOutcome(models.Model):
    """One AEO certification application of an enterprise and, once customs has decided, its
    result. At most one application per enterprise is pending at a time."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    enterprise = models.ForeignKey(
        "trainees.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="certification_outcomes",
    )
    applied_on = models.DateField(_("application date"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.PENDING)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    credit_level = models.ForeignKey(
        "trainees.CreditLevel",
        verbose_name=_("credit level granted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("result recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("AEO certification outcome")
        verbose_name_plural = _("AEO certification outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(result="pending"), name="feedback_one_pending_outcome"
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("applied_on")),
                name="feedback_outcome_decided_after_applied",
            ),
            models.CheckConstraint(
                condition=Q(result="pending", decided_on__isnull=True)
                | (~Q(result="pending") & Q(decided_on__isnull=False)),
                name="feedback_outcome_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.applied_on}: {self.get_result_display()}"


class Expert(models.Model):
    """A trainer on the roster of AEO experts (seed 004: GACC's national expert team; regional
    customs manage trainers and experts): level, customs district and the criteria areas they
    speak to. Sessions, courses and survey results are read from their apps, not copied here."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National expert")
        REGIONAL = "regional", _("Regional expert")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
        limit_choices_to={"groups__name__in": ["Trainers", "Lead trainers"]},
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.REGIONAL)
    customs_unit = models.ForeignKey(
        "trainees.CustomsUnit",
        verbose_name=_("customs district"),
        on_delete=models.PROTECT,
        related_name="experts",
        help_text=_("The customs unit that manages this expert (GACC for the national team)."),
    )
    specialties = models.ManyToManyField(
        "readiness.CriteriaArea", verbose_name=_("specialties (criteria areas)"), blank=True, related_name="experts"
    )
    profile = models.TextField(_("profile"), blank=True, max_length=2000)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    is_active = models.BooleanField(pgettext_lazy("expert", "active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "customs_unit__code", "user__last_name", "user__first_name", "id"]
        verbose_name = _("AEO expert")
        verbose_name_plural = _("AEO experts")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email
