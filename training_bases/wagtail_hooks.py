from wagtail import hooks

from .viewsets import TrainingBasesViewSetGroup


@hooks.register("register_admin_viewset")
def register_training_bases_viewsets():
    return TrainingBasesViewSetGroup()
