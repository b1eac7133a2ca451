from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm):
    """The person's language (stored on the user: every notice is sent in it), digest,
    reminder lead time and SMS reminders (only with a verified mobile number)."""

    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)

    class Meta:
        model = NotificationPreference
        fields = ["language", "daily_digest", "reminder_days", "sms_reminders"]
        widgets = {"reminder_days": forms.NumberInput(attrs={"min": 0, "max": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            self.fields["language"].initial = self.instance.user.language

    def clean_sms_reminders(self):
        value = self.cleaned_data["sms_reminders"]
        user = self.instance.user if self.instance.user_id else None
        if value and not (user and user.phone and user.phone_verified):
            raise forms.ValidationError(_("Add and verify a mobile number first (account settings, mobile number)."))
        return value

    def clean_reminder_days(self):
        value = self.cleaned_data["reminder_days"]
        if value > 30:
            raise forms.ValidationError(_("Choose at most 30 days."))
        return value

    def save(self, commit=True):
        from trainees.services import user_language_set

        user_language_set(user=self.instance.user, language=self.cleaned_data["language"])
        return super().save(commit=commit)
