"""Back office for trainers and customs officers (issue 17, point 1): survey templates (questions
in Chinese and English) and the surveys of events — close date, titles, anonymity (fixed once
anyone answered) — each survey scoped like its results (`trainees.access.surveys_managed_by`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from trainees.access import ScopedViewSetMixin

from .models import Survey, SurveyTemplate


class SurveyTemplateViewSet(ModelViewSet):
    model = SurveyTemplate
    icon = "form"
    menu_label = _("Survey templates")
    add_to_admin_menu = False
    list_display = ["name", "event_kind", "is_default", "anonymous", "days_open"]
    list_filter = ["event_kind", "is_default"]
    search_fields = ["name_zh", "name_en"]


class SurveyViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = _("Surveys")
    add_to_admin_menu = False
    list_display = ["title", "event_kind", "event_date", "closes_at", "anonymous"]
    list_filter = ["event_kind", "anonymous"]
    search_fields = ["title_zh", "title_en"]
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("intro_zh"), FieldPanel("intro_en")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Open (Beijing time)")),
        FieldPanel("anonymous"),
    ]


class SurveysViewSetGroup(ModelViewSetGroup):
    menu_label = _("Surveys")
    menu_icon = "form"
    menu_order = 330
    items = (SurveyTemplateViewSet("survey_templates"), SurveyViewSet("event_surveys"))
