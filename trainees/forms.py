from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.params import DB_ID_MAX
from lms.uploads import check_size

from . import rules
from .models import BASE_CHOICES, KeyListAdjustment, Position, SelectionRound, TrainingType, User, Willingness

BASE_OPTIONS = [("", _("— none —")), *BASE_CHOICES]


class ApplicationForm(forms.Form):
    """Procedure step 01: the training application of an enterprise."""

    round = forms.ModelChoiceField(label=_("Round"), queryset=SelectionRound.objects.none(), empty_label=None)
    training_type = forms.ChoiceField(label=_("Training type"), choices=TrainingType.choices)
    willingness = forms.ChoiceField(
        label=_("Willingness to become an AEO"), choices=Willingness.choices, initial=Willingness.STRONG
    )
    planned_aeo_application_date = forms.DateField(
        label=_("Planned AEO application date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A planned date makes a strong willingness count as condition 2 of priority selection."),
    )
    willingness_evidence = forms.CharField(
        label=_("Evidence of willingness"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. a board decision, an internal-control project, a consultant engaged."),
    )
    base_1 = forms.ChoiceField(label=_("First preferred base"), choices=BASE_OPTIONS, required=False)
    base_2 = forms.ChoiceField(label=_("Second preferred base"), choices=BASE_OPTIONS, required=False)
    base_3 = forms.ChoiceField(label=_("Third preferred base"), choices=BASE_OPTIONS, required=False)
    staff = forms.ModelMultipleChoiceField(
        label=_("Nominate staff with an account"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, rounds, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = SelectionRound.objects.filter(id__in=[r.id for r in rounds])
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: f"{u} · {u.get_position_display()}"

    def clean(self):
        data = super().clean()
        bases = [data.get(f"base_{i}") for i in (1, 2, 3)]
        chosen = [b for b in bases if b]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Each training base can be ranked only once."))
        data["preferred_bases"] = chosen
        return data


class OtherNomineeForm(forms.Form):
    """A nominated person without an account (one can be linked later)."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100, required=False)
    position = forms.ChoiceField(label=_("Position"), choices=[("", "—"), *Position.choices], required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("position"):
            self.add_error("position", _("Give the position of this person."))
        return data


OtherNomineeFormSet = forms.formset_factory(OtherNomineeForm, extra=3, max_num=10)


class TransitionForm(forms.Form):
    action = forms.ChoiceField(label=_("Step"))
    ground = forms.ChoiceField(
        label=_("Ground"),
        required=False,
        choices=[
            ("", "—"),
            (_("Suspension"), rules.SuspensionGround.choices),
            (_("Termination"), rules.TerminationGround.choices),
        ],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence_reference = forms.CharField(label=_("Evidence reference"), max_length=200, required=False)

    ACTION_LABELS = {
        "start_training": _("Start training"),
        "complete": _("Training completed"),
        "apply_for_aeo": _("Applied for AEO certification"),
        "suspend": _("Suspend cultivation"),
        "resume": _("Resume cultivation"),
        "terminate": _("Terminate cultivation"),
    }

    def __init__(self, *args, actions=rules.OFFICER_ACTIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(a, self.ACTION_LABELS[a]) for a in actions]


class KeyEnterpriseForm(forms.Form):
    is_key = forms.BooleanField(label=_("Key enterprise"), required=False)
    reason = forms.CharField(label=_("Why"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        # Shown beside the cultivation form, which has its own "reason": ids must differ.
        kwargs.setdefault("auto_id", "id_key_%s")
        super().__init__(*args, **kwargs)


class AdjustmentForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=DB_ID_MAX)
    action = forms.ChoiceField(label=_("Adjustment"), choices=KeyListAdjustment.Action.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    # No default: the administrator says which position the colleague holds.
    position = forms.ChoiceField(label=_("Position"), choices=[("", _("Choose a position"))] + Position.choices)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload.size)
        return upload


class SignupExtraForm(forms.Form):
    """What allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS): explicit consent to the
    privacy notice (PIPL Art. 14), recorded with its version and time."""

    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing of my personal information it describes"),
        required=True,
        error_messages={
            "required": _("Tick the box to agree to the privacy notice: the account cannot exist without it.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.urls import reverse
        from django.utils.html import format_html

        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("privacy:notice"),
            _("Read the privacy notice"),
        )

    def signup(self, request, user) -> None:
        from .models import Consent
        from .services import consent_record

        consent_record(user=user, purpose=Consent.Purpose.ACCOUNT)
