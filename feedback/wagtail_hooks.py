"""Back office: the roster of AEO experts (issue 17, point 4). GACC officers keep every expert,
regional customs officers those of their district; local officers and trainers do not see it
(`trainees.access.may_manage_experts` / `experts_visible_to`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from trainees.access import ScopedViewSetMixin, may_manage_experts, register_scoped_policy
from trainees.models import User
from trainees.roles import Role

from .models import Expert

register_scoped_policy(Expert, may=may_manage_experts)


class ExpertViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("AEO experts")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["user", "level", "customs_unit", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "profile"]
    panels = [
        FieldPanel("user"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("customs_unit"), FieldPanel("appointed_on")]),
        FieldPanel("specialties", widget=forms.CheckboxSelectMultiple),
        FieldPanel("profile"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "customs_unit")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        base_init = form_class.__init__

        def __init__(form, *args, **kwargs):
            base_init(form, *args, **kwargs)
            form.fields["user"].queryset = (
                User.objects.filter(groups__name__in=[Role.TRAINER.value, Role.LEAD_TRAINER.value])
                .distinct()
                .order_by("last_name", "first_name", "email")
            )
            form.fields["specialties"].queryset = form.fields["specialties"].queryset.select_related("edition")

        return type(form_class.__name__, (form_class,), {"__init__": __init__})


register_snippet(ExpertViewSet)
