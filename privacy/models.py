"""Requests people make about their personal information (PIPL Art. 44-47)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionRequest(models.Model):
    """A person asks for their personal information to be deleted (PIPL Art. 47). An officer
    carries it out (the person is anonymised; exam, attendance and audit records are kept
    without the name, as the law requires) or refuses it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an officer")
        DONE = "done", _("Carried out: personal information deleted")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="deletion_requests"
    )
    reason = models.TextField(_("reason given"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    officer_note = models.TextField(
        _("officer's note"), blank=True, max_length=2000, help_text=_("Required when refusing: shown to the person.")
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_deletion_request"
            )
        ]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"
