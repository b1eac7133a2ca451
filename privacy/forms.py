from django import forms
from django.utils.translation import gettext_lazy as _


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and my name, e-mail address and mobile number deleted"),
        required=True,
    )
