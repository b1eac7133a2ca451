"""Notices to people about something they hold a place in (a training seat today; a live
session registration or an exam sitting tomorrow): kept until e-mailed, at once or in a digest."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class NotificationPreference(models.Model):
    """How a person wants notices: one e-mail per event or a daily digest, the reminder lead time,
    and the secret token of their private calendar feed. The language is the person's own
    (`User.language`), shown here as `language` so one form edits both."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    daily_digest = models.BooleanField(_("one daily digest instead of one e-mail per event"), default=False)
    reminder_days = models.PositiveSmallIntegerField(_("reminder, days before the event"), default=2)
    sms_reminders = models.BooleanField(
        _("reminders also by SMS"),
        default=False,
        help_text=_("Reminders go to your verified mobile number as well as by e-mail."),
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if getattr(self, "_language_changed", False):
            type(self.user).objects.filter(pk=self.user_id).update(language=self.user.language)
            self._language_changed = False

    @property
    def language(self) -> str:
        return self.user.language

    @language.setter
    def language(self, value: str) -> None:
        self.user.language = value
        self._language_changed = True


class Notice(models.Model):
    """One notice about one target (any model registered in `notices.targets`), kept until it is
    e-mailed. `event_start` and `event_sequence` are the target's start and calendar SEQUENCE
    when a reminder was made: a reminder is sent once per start and sequence, so moving the
    event, or changing its room or place, re-arms it."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Booking confirmed")
        WAITLIST = "waitlist", _("Placed on the waitlist")
        PROMOTION = "promotion", _("Promoted from the waitlist")
        CHANGE = "change", _("Session changed")
        CANCELLATION = "cancellation", _("Booking cancelled")
        REMINDER = "reminder", _("Reminder")

    # No index of their own: the indexes below start with each (one index fewer to write per notice).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", db_index=False
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    event_start = models.DateTimeField(null=True, blank=True)
    # A reminder's target SEQUENCE when it was made: a change the person must see (a new time,
    # room or place) raises it, so the reminder is due again, describing the change.
    event_sequence = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The SMS channel claims its own send (reminders to people who chose SMS), apart from e-mail.
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(
        default=False, help_text=_("Not sent: the target changed or was cancelled before the e-mail went out.")
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["recipient", "sent_at"]),
            models.Index(fields=["target_type", "target_id", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type_id}:{self.target_id}"
