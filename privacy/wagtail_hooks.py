"""Back office: customs officers handle deletion requests of people in their district (GACC:
everyone). Carrying one out anonymises the person (privacy.services.person_anonymise)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from trainees.access import ScopedViewSetMixin, register_scoped_policy

from . import services
from .models import DeletionRequest


class HandleRequestForm(WagtailAdminModelForm):
    """Carry out or refuse a waiting request; a refusal needs a note the person reads."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("done", _("Carry out: anonymise the person")), ("refused", _("Refuse"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = DeletionRequest
        fields = ["officer_note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.status != DeletionRequest.Status.PENDING:
            raise forms.ValidationError(_("This request was already handled."))
        if cleaned.get("decision") == "refused" and not (cleaned.get("officer_note") or "").strip():
            self.add_error("officer_note", _("Say why the request is refused: the person reads it."))
        return cleaned


class HandleRequestView(generic.EditView):
    def save_instance(self):
        return services.deletion_request_handle(
            request_id=self.object.pk,
            actor=self.request.user,
            carry_out=self.form.cleaned_data["decision"] == "done",
            note=self.form.cleaned_data.get("officer_note", ""),
        )


class DeletionRequestViewSet(ScopedViewSetMixin, ModelViewSet):
    model = DeletionRequest
    icon = "user"
    menu_label = _("Deletion requests")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["user", "status", "requested_at", "handled_at"]
    list_filter = ["status"]
    form_fields = ["officer_note"]
    panels = [FieldPanel("decision"), FieldPanel("officer_note")]
    edit_view_class = HandleRequestView
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        from trainees.access import scoped_form_class

        return scoped_form_class(HandleRequestForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "handled_by")


@hooks.register("register_admin_viewset")
def register_deletion_requests():
    register_scoped_policy(DeletionRequest)
    return DeletionRequestViewSet("deletion_requests")
