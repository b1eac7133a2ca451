from django import forms
from django.utils.translation import gettext_lazy as _

from lms.params import DB_ID_MAX
from trainees.models import TrainingType

from .models import NotificationPreference


class AllocationForm(forms.Form):
    training_type = forms.ChoiceField(label=_("Training type"), choices=TrainingType.choices)
    round_id = forms.IntegerField(
        label=_("Selection round"),
        required=False,
        min_value=1,
        max_value=DB_ID_MAX,
        help_text=_("Leave empty for the latest published key training list."),
    )


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["language", "daily_digest", "reminder_days"]
        widgets = {"reminder_days": forms.NumberInput(attrs={"min": 0, "max": 30})}

    def clean_reminder_days(self):
        value = self.cleaned_data["reminder_days"]
        if value > 30:
            raise forms.ValidationError(_("Choose at most 30 days."))
        return value
