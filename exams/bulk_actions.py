"""Bulk actions on the question list of the back office (Wagtail's snippet bulk actions: tick
questions, choose *Retire* or *Move to category*, confirm). Each question is checked against
the permission policy of the question snippets, as every other snippet action is."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from .models import Question
from .services import versions


class QuestionBulkAction(SnippetBulkAction):
    """Offered on the question list only; a trainer without the change permission sees nothing."""

    models = [Question]

    def check_perm(self, snippet) -> bool:
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", snippet)

    def get_execution_context(self) -> dict:
        return {**super().get_execution_context(), "user": self.request.user}


class RetireQuestionsBulkAction(QuestionBulkAction):
    display_name = _("Retire")
    action_type = "retire"
    aria_label = _("Retire the selected questions")
    template_name = "exams/admin/bulk_retire.html"
    action_priority = 40

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs) -> tuple[int, int]:
        return versions.questions_retire(question_ids=[q.pk for q in objects], user=user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext("%(count)d question retired.", "%(count)d questions retired.", num_parent_objects) % {
            "count": num_parent_objects
        }


class MoveForm(forms.Form):
    category = forms.CharField(
        label=_("New category"),
        max_length=Question._meta.get_field("category").max_length,
        help_text=Question._meta.get_field("category").help_text,
    )

    def clean_category(self) -> str:
        category = self.cleaned_data["category"].strip()
        if category.strip("/") in ("", "top"):
            raise ValidationError(_("Give the category to move the questions to, for example top/内部控制/单证."))
        return category


class MoveQuestionsBulkAction(QuestionBulkAction):
    display_name = _("Move to category")
    action_type = "move"
    aria_label = _("Move the selected questions to another category")
    template_name = "exams/admin/bulk_move.html"
    action_priority = 50
    form_class = MoveForm

    def get_execution_context(self) -> dict:
        return {**super().get_execution_context(), "category": self.cleaned_form.cleaned_data["category"]}

    @classmethod
    def execute_action(cls, objects, user=None, category: str = "", **kwargs) -> tuple[int, int]:
        return versions.questions_move(question_ids=[q.pk for q in objects], category=category, user=user), 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext(
            "%(count)d question moved; its criteria area follows the category when a segment names one.",
            "%(count)d questions moved; their criteria area follows the category when a segment names one.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
