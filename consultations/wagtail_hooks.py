"""Back office of consultations: each district's answer time (officers, scoped to their district)
and the labels of the consultation steps in the audit log. FAQ entries are ordinary pages under
the FAQ in the page explorer."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from trainees.access import ScopedViewSetMixin, district_scope, register_scope, register_scoped_policy

from .models import DistrictConsultationSetting

register_scope(DistrictConsultationSetting, district_scope("customs_unit"))
register_scoped_policy(DistrictConsultationSetting)


class DistrictConsultationSettingViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = DistrictConsultationSetting
    icon = "time"
    menu_label = _("Consultation answer times")
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["customs_unit", "answer_target_hours"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("customs_unit")


register_snippet(DistrictConsultationSettingViewSet)


@hooks.register("register_log_actions")
def register_consultation_log_actions(actions):
    actions.register_action("consultations.ask", _("Ask"), _("Question asked"))
    actions.register_action("consultations.follow_up", _("Follow up"), _("Enterprise added to its question"))
    actions.register_action("consultations.reply", _("Reply"), _("Coordinator replied"))
    actions.register_action("consultations.hand_over", _("Hand over"), _("Handed over to another coordinator"))
    actions.register_action("consultations.hand_over_gacc", _("Hand over to GACC"), _("Handed over to GACC"))
    actions.register_action("consultations.close", _("Close"), _("Consultation closed"))
    actions.register_action("consultations.rate", _("Rate"), _("Answer rated"))
    actions.register_action("consultations.publish", _("Publish in the FAQ"), _("Published in the FAQ"))
    actions.register_action("consultations.overdue", _("Flag as overdue"), _("Past the answer time"))
