from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from trainees.access import is_trainer
        from training_bases.signals import attendance_recorded

        from .receivers import credit_training_session

        attendance_recorded.connect(credit_training_session, dispatch_uid="courses.credit_training_session")
        register(
            NavItem(
                label=_("My learning"),
                url_name="courses:my_learning",
                order=20,
                visible=lambda user: user.is_authenticated,
            )
        )
        register(NavItem(label=_("Course statistics"), url_name="courses:trainer_stats", order=21, visible=is_trainer))
