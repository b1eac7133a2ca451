from django import forms
from django.utils.translation import gettext_lazy as _

from trainees.models import TrainingType

from . import selectors


class AllocationForm(forms.Form):
    """The officer picks a training type and one of their published rounds (issue 8, point 7);
    a round that is not offered is refused by the field."""

    training_type = forms.ChoiceField(label=_("Training type"), choices=TrainingType.choices)
    round_id = forms.TypedChoiceField(
        label=_("Selection round"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for the latest published key training list."),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = selectors.allocation_rounds(actor=actor)
        self.fields["round_id"].choices = [("", _("Latest published list"))] + [
            (r.pk, f"{r.name} · {r.customs_unit}") for r in rounds
        ]
