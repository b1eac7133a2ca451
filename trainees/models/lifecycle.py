"""Audit trail of the cultivation lifecycle and staff invitations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import CultivationStatus, Enterprise, Position


class CultivationEvent(models.Model):
    """One transition of an enterprise's cultivation status: who, when, why, with what evidence
    (DOMAIN.md: every transition records actor, time, reason and evidence reference)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="cultivation_events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=CultivationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=CultivationStatus.choices)
    ground = models.CharField(_("ground"), max_length=30, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    evidence_reference = models.CharField(_("evidence reference"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("cultivation event")
        verbose_name_plural = _("cultivation events")
        indexes = [models.Index(fields=["enterprise", "-occurred_at"], name="cultivation_event_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.from_status} → {self.to_status}"


class EnterpriseInvitation(models.Model):
    """An invitation from an enterprise's administrator for a person to join as staff. Only a hash
    of the token is stored."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise}"
