from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Question, QuestionBank


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    list_display = ["name", "audience", "criteria_edition"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["stem", "kind", "bank", "criteria_area", "difficulty", "is_active"]
    list_filter = ["bank", "kind", "criteria_area__key", "is_active"]
    search_fields = ["stem"]
    panels = [
        FieldPanel("bank"),
        FieldPanel("criteria_area"),
        FieldPanel("kind"),
        FieldPanel("stem"),
        FieldPanel("choices"),
        FieldPanel("answer"),
        FieldPanel("explanation"),
        FieldPanel("difficulty"),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return Question.objects.select_related("bank", "criteria_area")


class ExamsGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet)
    menu_icon = "help"
    menu_label = _("Exams")
    menu_name = "exams"


register_snippet(ExamsGroup)
