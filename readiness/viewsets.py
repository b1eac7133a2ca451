"""Back office of the readiness report: rectification tasks (整改) for the officers of the
enterprise's district (GACC all), with the overdue ones a filter away. Tasks are created on the
report page (owner and due date checked there); officers change a task's status and evidence here
through `report_services.rectification_update`, which refuses closing without evidence."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from trainees.access import ScopedViewSetMixin

from . import report_services
from .models import RectificationTask


def overdue_q(today) -> Q:
    """Not done and past its due date."""
    return Q(due_date__lt=today) & ~Q(status=RectificationTask.Status.DONE)


class RectificationTaskFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(label=pgettext_lazy("rectification", "Overdue"), method="filter_overdue")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationTask.Status.choices)
    due_before = django_filters.DateFilter(label=_("Due before"), field_name="due_date", lookup_expr="lt")

    class Meta:
        model = RectificationTask
        fields = ["overdue", "status", "due_before"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(overdue_q(today)) if value else queryset.exclude(overdue_q(today))


class OverdueColumn(Column):
    def get_value(self, instance):
        return pgettext_lazy("rectification", "overdue") if instance.is_overdue(timezone.localdate()) else ""


class RectificationTaskEditView(generic.EditView):
    """Saves through the service (permission, evidence before closing); its refusals show on the form."""

    def save_instance(self):
        return report_services.rectification_update(
            task_id=self.object.pk,
            actor=self.request.user,
            status=self.form.cleaned_data["status"],
            evidence_note=self.form.cleaned_data.get("evidence_note", ""),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            self.produced_error_code = "invalid"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class RectificationTaskViewSet(ScopedViewSetMixin, ModelViewSet):
    model = RectificationTask
    name = "rectifications"
    url_prefix = "readiness/rectifications"
    icon = "warning"
    menu_label = _("Rectification tasks")
    menu_order = 330
    add_to_admin_menu = True
    inspect_view_enabled = True
    filterset_class = RectificationTaskFilterSet
    search_fields = ["title", "code", "enterprise__name_zh"]
    list_display = [
        "title",
        "code",
        "enterprise",
        "owner",
        "due_date",
        "status",
        OverdueColumn("overdue", label=pgettext_lazy("rectification", "Overdue")),
    ]
    ordering = ["due_date", "id"]
    inspect_view_fields = [
        "enterprise",
        "code",
        "title",
        "owner",
        "due_date",
        "status",
        "evidence_note",
        "evidence_name",
        "created_by",
        "created_at",
        "closed_at",
    ]
    form_fields = ["status", "evidence_note"]
    edit_view_class = RectificationTaskEditView

    def get_queryset(self, request):
        return RectificationTask.objects.select_related("enterprise", "owner")
