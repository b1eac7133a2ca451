from wagtail import hooks

from trainees.access import register_scoped_policy

from .models import Room, TrainingBase, TrainingSession
from .viewsets import TrainingBasesViewSetGroup

for _model in (TrainingBase, Room, TrainingSession):
    register_scoped_policy(_model)


@hooks.register("register_admin_viewset")
def register_training_bases_viewsets():
    return TrainingBasesViewSetGroup()
