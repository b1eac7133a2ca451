from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trainees import rules


class OutcomeApplicationForm(forms.Form):
    applied_on = forms.DateField(label=_("Application date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=pgettext_lazy("remark", "Note"), max_length=300, required=False)


class OutcomeResultForm(forms.Form):
    RESULTS = (("passed", _("Passed")), ("failed", _("Failed")))
    LEVELS = (
        ("", "—"),
        ("advanced_certified", _("Advanced certified enterprise")),
        ("certified", _("Certified enterprise")),
    )

    outcome = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Result"), choices=RESULTS)
    decided_on = forms.DateField(label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}))
    credit_level = forms.ChoiceField(label=_("Credit level granted"), choices=LEVELS, required=False)

    def clean(self):
        data = super().clean()
        if data.get("result") == "passed" and data.get("credit_level") not in rules.CERTIFIED_LEVEL_CODES:
            self.add_error("credit_level", _("Choose the credit level the enterprise was certified at."))
        return data
