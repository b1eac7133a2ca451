"""Forms of the consultation pages: they parse input; the rules live in `rules.py`/`services.py`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Consultation

ATTACHMENT_LABEL = _("Attachment (optional: PDF, image or office document, at most 20 MB)")


def area_label(area) -> str:
    """A criteria area as people name it: the edition's title and the area's name in the active
    language ("海关高级认证企业标准（2026） · 内部控制"), not the edition's code."""
    return f"{area.edition.title} · {area.name}"


class CriteriaAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return area_label(obj)


class CriteriaAreasChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return area_label(obj)


class AskForm(forms.Form):
    district = forms.ModelChoiceField(label=_("Customs district"), queryset=None, empty_label=None)
    topic = forms.ChoiceField(label=_("Topic"), choices=Consultation.Topic.choices)
    criteria_area = CriteriaAreaChoiceField(
        label=_("Criteria area (for questions on the AEO criteria)"), queryset=None, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Your question"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=ATTACHMENT_LABEL, required=False)

    def __init__(self, *args, districts, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["criteria_area"].queryset = areas

    def clean(self):
        data = super().clean()
        if data.get("topic") == Consultation.Topic.CRITERIA_AREA and not data.get("criteria_area"):
            self.add_error("criteria_area", _("Choose the criteria area your question is about."))
        return data


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=ATTACHMENT_LABEL, required=False)


class HandOverForm(forms.Form):
    GACC = "gacc"
    # The thread page shows this form beside the closing form: each has its own field names and ids.
    prefix = "hand_over"
    to = forms.ChoiceField(label=_("Hand over to"))
    note = forms.CharField(
        label=_("Note for the next coordinator (shown in the thread)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidates, gacc_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), f"{c} · {c.customs_unit}") for c in candidates]
        if gacc_allowed:
            choices.append((self.GACC, str(_("GACC (General Administration of Customs)"))))
        self.fields["to"].choices = choices


class CloseForm(forms.Form):
    prefix = "close"
    note = forms.CharField(
        label=_("Closing note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the answer?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False)


class PublishForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 6}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}))
    criteria_areas = CriteriaAreasChoiceField(
        label=_("Criteria areas it explains"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_areas"].queryset = areas


class DeskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Consultation.Status.choices], required=False
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All")), *Consultation.Topic.choices], required=False)
    overdue = forms.BooleanField(label=_("Past the answer time"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
