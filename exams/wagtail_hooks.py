"""Back office of exams: exams and sittings (`viewsets.py`: list, create, tickets in batches,
roster, cards, extra time), and the question bank: banks, questions (filters by area,
difficulty, type, status, tag), blueprints and their cells, import/export, preview, bulk
retire/move and draw preview.

Exams and sittings are decided by `trainees.access` predicates, not Django model permissions:
officers and lead trainers manage exams; officers the sittings of their district (the scope
registered in `ExamsConfig.ready`). Nobody deletes an exam or a sitting here (tickets,
attempts and the training session hang on them)."""

import django_filters
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from trainees.access import PredicatePermissionPolicy, may_manage_exams, may_manage_sittings

from . import admin_views, bulk_actions, services
from .models import BlueprintCell, Exam, ExamBlueprint, Question, QuestionBank, QuestionType, Sitting
from .viewsets import ExamViewSet, SittingViewSet

EDITS = frozenset({"add", "change", "view"})
register_permission_policy(
    Exam, PredicatePermissionPolicy(Exam, lambda user, action: action in EDITS and may_manage_exams(user))
)
register_permission_policy(
    Sitting, PredicatePermissionPolicy(Sitting, lambda user, action: action in EDITS and may_manage_sittings(user))
)


class QuestionFilterSet(WagtailFilterSet):
    tag = django_filters.CharFilter(label=_("Tag"), method="filter_tag")

    class Meta:
        model = Question
        fields = ["bank", "criteria_area", "difficulty", "qtype", "status"]

    def filter_tag(self, queryset, name, value):
        ids = [pk for pk, tags in queryset.values_list("pk", "tags") if value in (tags or [])]
        return queryset.filter(pk__in=ids)


class LinkColumn(Column):
    """A link to one of the question-bank pages, shown only to those the page lets in."""

    def __init__(self, name, label, url_name, text, permission):
        super().__init__(name, label=label)
        self.url_name, self.text, self.permission = url_name, text, permission

    def get_value(self, instance):
        return format_html('<a href="{}">{}</a>', reverse(self.url_name, args=[instance.pk]), self.text)

    def render_cell_html(self, instance, parent_context):
        request = parent_context.get("request")
        if request is None or not request.user.has_perm(self.permission):
            return mark_safe("<td></td>")
        return super().render_cell_html(instance, parent_context)


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    list_display = [
        "name",
        "audience",
        "criteria_edition",
        LinkColumn("gift", _("Export"), "exams_export_gift", "GIFT", "exams.view_question"),
        LinkColumn("xml", _("Export"), "exams_export_xml", "Moodle XML", "exams.view_question"),
    ]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = pgettext_lazy("exam question", "Questions")
    list_display = [
        "name",
        "qtype",
        "category",
        "criteria_area",
        "difficulty",
        "status",
        LinkColumn("preview", _("Preview"), "exams_preview_question", _("Preview"), "exams.view_question"),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["name", "idnumber", "stem", "category"]
    panels = [
        FieldPanel("bank"),
        FieldPanel("name"),
        FieldPanel("idnumber"),
        FieldPanel("category"),
        FieldPanel("criteria_area"),
        FieldPanel("qtype"),
        FieldPanel("single"),
        FieldPanel("scoring"),
        FieldPanel("shuffle_options"),
        FieldPanel("stem_format"),
        FieldPanel("stem"),
        FieldPanel("options"),
        FieldPanel("general_feedback"),
        FieldPanel("rubric"),
        FieldPanel("default_mark"),
        FieldPanel("difficulty"),
        FieldPanel("regulation_reference"),
        FieldPanel("tags"),
        FieldPanel("status"),
    ]

    def get_queryset(self, request):
        return Question.objects.select_related("bank", "criteria_area")


class ExamBlueprintViewSet(SnippetViewSet):
    model = ExamBlueprint
    icon = "list-ul"
    menu_label = _("Exam blueprints")
    list_display = [
        "name",
        "bank",
        LinkColumn(
            "draw", _("Check and preview a draw"), "exams_draw_preview", _("Draw"), "exams.change_examblueprint"
        ),
    ]


class BlueprintCellViewSet(SnippetViewSet):
    model = BlueprintCell
    icon = "table"
    menu_label = _("Blueprint cells")
    list_display = ["blueprint", "criteria_area", "band", "count", "points"]
    list_filter = ["blueprint"]


class ExamsGroup(SnippetViewSetGroup):
    items = (
        ExamViewSet,
        SittingViewSet,
        QuestionBankViewSet,
        QuestionViewSet,
        ExamBlueprintViewSet,
        BlueprintCellViewSet,
    )
    menu_icon = "help"
    menu_label = _("Exams")
    menu_name = "exams"


register_snippet(ExamsGroup)


@hooks.register("register_admin_urls")
def exam_urls():
    return [
        path("exams/import/", admin_views.import_questions, name="exams_import"),
        path(
            "exams/export/<int:bank_id>/gift/", admin_views.export_questions, {"fmt": "gift"}, name="exams_export_gift"
        ),
        path("exams/export/<int:bank_id>/xml/", admin_views.export_questions, {"fmt": "xml"}, name="exams_export_xml"),
        path("exams/question/<int:question_id>/preview/", admin_views.preview_question, name="exams_preview_question"),
        path("exams/blueprint/<int:blueprint_id>/draw/", admin_views.draw_preview, name="exams_draw_preview"),
    ]


class PermittedMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return PermittedMenuItem(
        _("Import questions"), reverse("exams_import"), icon_name="download", order=910, permission="exams.add_question"
    )


hooks.register("register_bulk_action", bulk_actions.RetireQuestionsBulkAction)
hooks.register("register_bulk_action", bulk_actions.MoveQuestionsBulkAction)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def record_question_version(request, instance):
    """Every save in the admin keeps a version (a new one when the question was active)."""
    if isinstance(instance, Question):
        services.question_save(question=instance, user=request.user)


@hooks.register("register_log_actions")
def register_exam_log_actions(actions):
    actions.register_action("exams.import", _("Import questions"), _("Questions imported"))
    actions.register_action("exams.draw", _("Draw papers"), _("Papers drawn"))
    actions.register_action("exams.retire", _("Retire question"), _("Question retired"))
    actions.register_action("exams.move", _("Move question"), _("Question moved to another category"))
    actions.register_action("exams.attempt_start", _("Start attempt"), _("Attempt started"))
    actions.register_action("exams.attempt_submit", _("Submit attempt"), _("Attempt submitted"))
    actions.register_action("exams.mark", _("Mark answer"), _("Answer marked"))
    actions.register_action("exams.release", _("Release results"), _("Results released"))
    actions.register_action("exams.add_time", _("Add time"), _("Time added"))
    actions.register_action("exams.pause", _("Pause attempt"), _("Attempt paused"))
    actions.register_action("exams.resume", _("Resume attempt"), _("Attempt resumed"))
    actions.register_action("exams.void", _("Void attempt"), _("Attempt voided"))
    actions.register_action("exams.sitting_create", _("Create sitting"), _("Sitting created"))
    actions.register_action("exams.ticket_issue", _("Issue ticket"), _("Ticket issued"))
    actions.register_action("exams.ticket_revoke", _("Revoke ticket"), _("Ticket revoked"))
    actions.register_action("exams.checkin", _("Check in"), _("Checked in"))
    actions.register_action("exams.interview", _("Record interview"), _("Situational interview recorded"))
    actions.register_action("exams.photo", _("Upload identity photo"), _("Identity photo uploaded with consent"))
    actions.register_action("exams.report", _("Prepare exam report"), _("Exam report requested"))
    actions.register_action(
        "exams.answer_file", _("Complete from answer file"), _("Attempt completed from the candidate's answer file")
    )
    actions.register_action("exams.remark_request", _("Ask for a re-mark"), _("Re-mark requested"))
    actions.register_action("exams.remark_done", _("Re-mark"), _("Re-mark finished"))
    actions.register_action(
        "exams.sitting_close", _("Close sitting"), _("Unfinished attempts of the sitting submitted")
    )
    actions.register_action("exams.extra_time", _("Set extra time"), _("Extra time of a candidate changed"))


__all__ = ["QuestionType"]
