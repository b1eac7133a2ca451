"""Back office for trainers and officers: live observation sessions with their venues (issue 12,
point 1). Publishing needs the observed enterprise's consent (model validation and a database
constraint); a moved schedule or a cancellation sends change notices to registered people."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .models import LiveSession


class _NotifyOnSave:
    def save_instance(self):
        session = self.form.instance
        before = None
        if session.pk:
            before = LiveSession.objects.filter(pk=session.pk).values("starts_at", "ends_at", "cancelled").first()
        if session.consent_given and session.consent_recorded_at is None:
            session.consent_recorded_at = timezone.now()
        instance = super().save_instance()
        if before is not None:
            services.session_changed(
                session=instance,
                schedule_moved=(before["starts_at"], before["ends_at"]) != (instance.starts_at, instance.ends_at),
                cancelled_now=instance.cancelled and not before["cancelled"],
            )
        return instance


class LiveSessionCreateView(_NotifyOnSave, generic.CreateView):
    pass


class LiveSessionEditView(_NotifyOnSave, generic.EditView):
    pass


class LiveSessionViewSet(ModelViewSet):
    model = LiveSession
    icon = "media"
    menu_label = _("Live observation")
    menu_order = 310
    add_to_admin_menu = True
    add_view_class = LiveSessionCreateView
    edit_view_class = LiveSessionEditView
    list_display = ["title", "starts_at", "ends_at", "capacity", "is_published", "consent_given", "cancelled"]
    list_filter = ["is_published", "cancelled"]
    search_fields = ["title", "observed_enterprise"]
    inspect_view_enabled = True
