"""Use cases of notices: record a notice about a target and send it after commit, read and change
a person's preferences, collect their calendar feed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from lms.bulk import insert_ids, insert_statement

from . import targets
from .models import Notice, NotificationPreference, new_feed_token

CHUNK = 500


def notices_create(*, instances: Iterable, kind: str) -> list[Notice]:
    """Record one notice of `kind` per target instance (all of one registered model) and e-mail
    them after the transaction commits: at once, or in the recipient's daily digest."""
    instances = list(instances)
    if not instances:
        return []
    notices = Notice.objects.bulk_create(_notices([(obj, kind) for obj in instances]))
    _send_after_commit([n.pk for n in notices])
    return notices


def notices_create_many(*, items: Iterable[tuple[object, str]]) -> list[int]:
    """Record one notice per (target instance, kind) pair, every target of one registered model,
    in one insert whatever the kinds (a cancellation and the promotion it causes; an allocation's
    confirmations and waitlist places), and e-mail them after commit as `notices_create` does.
    The rows go in as `lms.bulk.insert_ids` writes them: one plain INSERT for a few, COPY for
    many (no per-statement ORM work on a seat lock's path). Returns the notices' ids (in no
    particular order)."""
    notices = _notices(list(items))
    if not notices:
        return []
    ids = insert_ids(Notice, notices)
    _send_after_commit(ids)
    return ids


def notices_statement(*, items: Sequence[tuple[object, str]]) -> tuple[str, list]:
    """(SQL, values) of the insert `notices_create_many` runs for 1 to `lms.bulk.INSERT_VALUES_MAX`
    (target instance, kind) pairs, every target saved already, for a caller that sends it with
    its own writes in one round trip; hand the rows it returns to `notices_recorded`."""
    return insert_statement(Notice, _notices(list(items)))


def notices_recorded(rows: Sequence[Sequence]) -> list[int]:
    """The ids of the notices a `notices_statement` recorded (its rows), e-mailed after commit as
    `notices_create_many` sends them."""
    ids = [row[0] for row in rows]
    _send_after_commit(ids)
    return ids


def _notices(items: list[tuple[object, str]]) -> list[Notice]:
    if not items:
        return []
    target_type = targets.type_of(items[0][0])
    content_type = targets.content_type_of(target_type.model)
    field = f"{target_type.recipient_field}_id"
    return [
        Notice(recipient_id=getattr(obj, field), target_type=content_type, target_id=obj.pk, kind=kind)
        for obj, kind in items
    ]


def _send_after_commit(ids: list[int]) -> None:
    from .tasks import send_notices

    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        transaction.on_commit(lambda chunk=chunk: send_notices.delay(chunk))


def preference_get(*, user) -> NotificationPreference:
    """The person's preferences, created with the defaults on first use."""
    pref, _ = NotificationPreference.objects.select_related("user").get_or_create(user=user)
    return pref


def feed_token_rotate(*, user) -> NotificationPreference:
    """A new secret feed address; the old one stops working at once."""
    pref = preference_get(user=user)
    pref.feed_token = new_feed_token()
    pref.save(update_fields=["feed_token"])
    return pref


def feed_targets(*, user_id: int) -> list[targets.NoticeTarget]:
    """Every confirmed place of the person, across all registered target types, by start."""
    found = []
    for target_type in targets.registered():
        if target_type.feed is not None:
            found.extend(target_type.describe(obj) for obj in target_type.feed(user_id))
    return sorted(found, key=lambda t: t.starts_at)
