"""Tickets for a sitting in one batch (issue 14 point 2), as officers issue them in the back
office: candidates chosen from the exam's audience or pasted as e-mail addresses and mobile
numbers, seats given in seat-number order, all or none (`rules.ticket_plan`), then
`sittings.tickets_issue` draws the papers and e-mails the tickets.

A preview (`ticket_batch_plan`) changes nothing; the confirmation (`ticket_batch_issue`) locks the
sitting, plans again and refuses when the seats differ from the preview the officer saw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from trainees import access

from .. import rules
from ..models import QuestionBank, Sitting, Ticket
from .attempts import db_now
from .sittings import tickets_issue

# The role of each exam audience (`QuestionBank.Audience`), as the one access module says.
AUDIENCE_ROLES = access.EXAM_AUDIENCE_ROLES


@dataclass
class BatchPlan:
    """A planned batch: the rules' plan and the people it names (user id → user, with their
    enterprise loaded), so a page can show seat, name and enterprise without more queries."""

    plan: rules.TicketPlan
    people: dict[int, object] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[int, object]]:
        """(seat, user) of each ticket the batch would issue, in seat order."""
        return [(seat, self.people[user_id]) for user_id, seat in self.plan.seats]


def audience_candidates(*, exam, actor):
    """People the officer may choose for `exam` from lists: those with the role of its audience
    whom `actor` may see (their district; GACC everyone); enterprise staff only with an
    enterprise. Ordered by name; a queryset with the enterprise loaded."""
    User = get_user_model()
    people = User.objects.filter(groups__name=AUDIENCE_ROLES[exam.audience].value, is_active=True)
    if exam.audience == QuestionBank.Audience.ENTERPRISE:
        people = people.filter(enterprise__isnull=False)
    return (
        access.people_visible_to(actor, people)
        .select_related("enterprise")
        .order_by("enterprise__name_zh", "last_name", "first_name", "pk")
        .distinct()
    )


def _candidate(user, *, role_holders: set[int], line: int | None = None) -> rules.Candidate:
    enterprise = user.enterprise if user.enterprise_id else None
    return rules.Candidate(
        user_id=user.pk,
        name=user.get_full_name() or user.email,
        enterprise=enterprise.name_zh if enterprise else "",
        line=line,
        audience_ok=user.pk in role_holders,
        blocked=bool(enterprise and enterprise.cultivation_blocked),
    )


def ticket_batch_plan(*, sitting: Sitting, actor, user_ids: Sequence[int] = (), text: str = "") -> BatchPlan:
    """What issuing tickets to `user_ids` (chosen from lists, in that order) and to the people
    named by the lines of `text` (e-mail addresses or mobile numbers, one a line) would do at
    `sitting`; nothing is written. People `actor` may not see count as unknown. A constant
    number of queries whatever the number of people."""
    User = get_user_model()
    visible = access.people_visible_to(actor, User.objects.filter(is_active=True)).select_related("enterprise")
    lines = rules.contact_lines(text)
    emails = {line.value for line in lines if line.kind == "email"}
    phones = {line.value for line in lines if line.kind == "mobile"}
    ids = list(dict.fromkeys(int(i) for i in user_ids))
    found = list(
        visible.annotate(email_lower=Lower("email")).filter(
            Q(pk__in=ids) | Q(email_lower__in=emails) | Q(phone__in=phones)
        )
    )
    by_id = {user.pk: user for user in found}
    by_email = {user.email_lower: user for user in found}
    by_phone = {user.phone: user for user in found if user.phone}
    role = AUDIENCE_ROLES[sitting.exam.audience]
    role_holders = set(
        User.groups.through.objects.filter(user_id__in=list(by_id), group__name=role.value).values_list(
            "user_id", flat=True
        )
    )
    if sitting.exam.audience == QuestionBank.Audience.ENTERPRISE:
        role_holders = {pk for pk in role_holders if by_id[pk].enterprise_id is not None}
    candidates = [_candidate(by_id[pk], role_holders=role_holders) for pk in ids if pk in by_id]
    bad, unknown = [], []
    for line in lines:
        user = by_email.get(line.value) if line.kind == "email" else by_phone.get(line.value)
        if line.kind == "invalid":
            bad.append(line)
        elif user is None:
            unknown.append(line)
        else:
            candidates.append(_candidate(user, role_holders=role_holders, line=line.number))
    live = list(Ticket.objects.filter(sitting=sitting, revoked_at=None).values_list("user_id", "seat_number"))
    plan = rules.ticket_plan(
        candidates=candidates,
        bad_lines=bad,
        unknown_lines=unknown,
        holders=dict(live),
        taken=[seat for _user, seat in live],
        capacity=sitting.session.room.capacity,
        audience_label=str(QuestionBank.Audience(sitting.exam.audience).label),
        ended=sitting.session.ends_at <= db_now(),
    )
    missing = sum(1 for pk in ids if pk not in by_id)
    if missing:
        plan = rules.TicketPlan(
            seats=(),
            skipped=plan.skipped,
            problems=(
                *plan.problems,
                _("%(n)s of the people chosen were not found among those you may choose; choose again.")
                % {"n": missing},
            ),
            seats_left=plan.seats_left,
        )
    return BatchPlan(plan=plan, people=by_id)


def ticket_batch_issue(
    *,
    sitting: Sitting,
    actor,
    user_ids: Sequence[int],
    expected: Sequence[tuple[int, int]] | None = None,
) -> tuple[list[Ticket], BatchPlan]:
    """Issue the tickets of the batch `user_ids` at `sitting`, all or none: the sitting is
    locked, the batch planned again (`ticket_batch_plan`) and, when `expected` (the preview's
    (user id, seat) pairs) is given and the seats differ, refused so the officer looks again.
    Then `sittings.tickets_issue` draws the papers and e-mails the tickets after the commit.
    Returns the tickets and the plan; raises ValidationError with every problem."""
    with transaction.atomic():
        sitting = (
            Sitting.objects.select_for_update(of=("self",)).select_related("exam", "session__room").get(pk=sitting.pk)
        )
        batch = ticket_batch_plan(sitting=sitting, actor=actor, user_ids=user_ids)
        plan = batch.plan
        if plan.problems:
            raise ValidationError(list(plan.problems))
        if not plan.seats:
            raise ValidationError(_("Nothing to issue: everyone chosen already has a ticket for this sitting."))
        if expected is not None and tuple(map(tuple, expected)) != plan.seats:
            raise ValidationError(
                _("The seats have changed since the preview (someone else issued tickets): check the new preview.")
            )
        tickets = tickets_issue(
            sitting=sitting, seats=[(batch.people[user_id], seat) for user_id, seat in plan.seats], actor=actor
        )
    return tickets, batch
