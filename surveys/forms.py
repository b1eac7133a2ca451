"""Forms of the survey pages: the filters of the results page (the answer form is built from the
survey's own questions in the view, item by item)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms import periods

from .models import EventKind
from .selectors import ResultFilters


class ResultFilterForm(forms.Form):
    """The results page's filters. Nothing is ignored silently and nothing is shown filtered
    differently from what the page says: the dates are read as the appraisal reads them
    (`lms.periods`: reversed dates swapped, an unreadable date left out), each with a note in
    `notes`; a filter that cannot be used is left out with a note, the others still apply."""

    start = forms.DateField(
        label=pgettext_lazy("period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("All events")), *EventKind.choices])
    course = forms.UUIDField(label=_("Course"), required=False, widget=forms.HiddenInput)
    trainer = forms.IntegerField(label=_("Trainer"), required=False, min_value=1, widget=forms.HiddenInput)
    base = forms.IntegerField(label=_("Training base"), required=False, min_value=1, widget=forms.HiddenInput)

    IGNORED = {
        "kind": _("The event filter could not be used: every event is shown."),
        "course": _("The course filter could not be used: every course is shown."),
        "trainer": _("The trainer filter could not be used: every trainer is shown."),
        "base": _("The training base filter could not be used: every base is shown."),
    }

    def __init__(self, data=None, *args, **kwargs):
        self.notes: list[str] = []
        if data is not None:
            dates = periods.read_dates(data.get("start"), data.get("end"))
            self.notes = periods.correction_messages(dates.corrections)
            data = data.copy()
            # The fields show the dates used (swapped, or empty where unreadable).
            data["start"] = dates.start.isoformat() if dates.start else ""
            data["end"] = dates.end.isoformat() if dates.end else ""
        super().__init__(data, *args, **kwargs)

    def filters(self) -> ResultFilters:
        """The filters that can be used; each one that cannot is left out with a note."""
        if not self.is_bound:
            return ResultFilters()
        self.is_valid()
        for name, note in self.IGNORED.items():
            if name in self.errors and str(note) not in self.notes:
                self.notes.append(str(note))
        d = self.cleaned_data
        return ResultFilters(
            start=d.get("start"),
            end=d.get("end"),
            event_kind=d.get("kind") or "",
            course_key=d.get("course"),
            trainer_id=d.get("trainer"),
            base_id=d.get("base"),
        )
