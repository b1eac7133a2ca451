"""A web import too large to run inside the request: the uploaded file (kept in the database,
never under a public URL, and cleared when the import ends) and its progress and outcome."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        PREVIEW = "preview", _("Waiting for confirmation")
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Nothing imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    language = models.CharField(_("language"), max_length=10, blank=True)
    data = models.BinaryField(_("file"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    terminated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    plan = models.JSONField(
        _("changes"),
        default=list,
        blank=True,
        help_text=_("Per row: the enterprise, whether it is new, and the columns the import will change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def working(self) -> bool:
        """Whether a task is still at work (the page reloads itself)."""
        return self.status in {self.Status.CHECKING, self.Status.PENDING, self.Status.RUNNING}

    @property
    def plan_counts(self) -> dict[str, int]:
        """New, changed and unchanged rows of the preview."""
        new = sum(1 for p in self.plan if p["new"])
        changed = sum(1 for p in self.plan if not p["new"] and p["changes"])
        return {"new": new, "changed": changed, "unchanged": len(self.plan) - new - changed}

    @property
    def plan_shown(self) -> list[dict]:
        """The rows the preview lists: new or changed ones, the first 1,000."""
        return [p for p in self.plan if p["new"] or p["changes"]][:1000]

    @property
    def percent(self) -> int:
        if not self.working:
            return 100
        return min(99, round(100 * self.checked_rows / self.total_rows)) if self.total_rows else 0
