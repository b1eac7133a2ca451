"""Back office for customs officers: enterprises, customs units, credit levels, business types,
selection policies and rounds. Officers see and edit only the enterprises and rounds of their
customs district; the cultivation status changes only through the lifecycle pages (audited)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .access import ScopedViewSetMixin, register_scoped_policy
from .models import BusinessType, CreditLevel, CustomsUnit, Enterprise, SelectionPolicy, SelectionRound

# Listings, object views, choosers, bulk actions and form choices are scoped by district
# through trainees.access (issue 7, point 4).
for _model in (Enterprise, SelectionRound, CustomsUnit):
    register_scoped_policy(_model)


class EnterpriseViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Enterprise
    icon = "site"
    menu_label = _("Enterprises")
    list_display = ["name_zh", "credit_code", "customs_unit", "credit_level", "credit_score", "cultivation_status"]
    list_filter = ["cultivation_status", "is_key_enterprise", "is_sme", "credit_level"]
    search_fields = ["name_zh", "name_en", "credit_code", "customs_code"]
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
                FieldRowPanel([FieldPanel("credit_code"), FieldPanel("customs_code")]),
                FieldRowPanel([FieldPanel("customs_unit"), FieldPanel("is_sme")]),
                FieldPanel("business_types", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Enterprise"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("credit_level"), FieldPanel("credit_score"), FieldPanel("credit_score_date")]
                ),
                FieldRowPanel([FieldPanel("application_bar_until"), FieldPanel("application_bar_reason")]),
            ],
            heading=_("Credit data (provided by customs)"),
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customs_unit", "credit_level")


class CustomsUnitViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = CustomsUnit
    icon = "globe"
    menu_label = _("Customs units")
    list_display = ["code", "name_zh", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_zh", "name_en"]


class CreditLevelViewSet(SnippetViewSet):
    model = CreditLevel
    icon = "pick"
    menu_label = _("Credit levels")
    list_display = ["name_zh", "code", "scheme", "maps_to", BooleanColumn("excludes_from_cultivation")]
    list_filter = ["scheme"]


class BusinessTypeViewSet(SnippetViewSet):
    model = BusinessType
    icon = "tag"
    menu_label = _("Business types")
    list_display = ["name_zh", "code", "criteria_aspect"]


class SelectionPolicyViewSet(SnippetViewSet):
    model = SelectionPolicy
    icon = "list-ol"
    menu_label = _("Selection policies")
    list_display = ["version", "name", BooleanColumn("is_active"), "ordering_mode", "high_score_threshold"]
    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("name"), FieldPanel("is_active")]),
        MultiFieldPanel(
            [
                FieldPanel("ordering_mode"),
                FieldRowPanel(
                    [
                        FieldPanel("weight_key_enterprise"),
                        FieldPanel("weight_willingness"),
                        FieldPanel("weight_credit_score"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("high_score_threshold"),
                        FieldPanel("willingness_plan_within_months"),
                        FieldPanel("seats_per_enterprise"),
                    ]
                ),
            ],
            heading=_("Ordering (conditions 1-3)"),
        ),
        MultiFieldPanel(
            [FieldPanel("exclude_discredited"), FieldPanel("exclude_barred"), FieldPanel("exclude_blocked")],
            heading=_("Eligibility"),
        ),
        FieldPanel("audit_conclusion_limit_months"),
    ]


class SelectionRoundViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = SelectionRound
    icon = "date"
    menu_label = _("Selection rounds")
    list_display = ["name", "customs_unit", "applications_close_on", "status", "policy"]
    list_filter = ["status"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("customs_unit"), FieldPanel("policy"), FieldPanel("applications_close_on")]),
        FieldPanel("status", read_only=True),
        InlinePanel("capacities", heading=_("Seats per training type and base"), label=_("Capacity")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customs_unit", "policy")


class CultivationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Credit cultivation")
    menu_icon = "group"
    menu_order = 210
    items = (
        EnterpriseViewSet,
        SelectionRoundViewSet,
        SelectionPolicyViewSet,
        CustomsUnitViewSet,
        CreditLevelViewSet,
        BusinessTypeViewSet,
    )


register_snippet(CultivationViewSetGroup)
