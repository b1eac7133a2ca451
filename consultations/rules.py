"""The rules of consultations with customs as pure functions: which step a thread allows, the
status it leads to, when an answer is due and whether it came in time, and how personal data is
masked before a question is published as an FAQ entry.

No ORM, no I/O, no clock: callers pass plain values and `now`.

Sources: seeds 001 and 002 (customs coordinators answer enterprises' queries online and offline;
"nearly 5,000 solutions"); seed 003 (a feedback mechanism with smooth communication channels);
seed 004 (publicity; result orientation). The answer time is data per district (issue 17,
point 2), `DEFAULT_TARGET_HOURS` where a district has set none."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
ACTIVE = frozenset({OPEN, ANSWERED})

# Two working days; a district sets its own in the back office.
DEFAULT_TARGET_HOURS = 48

# Steps of a thread and who takes them.
REPLY, FOLLOW_UP, HAND_OVER, HAND_OVER_GACC, CLOSE, RATE, PUBLISH = (
    "reply",
    "follow_up",
    "hand_over",
    "hand_over_gacc",
    "close",
    "rate",
    "publish",
)
COORDINATOR_STEPS = frozenset({REPLY, HAND_OVER, HAND_OVER_GACC, CLOSE, PUBLISH})
ENTERPRISE_STEPS = frozenset({FOLLOW_UP, RATE})

# What each step makes of the status (steps not named keep it).
NEXT_STATUS = {REPLY: ANSWERED, FOLLOW_UP: OPEN, CLOSE: CLOSED}


@dataclass(frozen=True)
class ConsultationState:
    """What the rules need to know of a consultation."""

    status: str  # OPEN, ANSWERED or CLOSED
    answered: bool  # customs has replied at least once
    rated: bool
    published: bool  # already published as an FAQ entry
    at_gacc: bool  # handed over to GACC


def refusal(step: str, state: ConsultationState) -> str | None:
    """Why `step` is not possible in `state` (a message for the person), or None when it is.

    A closed thread takes no more messages or hand-overs; the answer is rated once, only after
    customs has answered; a question is published once, only once answered."""
    if step in {REPLY, FOLLOW_UP, HAND_OVER, HAND_OVER_GACC, CLOSE} and state.status == CLOSED:
        return str(_("This consultation is closed: ask a new question if you need more."))
    if step == HAND_OVER_GACC and state.at_gacc:
        return str(_("This consultation is already with GACC."))
    if step == RATE:
        if not state.answered:
            return str(_("You can rate the answer once customs has answered."))
        if state.rated:
            return str(_("You have already rated this answer."))
    if step == PUBLISH:
        if not state.answered:
            return str(_("Only an answered question can be published."))
        if state.published:
            return str(_("This question has already been published."))
    return None


def next_status(step: str, status: str) -> str:
    """The status after `step`: a reply answers, a follow-up awaits an answer again, closing
    closes; hand-overs, ratings and publishing leave it as it was."""
    return NEXT_STATUS.get(step, status)


def coordinator_may_act(*, at_gacc: bool, coordinator_at_gacc: bool) -> bool:
    """Once handed over to GACC, only GACC coordinators take the thread further; the district's
    coordinators may still read it."""
    return coordinator_at_gacc or not at_gacc


def target_hours(chain: Sequence[int | None]) -> int:
    """The answer time of a district: its own setting, else its parent's, else the default.
    `chain` lists the settings from the district up to GACC (None where a unit has none)."""
    return next((hours for hours in chain if hours), DEFAULT_TARGET_HOURS)


def due_at(*, since: datetime, hours: int) -> datetime:
    """When an answer is due for a question (or follow-up) asked at `since`."""
    return since + timedelta(hours=hours)


def is_overdue(*, status: str, due: datetime | None, now: datetime) -> bool:
    """Awaiting an answer past its due time."""
    return status == OPEN and due is not None and due < now


def answered_in_time(*, first_answered_at: datetime | None, first_due_at: datetime) -> bool:
    """The first answer came no later than it was due."""
    return first_answered_at is not None and first_answered_at <= first_due_at


def in_time_rate(*, in_time: int, answered: int, late_unanswered: int) -> float:
    """Per cent (0-100) of the questions whose fate is known (answered, or past due without an
    answer) that were answered in time; 0.0 when there are none."""
    decided = answered + late_unanswered
    return round(100.0 * in_time / decided, 1) if decided else 0.0


# --- Anonymising before publication -----------------------------------------------------------

ENTERPRISE_MASK = "某企业"
PERSON_MASK = "某某"
NUMBER_MASK = "***"

_NOT_ALNUM_BEFORE, _NOT_ALNUM_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
# Unified social credit code (GB 32100-2015: 18 characters) and resident identity card number.
CREDIT_CODE = re.compile(_NOT_ALNUM_BEFORE + r"[0-9][0-9A-Z]{16}[0-9A-Z]" + _NOT_ALNUM_AFTER, re.IGNORECASE)
# Customs registration code: 10 characters, region (4 digits) then type and serial.
CUSTOMS_CODE = re.compile(_NOT_ALNUM_BEFORE + r"\d{4}[0-9A-Z]\d{5}" + _NOT_ALNUM_AFTER)
PHONE = re.compile(r"(?:\+?86[- ]?)?(?<!\d)(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", " Co., Ltd.", " Co. Ltd.", " Ltd.")

PATTERNS = (
    ("credit_code", CREDIT_CODE),
    ("customs_code", CUSTOMS_CODE),
    ("phone", PHONE),
    ("email", EMAIL),
)


def name_variants(enterprise_names: Iterable[str]) -> list[str]:
    """The names to look for: each full name and the name without its company suffix ("深圳海川
    电子科技有限公司" also as "深圳海川电子科技"), longest first so the full name wins."""
    found: set[str] = set()
    for name in enterprise_names:
        name = (name or "").strip()
        if len(name) < 2:
            continue
        found.add(name)
        for suffix in COMPANY_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                found.add(name[: -len(suffix)].strip())
    return sorted(found, key=len, reverse=True)


def _replace_names(text: str, names: Iterable[str], mask: str) -> str:
    for name in sorted({n for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(name.strip()), mask, text, flags=re.IGNORECASE)
    return text


def mask_personal_data(text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()) -> str:
    """`text` with enterprise names, people's names, credit and customs codes, identity numbers,
    phone numbers and e-mail addresses masked: the starting point a coordinator edits before
    publishing (issue 17, point 3)."""
    text = _replace_names(text or "", name_variants(enterprise_names), ENTERPRISE_MASK)
    text = _replace_names(text, person_names, PERSON_MASK)
    for _kind, pattern in PATTERNS:
        text = pattern.sub(NUMBER_MASK, text)
    return text


def personal_data_found(
    text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()
) -> list[str]:
    """Kinds of personal data still in `text` ("enterprise_name", "person_name", "credit_code",
    "customs_code", "phone", "email"), in that order; empty when none is left."""
    text = text or ""
    kinds = []
    lowered = text.lower()
    if any(name.lower() in lowered for name in name_variants(enterprise_names)):
        kinds.append("enterprise_name")
    if any(name.strip().lower() in lowered for name in person_names if name and len(name.strip()) >= 2):
        kinds.append("person_name")
    kinds.extend(kind for kind, pattern in PATTERNS if pattern.search(text))
    return kinds
