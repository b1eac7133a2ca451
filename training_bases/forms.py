from django import forms
from django.utils.translation import gettext_lazy as _

from trainees.models import TrainingType


class AllocationForm(forms.Form):
    training_type = forms.ChoiceField(label=_("Training type"), choices=TrainingType.choices)
    round_id = forms.IntegerField(
        label=_("Selection round"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for the latest published key training list."),
    )
