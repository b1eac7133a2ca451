from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingBasesConfig(AppConfig):
    name = "training_bases"
    verbose_name = _("Training bases")

    def ready(self) -> None:
        from lms.navigation import NavItem, register
        from notices.targets import register as register_notice_target
        from trainees import access
        from trainees.access import is_officer, may_book, may_view_rosters
        from trainees.signals import cultivation_status_changed

        from .models import AllocationRun, Room, TrainingBase, TrainingSession
        from .notice_targets import BOOKING_TARGET
        from .receivers import release_bookings_on_blocked_cultivation

        register_notice_target(BOOKING_TARGET)
        # Cached public pages (calendar, session and course pages) show sessions and free seats.
        from django.db.models.signals import post_delete, post_save

        from lms.page_cache import seats_changed

        from .models import Booking

        for model in (TrainingSession, Booking, Room, TrainingBase):
            post_save.connect(seats_changed, sender=model, dispatch_uid=f"training_bases.seats.save.{model.__name__}")
            post_delete.connect(seats_changed, sender=model, dispatch_uid=f"training_bases.seats.del.{model.__name__}")
        access.register_scope(TrainingBase, access.district_scope("customs_unit", trainers_read=True))
        access.register_scope(Room, access.district_scope("base__customs_unit", trainers_read=True))
        access.register_scope(TrainingSession, access.sessions_managed_by)
        access.register_scope(AllocationRun, access.allocation_runs_visible_to)
        cultivation_status_changed.connect(
            release_bookings_on_blocked_cultivation, dispatch_uid="training_bases.release_bookings"
        )
        register(NavItem(label=_("Training calendar"), url_name="training_bases:calendar", order=30))
        register(
            NavItem(
                label=_("My bookings"),
                url_name="training_bases:my_bookings",
                order=31,
                visible=lambda user: may_book(user) or may_view_rosters(user),
            )
        )
        register(
            NavItem(label=_("Seat allocation"), url_name="training_bases:allocation", order=32, visible=is_officer)
        )
