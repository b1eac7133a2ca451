"""Forms of the self-assessment pages. Numbers are parsed here, so a non-number re-renders the
form with a message instead of reaching the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trainees.models import Position

from .models import FIGURES, FinancialYear, Judgement


class JudgementForm(forms.Form):
    value = forms.ChoiceField(label=_("Judgement"), choices=[("", "—"), *Judgement.Value.choices], required=False)
    reason = forms.CharField(
        label=_("Reason (required for not applicable)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("value") == Judgement.Value.NOT_APPLICABLE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this sub-item does not apply to your enterprise."))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF, image or office document, at most 20 MB)"))
    consent = forms.BooleanField(
        label=_(
            "The file may hold personal information: the people named in it agreed, and I agree to its processing under the privacy notice"
        ),
        required=True,
        error_messages={"required": _("Tick the consent box to attach the file.")},
    )


class AssignForm(forms.Form):
    position = forms.ChoiceField(
        label=_("Assign to position"), choices=[("", _("Nobody (anyone may judge)")), *Position.choices], required=False
    )
    criteria = forms.CharField(widget=forms.HiddenInput, required=False)

    def criterion_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("criteria", "").split(",") if v.strip().isdigit()]


class FinancialYearForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100, required=False)
    audit_opinion = forms.ChoiceField(
        label=_("Audit opinion"), choices=[("", "—"), *FinancialYear.AuditOpinion.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURES:
            self.fields[name] = forms.DecimalField(
                label=FinancialYear._meta.get_field(name).verbose_name,
                max_digits=14,
                decimal_places=2,
                required=False,
                localize=False,
            )

    def clean(self):
        data = super().clean()
        has_figures = any(data.get(name) is not None for name in FIGURES) or data.get("audit_opinion")
        if has_figures and not data.get("year"):
            self.add_error("year", _("Give the fiscal year of these figures."))
        return data


FinancialYearFormSet = forms.formset_factory(FinancialYearForm, extra=0, max_num=5, validate_max=True)


class FinancialProfileForm(forms.Form):
    is_manufacturer = forms.BooleanField(label=_("We are a manufacturing enterprise (生产型企业)"), required=False)
