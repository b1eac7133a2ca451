from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CriteriaEdition, Criterion


class CriteriaEditionViewSet(SnippetViewSet):
    model = CriteriaEdition
    icon = "list-ol"
    menu_label = _("Editions")
    list_display = ["title", "level", "legal_basis", "effective_from", "effective_until"]
    panels = [
        FieldPanel("code"),
        FieldPanel("title_zh"),
        FieldPanel("title_en"),
        FieldPanel("legal_basis"),
        FieldPanel("level"),
        FieldPanel("effective_from"),
        FieldPanel("effective_until"),
        FieldPanel("notes"),
    ]


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "tick-inverse"
    menu_label = _("Criteria")
    list_display = ["code", "text_zh", "item", "is_bonus"]
    list_filter = ["item__area__edition", "item__area__key", "is_bonus"]
    search_fields = ["text_zh", "text_en", "code"]
    list_per_page = 50
    panels = [FieldPanel("code"), FieldPanel("text_zh"), FieldPanel("text_en"), FieldPanel("is_bonus")]

    def get_queryset(self, request):
        return Criterion.objects.select_related("item__area__edition")


class CustomsCriteriaGroup(SnippetViewSetGroup):
    items = (CriteriaEditionViewSet, CriterionViewSet)
    menu_icon = "tick-inverse"
    menu_label = _("Customs criteria")
    menu_name = "customs-criteria"


register_snippet(CustomsCriteriaGroup)
