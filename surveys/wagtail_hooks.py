from wagtail import hooks

from trainees.access import register_scoped_policy

from .models import Survey
from .viewsets import SurveysViewSetGroup

register_scoped_policy(Survey)


@hooks.register("register_admin_viewset")
def register_surveys_viewsets():
    return SurveysViewSetGroup()
