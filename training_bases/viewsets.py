"""Back office for customs officers (manage) and trainers (view): bases, rooms, sessions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from trainees.access import ScopedViewSetMixin, scoped_form_class

from . import services
from .models import Room, TrainingBase, TrainingSession


class TrainingSessionForm(WagtailAdminModelForm):
    """Overlaps and capacity are shown as form errors: the model's clean() checks the room and
    capacity, this form checks the trainers (a many-to-many value the model cannot see)."""

    class Meta:
        model = TrainingSession
        fields = [
            "title_zh",
            "title_en",
            "training_type",
            "base",
            "room",
            "trainers",
            "starts_at",
            "ends_at",
            "capacity",
            "reserved_leadership_seats",
            "booking_opens_at",
            "booking_closes_at",
            "cancellation_cutoff",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trainees.models import TrainingType, User
        from trainees.roles import Role

        self.fields["training_type"] = forms.ChoiceField(label=_("training type"), choices=TrainingType.choices)
        self.fields["trainers"].queryset = User.objects.filter(groups__name=Role.TRAINER.value).order_by("email")
        self.fields["room"].queryset = Room.objects.select_related("base")

    def clean(self):
        cleaned = super().clean()
        trainers = cleaned.get("trainers")
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if trainers and starts_at and ends_at and ends_at > starts_at and cleaned.get("status") != "cancelled":
            try:
                services.session_check_trainers(
                    trainer_ids=[t.pk for t in trainers],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    exclude_id=self.instance.pk,
                )
            except ValidationError as exc:
                self.add_error("trainers", exc.message_dict["trainers"])
        return cleaned


class _SaveThroughService:
    """The form's instance is written by the app's service (locks, re-checks under them,
    notices); a ValidationError it raises re-renders the form with the message on its field."""

    def save_through_service(self):
        raise NotImplementedError

    def save_instance(self):
        try:
            return self.save_through_service()
        except ValidationError as exc:
            self.form._update_errors(exc)
            raise _FormInvalid from exc

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except _FormInvalid:
            return self.form_invalid(form)


class _FormInvalid(Exception):
    pass


class _SaveSession(_SaveThroughService):
    def save_through_service(self):
        return services.session_save(
            session=self.form.instance,
            trainer_ids=[t.pk for t in self.form.cleaned_data.get("trainers", [])],
            actor=self.request.user,
        )


class SessionCreateView(_SaveSession, generic.CreateView):
    pass


class SessionEditView(_SaveSession, generic.EditView):
    pass


class _SaveRoom(_SaveThroughService):
    def save_through_service(self):
        return services.room_save(room=self.form.instance, actor=self.request.user)


class RoomCreateView(_SaveRoom, generic.CreateView):
    pass


class RoomEditView(_SaveRoom, generic.EditView):
    pass


class TrainingBaseViewSet(ScopedViewSetMixin, ModelViewSet):
    model = TrainingBase
    icon = "home"
    menu_label = _("Bases")
    form_fields = [
        "slug",
        "name_zh",
        "name_en",
        "city_zh",
        "city_en",
        "address_zh",
        "address_en",
        "contact_phone",
        "contact_email",
        "time_zone",
        "checkin_networks",
        "customs_unit",
    ]
    list_display = ["name_zh", "city_zh", "contact_phone", "contact_email"]
    inspect_view_enabled = True


class RoomViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Room
    icon = "table"
    menu_label = _("Rooms")
    add_view_class = RoomCreateView
    edit_view_class = RoomEditView
    form_fields = ["base", "name_zh", "name_en", "kind", "capacity"]
    list_display = ["name_zh", "base", "kind", "capacity"]
    list_filter = ["base", "kind"]
    inspect_view_enabled = True


class TrainingSessionViewSet(ScopedViewSetMixin, ModelViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = _("Sessions")
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    list_display = ["title_zh", "base", "room", "starts_at", "capacity", "status"]
    list_filter = ["base", "status", "training_type"]
    search_fields = ["title_zh", "title_en"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return scoped_form_class(TrainingSessionForm)


class TrainingBasesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Training bases")
    menu_icon = "site"
    menu_order = 300
    items = (TrainingBaseViewSet("training_base"), RoomViewSet("room"), TrainingSessionViewSet("training_session"))
