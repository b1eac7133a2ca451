from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from trainees.access import register_scoped_policy

from .models import CriteriaEdition, CriteriaItem, Criterion, RectificationTask, SpecificCriteriaMapping
from .viewsets import RectificationTaskViewSet

SOURCE_DOUBTS = _(
    "Known doubts in the sources: the 2026 wording is transcribed from a public reproduction of the "
    "bulletin's annexes (certified (12) looks shortened next to advanced (13); advanced (36) / certified (34) "
    "seem to miss an opening clause; advanced (18) and (19) carry notes that certified (16) and (17) lack). "
    "In the 2022 edition, sub-items 20-30 and 50-57 and the specific standards are placeholders: their wording "
    "was not recovered. The official pass rules were not found: the values below are configurable defaults. "
    "Submitted self-assessments keep the wording they were judged against."
)
CERTIFIED_NOTE = _(
    "For the certified level the official financial checks were not found: the advanced level's checks are "
    "the configurable default."
)


def _note(text) -> HelpPanel:
    return HelpPanel(content=f'<p class="help-block help-warning">{text}</p>')


class CriteriaEditionViewSet(SnippetViewSet):
    model = CriteriaEdition
    icon = "list-ol"
    menu_label = _("Editions")
    list_display = [
        "title",
        "level",
        "legal_basis_zh",
        "effective_from",
        "effective_until",
        Column("sub_item_count", label=_("sub-items")),
        Column("placeholder_count", label=_("wording not recovered")),
    ]

    def get_queryset(self, request):
        """Each edition with its sub-items counted, and those whose wording was not recovered."""
        return CriteriaEdition.objects.annotate(
            sub_item_count=Count("areas__items__criteria"),
            placeholder_count=Count("areas__items__criteria", filter=Q(areas__items__criteria__is_placeholder=True)),
        )

    panels = [
        _note(SOURCE_DOUBTS),
        FieldPanel("code"),
        FieldPanel("title_zh"),
        FieldPanel("title_en"),
        FieldPanel("legal_basis_zh"),
        FieldPanel("legal_basis_en"),
        FieldPanel("level"),
        FieldPanel("effective_from"),
        FieldPanel("effective_until"),
        FieldPanel("notes_zh"),
        FieldPanel("notes_en"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("base_score"), FieldPanel("score_basic"), FieldPanel("score_fail")]),
                FieldRowPanel([FieldPanel("bonus_cap"), FieldPanel("min_score"), FieldPanel("veto_on_fail")]),
                FieldRowPanel(
                    [
                        FieldPanel("max_basic_total"),
                        FieldPanel("max_basic_per_item"),
                        FieldPanel("max_basic_per_item_areas"),
                    ]
                ),
            ],
            heading=_("Pass rule"),
        ),
        MultiFieldPanel(
            [
                _note(CERTIFIED_NOTE),
                FieldRowPanel([FieldPanel("financial_method"), FieldPanel("financial_years")]),
                FieldPanel("asset_liability_max"),
                FieldRowPanel(
                    [FieldPanel("asset_liability_max_manufacturer"), FieldPanel("asset_liability_max_other")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("cash_ratio_min"),
                        FieldPanel("cash_flow_to_liabilities_min"),
                        FieldPanel("current_ratio_min"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("operating_margin_min"),
                        FieldPanel("gross_margin_min"),
                        FieldPanel("return_on_assets_min"),
                    ]
                ),
                FieldRowPanel([FieldPanel("solvency_min_met"), FieldPanel("profitability_min_met")]),
            ],
            heading=_("Financial checks"),
        ),
        FieldPanel("rules_note_zh"),
        FieldPanel("rules_note_en"),
    ]


class CriteriaItemViewSet(SnippetViewSet):
    model = CriteriaItem
    icon = "folder-open-inverse"
    menu_label = _("Items")
    list_display = ["number", "name_zh", "area", "business_type_key"]
    list_filter = ["area__edition", "area__key"]
    search_fields = ["name_zh", "name_en"]
    panels = [FieldPanel("number"), FieldPanel("name_zh"), FieldPanel("name_en"), FieldPanel("business_type_key")]

    def get_queryset(self, request):
        return CriteriaItem.objects.select_related("area__edition")


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "tick-inverse"
    menu_label = _("Criteria")
    list_display = ["code", "text_zh", "item", "is_bonus", "is_placeholder"]
    list_filter = ["item__area__edition", "item__area__key", "is_bonus", "is_placeholder", "is_veto"]
    search_fields = ["text_zh", "text_en", "code"]
    list_per_page = 50
    panels = [
        _note(SOURCE_DOUBTS),
        FieldPanel("code"),
        FieldPanel("text_zh"),
        FieldPanel("text_en"),
        FieldPanel("is_placeholder"),
        FieldRowPanel([FieldPanel("is_bonus"), FieldPanel("is_veto"), FieldPanel("financial_check")]),
        FieldPanel("guidance_zh"),
        FieldPanel("guidance_en"),
        FieldPanel("evidence_zh"),
        FieldPanel("evidence_en"),
    ]

    def get_queryset(self, request):
        return Criterion.objects.select_related("item__area__edition")


class SpecificCriteriaMappingViewSet(SnippetViewSet):
    model = SpecificCriteriaMapping
    icon = "link"
    menu_label = _("Business type mapping")
    list_display = ["edition", "business_type", "specific_key"]
    list_filter = ["edition"]
    panels = [FieldPanel("edition"), FieldPanel("business_type"), FieldPanel("specific_key")]

    def get_queryset(self, request):
        return SpecificCriteriaMapping.objects.select_related("edition", "business_type")


class CustomsCriteriaGroup(SnippetViewSetGroup):
    items = (CriteriaEditionViewSet, CriteriaItemViewSet, CriterionViewSet, SpecificCriteriaMappingViewSet)
    menu_icon = "tick-inverse"
    menu_label = _("Customs criteria")
    menu_name = "customs-criteria"


register_snippet(CustomsCriteriaGroup)


register_scoped_policy(RectificationTask)


@hooks.register("register_admin_viewset")
def register_rectification_viewset():
    return RectificationTaskViewSet()
