import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.net import network_list, validate_networks
from lms.translation import TranslatedField
from notices.models import new_feed_token  # noqa: F401  (referenced by migration 0003)

from . import rules
from .messages import message, session_list


class TrainingBase(models.Model):
    """One of the three AEO training bases: Suzhou, Shenzhen, Guangzhou (seeds 001, 002)."""

    slug = models.SlugField(_("short name"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=40)
    city_en = models.CharField(_("city (English)"), max_length=40, blank=True)
    address_zh = models.CharField(_("address (Chinese)"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    checkin_networks = models.TextField(
        _("check-in networks"),
        blank=True,
        validators=[validate_networks],
        help_text=_(
            "Address ranges of the base's own network, one per line (e.g. 10.8.0.0/16 or 2001:db8::/48). "
            "When set, QR check-in is accepted only from these addresses. Empty: from anywhere."
        ),
    )
    customs_unit = models.ForeignKey(
        "trainees.CustomsUnit",
        verbose_name=_("customs district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_bases",
        help_text=_("The customs district running this base: its officers plan the sessions held here."),
    )

    name = TranslatedField("name_zh", "name_en")
    city = TranslatedField("city_zh", "city_en")
    address = TranslatedField("address_zh", "address_en")

    class Meta:
        ordering = ["slug"]
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")

    def __str__(self) -> str:
        return self.name

    @property
    def checkin_network_list(self) -> list[str]:
        return network_list(self.checkin_networks)


class Room(models.Model):
    """A room at a base. Computer rooms have numbered seats (used for computer exams)."""

    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        COMPUTER_ROOM = "computer_room", _("Computer room (numbered seats)")
        OBSERVATION_AREA = "observation_area", _("On-site observation area")

    # No index of its own: `room_name_unique_per_base` starts with the base.
    base = models.ForeignKey(
        TrainingBase, verbose_name=_("training base"), on_delete=models.PROTECT, related_name="rooms", db_index=False
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    capacity = models.PositiveIntegerField(pgettext_lazy("room", "capacity"))

    name = TranslatedField("name_zh", "name_en")

    class Meta:
        ordering = ["base__slug", "name_zh"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["base", "name_zh"], name="room_name_unique_per_base"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.base.name} · {self.name}"

    @property
    def has_numbered_seats(self) -> bool:
        return self.kind == self.Kind.COMPUTER_ROOM

    def clean(self) -> None:
        """A room never holds fewer seats than a session of it that has not ended (the session's
        `capacity_above_room` rule seen from the room): ValidationError on `capacity` naming
        them; `services.room_save` checks again under the room's lock. A room with sessions
        stays at their training base (ValidationError on `base`)."""
        super().clean()
        errors = self.errors_against_sessions(now=timezone.now())
        if errors:
            raise ValidationError(errors)

    def errors_against_sessions(self, *, now: dt.datetime) -> dict[str, str]:
        """{field: message} of `clean`'s rules against the sessions planned in the room (seats
        of those not ended at `now`, their base); `services.room_save` asks again under the
        room's lock, as sessions may be planned meanwhile."""
        errors = room_capacity_errors(room_id=self.pk, capacity=self.capacity, now=now)
        if self.pk and self.base_id and self.sessions.exclude(base_id=self.base_id).exists():
            # A session's base is its room's: its bookings, attendance and reports say where it was.
            errors["base"] = message("room_base_has_sessions")
        return errors


class TrainingSession(models.Model):
    """A scheduled on-site training at a base: a room, trainers, a time span of one or more days
    and a number of seats that never exceeds the room's (seed 004: carrying out training)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for booking")
        FULL = "full", _("Full")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", pgettext_lazy("training session status", "Completed")

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    training_type = models.CharField(_("training type"), max_length=30)
    # No index of their own: the indexes on (base, starts_at) and (room, starts_at) start with each.
    base = models.ForeignKey(
        TrainingBase, verbose_name=_("training base"), on_delete=models.PROTECT, related_name="sessions", db_index=False
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions", db_index=False
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="training_sessions_taught"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"))
    reserved_leadership_seats = models.PositiveIntegerField(
        _("seats reserved for legal representatives and senior management"), default=0
    )
    booking_opens_at = models.DateTimeField(_("booking opens at"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(_("booking closes at"), null=True, blank=True)
    cancellation_cutoff = models.DateTimeField(
        _("cancellation cut-off"), null=True, blank=True, help_text=_("Trainees may cancel until this time.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = TranslatedField("title_zh", "title_en")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["base", "starts_at"]), models.Index(fields=["room", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(reserved_leadership_seats__lte=models.F("capacity")),
                name="session_reserved_within_capacity",
            ),
        ]
        # The room-overlap exclusion constraint is created on PostgreSQL by migration 0004.

    def __str__(self) -> str:
        return self.title

    @property
    def is_bookable_status(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.FULL}

    def check_room_base(self) -> None:
        """A session's base is its room's: ValidationError on `room` otherwise (`clean`, and
        `services.session_save` again under the room's lock, as a room may move meanwhile)."""
        if self.room_id and self.base_id and self.room.base_id != self.base_id:
            raise ValidationError({"room": message("room_other_base")})

    def clean(self) -> None:
        """Validate against the room and overlapping sessions; trainers are checked by the form
        and the service because many-to-many values are not known here."""
        super().clean()
        room = self.room if self.room_id else None
        self.check_room_base()
        problems = rules.session_problems(
            rules.SessionDraft(
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                capacity=self.capacity,
                reserved_leadership_seats=self.reserved_leadership_seats or 0,
                room_capacity=room.capacity if room else None,
                booking_opens_at=self.booking_opens_at,
                booking_closes_at=self.booking_closes_at,
                cancellation_cutoff=self.cancellation_cutoff,
                confirmed_total=(
                    self.bookings.filter(status=Booking.Status.CONFIRMED).count() if self.pk and self.capacity else 0
                ),
            )
        )
        errors = {field: message(code, **params) for field, code, params in problems}
        if not errors and room is not None and self.starts_at and self.ends_at and self.status != self.Status.CANCELLED:
            clash = room_clash(room_id=room.pk, starts_at=self.starts_at, ends_at=self.ends_at, exclude_id=self.pk)
            if clash is not None:
                errors["room"] = message("room_overlap", room=room.name, title=clash.title, starts=clash.starts_at)
        if errors:
            raise ValidationError(errors)


def room_capacity_errors(*, room_id: int | None, capacity: int | None, now) -> dict[str, str]:
    """{"capacity": message} when `capacity` seats are fewer than a session of room `room_id`
    that has not ended at `now` needs (cancelled sessions hold nobody); {} otherwise."""
    if room_id is None or capacity is None:
        return {}
    sessions = [
        rules.RoomSession(title=s.title, starts_at=s.starts_at, capacity=s.capacity)
        for s in TrainingSession.objects.filter(room_id=room_id, ends_at__gt=now, capacity__gt=capacity)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .only("title_zh", "title_en", "starts_at", "capacity")
    ]
    problems = rules.room_capacity_problems(capacity=capacity, sessions=sessions)
    return {
        field: message(code, **{**params, "sessions": session_list(params["sessions"])})
        for field, code, params in problems
    }


def room_clash(*, room_id: int, starts_at, ends_at, exclude_id: int | None) -> TrainingSession | None:
    """The first live session in the same room that overlaps [starts_at, ends_at)."""
    qs = TrainingSession.objects.filter(room_id=room_id, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=TrainingSession.Status.CANCELLED
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("starts_at").first()


def trainer_clash(*, trainer_ids, starts_at, ends_at, exclude_id: int | None):
    """(trainer, session) for the first trainer already teaching an overlapping live session."""
    qs = (
        TrainingSession.trainers.through.objects.filter(
            user_id__in=list(trainer_ids),
            trainingsession__starts_at__lt=ends_at,
            trainingsession__ends_at__gt=starts_at,
        )
        .exclude(trainingsession__status=TrainingSession.Status.CANCELLED)
        .select_related("user", "trainingsession")
        .order_by("trainingsession__starts_at")
    )
    if exclude_id:
        qs = qs.exclude(trainingsession_id=exclude_id)
    row = qs.first()
    return (row.user, row.trainingsession) if row else None


class AllocationRun(models.Model):
    """One run of the allocation from the key training list: previewed, then confirmed by an
    officer. The plan and the reasons for every decision are kept as evidence."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        CONFIRMED = "confirmed", _("Confirmed")
        SUPERSEDED = "superseded", _("Superseded")

    training_type = models.CharField(_("training type"), max_length=30)
    round_id = models.PositiveIntegerField(_("selection round"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEW)
    plan = models.JSONField(_("plan"), default=dict)
    fingerprint = models.CharField(max_length=64, blank=True)
    # What the confirmation reads instead of the (large) plan: the digests of the plan's inputs
    # (`allocation_inputs`) with the confirmed seats per session, and one compact row per
    # booking to write (`services.PLACEMENT_FIELDS`).
    inputs = models.JSONField(_("inputs of the plan"), default=dict, blank=True, editable=False)
    placements = models.JSONField(_("placements"), default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.training_type} ({self.get_status_display()})"


class Booking(models.Model):
    """A person's seat (or place on the waitlist) in a training session."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Released (cultivation suspended or terminated)")
        NO_SHOW = "no_show", _("Released (did not attend)")

    class Source(models.TextChoices):
        SELF_SERVICE = "self_service", _("Booked by the trainee")
        ALLOCATION = "allocation", _("Allocated from the key training list")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the index on (session, status, priority) starts with it.
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="bookings", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="seat_bookings"
    )
    enterprise = models.ForeignKey(
        "trainees.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="seat_bookings"
    )
    training_type = models.CharField(_("training type"), max_length=30)
    position = models.CharField(_("position"), max_length=30, blank=True)
    priority = models.PositiveIntegerField(
        _("priority"), default=rules.UNLISTED_PRIORITY, help_text=_("Rank on the key training list; 1 is highest.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=14, choices=Source.choices, default=Source.SELF_SERVICE)
    seat_number = models.PositiveIntegerField(_("seat number"), null=True, blank=True)
    allocation_run = models.ForeignKey(
        AllocationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    reason = models.CharField(pgettext_lazy("allocation outcome", "reason"), max_length=300, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "status", "priority", "created_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["session", "status", "priority"])]
        constraints = [
            # One session per trainee per training type (issue rule; also refused with a message).
            models.UniqueConstraint(
                fields=["user", "training_type"],
                condition=models.Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_booking_per_training_type",
            ),
            models.UniqueConstraint(
                fields=["session", "seat_number"],
                condition=models.Q(status="confirmed", seat_number__isnull=False),
                name="numbered_seat_taken_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def position_label(self) -> str:
        from trainees.models import Position

        try:
            return str(Position(self.position).label)
        except ValueError:
            return self.position


class AttendanceRecord(models.Model):
    """Presence of a booked trainee on one day of a session (register or QR check-in)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    class Method(models.TextChoices):
        REGISTER = "register", pgettext_lazy("attendance", "Register")
        QR = "qr", _("QR check-in")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    method = models.CharField(
        pgettext_lazy("attendance", "method"), max_length=8, choices=Method.choices, default=Method.REGISTER
    )
    recorded_at = models.DateTimeField(auto_now=True)
    client_address = models.GenericIPAddressField(
        _("checked in from"), null=True, blank=True, help_text=_("The trainee's address at QR check-in.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "booking_id"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["booking", "day"], name="one_attendance_per_booking_day")]

    def __str__(self) -> str:
        return f"{self.booking} {self.day} {self.status}"
