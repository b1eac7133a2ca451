"""What a notice is about. An app registers each model people hold a place in (a training seat
today; a live-session registration or an exam-sitting ticket later) with a `TargetType`: how to
describe one instance (`NoticeTarget`) and how to find the ones due a reminder or shown in a feed.
See docs/notices.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"
# A target that is no place in a calendar (a consultation thread): no schedule, no calendar file,
# and every "change" notice about it stays true (docs/notices.md).
INFORMATIONAL = "informational"


@dataclass(frozen=True)
class NoticeTarget:
    """One place a person holds, as notices, e-mails and calendars need it. Texts are evaluated in
    the active language (the recipient's when rendering)."""

    uid: str  # stable iCalendar UID, e.g. "booking-<uuid>@aeo-lms"
    sequence: int  # iCalendar SEQUENCE: grows with every change the person must see
    state: str  # CONFIRMED, WAITLISTED, CANCELLED or INFORMATIONAL
    recipient: Any  # the user
    title: str
    schedule: Sequence[tuple[dt.datetime, dt.datetime]]  # one (start, end) per day, aware, sorted; () if none
    location: str
    url: str  # absolute link to the target's page, in the active language
    category: str = ""  # e.g. the training type
    description: str = ""  # plain text for the calendar event
    details: Sequence[tuple[str, str]] = field(default_factory=tuple)  # extra (label, value) rows
    organizer_name: str = ""
    organizer_email: str = ""

    @property
    def starts_at(self) -> dt.datetime | None:
        return self.schedule[0][0] if self.schedule else None

    @property
    def ends_at(self) -> dt.datetime | None:
        return self.schedule[-1][1] if self.schedule else None


@dataclass(frozen=True)
class TargetType:
    """How the notices mechanism reads one kind of target. All callables take and return model
    instances (or ids); `describe` is called inside the recipient's language."""

    model: type[models.Model]
    describe: Callable[[Any], NoticeTarget]
    recipient_field: str = "user"  # foreign key to the person told
    related: tuple[str, ...] = ()  # select_related paths that `describe` needs
    # Confirmed targets starting in (now, until]: the reminder candidates.
    upcoming: Callable[[dt.datetime, dt.datetime], Iterable[Any]] | None = None
    # The person's confirmed targets for their private calendar feed.
    feed: Callable[[int], Iterable[Any]] | None = None
    # Called (same transaction) with the targets just reminded, e.g. to show "reminded at".
    reminded: Callable[[list[Any], dt.datetime], None] | None = None
    # URL name of the page where the person sees all their places and preferences.
    overview_url_name: str = ""
    # Headlines per notice kind, overriding the defaults (e.g. "Your exam seat is confirmed").
    headlines: dict[str, Any] = field(default_factory=dict)


_registry: dict[str, TargetType] = {}


def register(target_type: TargetType) -> None:
    """Register a target model (call from the app's `AppConfig.ready`)."""
    _registry[target_type.model._meta.label_lower] = target_type


def registered() -> list[TargetType]:
    return list(_registry.values())


def type_of(instance_or_model) -> TargetType:
    """The registration of a model or instance; LookupError if it was never registered."""
    label = instance_or_model._meta.label_lower
    try:
        return _registry[label]
    except KeyError as exc:
        raise LookupError(f"{label} is not registered as a notice target") from exc


def describe(instance) -> NoticeTarget:
    return type_of(instance).describe(instance)


def content_type_of(instance_or_model) -> ContentType:
    return ContentType.objects.get_for_model(instance_or_model, for_concrete_model=True)


def load(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """Fetch targets for (content type id, object id) pairs: one query per target type."""
    wanted: dict[int, set[int]] = {}
    for ct_id, obj_id in pairs:
        wanted.setdefault(ct_id, set()).add(obj_id)
    found: dict[tuple[int, int], Any] = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        qs = model._default_manager.filter(pk__in=ids)
        related = type_of(model).related
        if related:
            qs = qs.select_related(*related)
        for obj in qs:
            found[(ct_id, obj.pk)] = obj
    return found
