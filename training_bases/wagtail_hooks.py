from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from trainees.access import register_scoped_policy

from .models import Room, TrainingBase, TrainingSession
from .viewsets import TrainingBasesViewSetGroup

for _model in (TrainingBase, Room, TrainingSession):
    register_scoped_policy(_model)


@hooks.register("register_admin_viewset")
def register_training_bases_viewsets():
    return TrainingBasesViewSetGroup()


@hooks.register("register_log_actions")
def register_training_bases_log_actions(actions):
    @actions.register_action("training_bases.seats_changed")
    class SeatsChanged(LogFormatter):
        label = _("Change seats")

        def format_message(self, log_entry):
            try:
                before, after = log_entry.data["capacity"]
                reserved_before, reserved_after = log_entry.data["reserved_leadership_seats"]
            except (KeyError, TypeError, ValueError):
                return _("Seats changed")
            return _("Seats %(before)s → %(after)s, reserved %(reserved_before)s → %(reserved_after)s") % {
                "before": before,
                "after": after,
                "reserved_before": reserved_before,
                "reserved_after": reserved_after,
            }
