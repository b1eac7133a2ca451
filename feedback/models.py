"""Outcomes of cultivation (issue 17, point 5): an enterprise's AEO certification application and
its result, recorded by customs officers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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
