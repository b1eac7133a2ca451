"""Forms of the self-assessment pages. Numbers are parsed here, so a non-number re-renders the
form with a message instead of reaching the rules."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.spreadsheets import halfwidth
from trainees.models import Position

from . import rules
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


# Thousands separators as people type them: commas (full-width ones are commas once half-width),
# spaces (full-width, no-break or thin ones too) and apostrophes; only between groups of three
# digits, so that "1,5" is refused rather than read as 15.
_SEPARATOR = re.compile(r"[,'\s\u00a0\u2009\u202f]")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def normalise_amount(text: str) -> str:
    """An amount as typed (１２０００．５０, 12,000, 12，000.5, －5, 12 000) as the plain number text
    Decimal reads (12000.50, 12000, 12000.5, -5, 12000). Raises ValidationError when separators
    stand elsewhere than between groups of three digits."""
    text = halfwidth(text).strip().replace("\u2212", "-")
    if not _SEPARATOR.search(text):
        return text
    grouped = _SEPARATOR.sub(",", text)
    if not _GROUPED.fullmatch(grouped):
        raise ValidationError(
            _(
                "“%(value)s” is not a number: write thousands separators only between groups of three digits (12,000.50)."
            ),
            code="invalid",
            params={"value": text},
        )
    return grouped.replace(",", "")


class FigureField(forms.DecimalField):
    """An amount in 万元 as people type it in China: full-width digits, point and sign
    (１２０００．５０, －５) as half-width (`lms.spreadsheets.halfwidth`), thousands separators
    (12,000 or 12，000 or 12 000) dropped (`normalise_amount`). Negative amounts only where the
    figure may be negative (`rules.NON_NEGATIVE_FIGURES`), with a message naming the figure."""

    def __init__(self, *, name: str, **kwargs):
        self.figure = name
        super().__init__(max_digits=14, decimal_places=2, required=False, localize=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_amount(value)
        return super().to_python(value)

    def widget_attrs(self, widget):
        # Typed as text: a number input would refuse full-width digits and separators.
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def validate(self, value):
        super().validate(value)
        problem = rules.figure_problems({self.figure: value}).get(self.figure)
        if problem:
            raise ValidationError(problem, code="negative")


class FinancialYearForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100, required=False)
    audit_opinion = forms.ChoiceField(
        label=_("Audit opinion"), choices=[("", "—"), *FinancialYear.AuditOpinion.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURES:
            self.fields[name] = FigureField(
                name=name,
                label=FinancialYear._meta.get_field(name).verbose_name,
                widget=forms.TextInput(attrs={"size": 10}),
            )

    def clean(self):
        data = super().clean()
        has_figures = any(data.get(name) is not None for name in FIGURES) or data.get("audit_opinion")
        if has_figures and not data.get("year"):
            self.add_error("year", _("Give the fiscal year of these figures."))
        return data


# At most five fiscal years; `absolute_max` keeps a forged management form (TOTAL_FORMS=1000)
# from building a thousand forms before `validate_max` refuses them.
FINANCIAL_YEARS_MAX = 5


class BaseFinancialYearFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Give the figures of at most %(num)d fiscal years."),
    }


FinancialYearFormSet = forms.formset_factory(
    FinancialYearForm,
    formset=BaseFinancialYearFormSet,
    extra=0,
    max_num=FINANCIAL_YEARS_MAX,
    absolute_max=FINANCIAL_YEARS_MAX,
    validate_max=True,
)


class FinancialProfileForm(forms.Form):
    is_manufacturer = forms.BooleanField(label=_("We are a manufacturing enterprise (生产型企业)"), required=False)


class RectificationForm(forms.Form):
    """A new rectification task (整改) on the readiness report: one of the report's gaps (or
    none, with a title), an owner of the enterprise and a due date from today to the re-check
    horizon (`rules.rectification_due_problem`)."""

    criterion = forms.TypedChoiceField(
        label=_("Sub-item"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the sub-items the report lists below “meets”.")},
    )
    title = forms.CharField(label=_("What to rectify"), max_length=300, required=False)
    owner = forms.TypedChoiceField(
        label=pgettext_lazy("rectification", "Owner"),
        coerce=int,
        error_messages={
            "required": _("Choose the person of the enterprise who owns this rectification."),
            "invalid_choice": _("Choose the person of the enterprise who owns this rectification."),
        },
    )
    due_date = forms.DateField(
        label=_("Due date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date by which the rectification is due."),
            "invalid": _("This is not a valid date: check the day and the month (YYYY-MM-DD, e.g. 2027-02-28)."),
        },
    )

    def __init__(self, *args, gaps=(), owners=(), today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["criterion"].choices = [("", "—")] + [
            (action["criterion_id"], f"{action['code']} {_truncate(action.get('subject') or action['text'])}")
            for action in gaps
        ]
        self.fields["owner"].choices = [("", "—")] + [
            (person.pk, person.get_full_name() or person.email) for person in owners
        ]
        latest = rules.rectification_latest_due(today)
        self.fields["due_date"].widget.attrs.update({"min": today.isoformat(), "max": latest.isoformat()})

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        problem = rules.rectification_due_problem(due, today=self.today)
        if problem:
            raise ValidationError(problem, code="due_date_out_of_range")
        return due

    def clean(self):
        data = super().clean()
        if not (data.get("title") or "").strip() and not data.get("criterion") and "criterion" not in self.errors:
            self.add_error("title", _("Say what is to be rectified, or choose the sub-item."))
        return data


def _truncate(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
