"""Back office of certificates (Wagtail admin): a list filtered by kind and status and searched
by number or holder, the read-only detail, and the revoke action (reason, confirmation,
irreversible, audited). Who sees which certificates is `trainees.access.certificates_managed_by`:
officers their district's holders (GACC all), lead trainers course certificates."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from trainees.access import ScopedViewSetMixin

from . import admin_views
from .models import Certificate


class CertificateIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status == Certificate.Status.VALID:
            buttons.insert(
                0,
                Button(
                    _("Revoke"),
                    url=reverse("certificate:revoke", args=[instance.pk]),
                    icon_name="warning",
                    attrs={"data-revoke": instance.number},
                ),
            )
        return buttons


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 350
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    list_display = ["number", "holder_name", "kind", "title_zh", "issued_on", "valid_until", "status", "revoked_at"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "holder_name", "holder__email"]
    search_backend_name = None  # plain database search on the number and the holder
    inspect_view_enabled = True
    inspect_view_fields = [
        "number",
        "kind",
        "holder_name",
        "title_zh",
        "title_en",
        "hours",
        "issued_on",
        "valid_until",
        "status",
        "revoked_at",
        "revocation_reason",
    ]
    # Never edited in the back office (the permission policy refuses add/change/delete).
    form_fields = ["revocation_reason"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("holder")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.revoke, name="revoke"),
        ]
