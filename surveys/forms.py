"""Forms of the survey pages: the filters of the results page (the answer form is built from the
survey's own questions in the view, item by item)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import EventKind
from .selectors import ResultFilters


class ResultFilterForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("All events")), *EventKind.choices])
    course = forms.UUIDField(label=_("Course"), required=False, widget=forms.HiddenInput)
    trainer = forms.IntegerField(label=_("Trainer"), required=False, min_value=1, widget=forms.HiddenInput)
    base = forms.IntegerField(label=_("Training base"), required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period must not come before its start."))
        return data

    def filters(self) -> ResultFilters:
        """The valid filters (none when the form is invalid)."""
        if not self.is_valid():
            return ResultFilters()
        d = self.cleaned_data
        return ResultFilters(
            start=d.get("start"),
            end=d.get("end"),
            event_kind=d.get("kind") or "",
            course_key=d.get("course"),
            trainer_id=d.get("trainer"),
            base_id=d.get("base"),
        )
