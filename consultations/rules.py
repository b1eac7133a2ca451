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
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import get_language
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
#
# One check, used wherever text is published (`personal_data_found`) and to prepare a draft
# (`mask_personal_data`). Text is read as a person reads it: full-width letters, digits and
# signs as their half-width forms (NFKC), Chinese digit characters (一三八〇〇…) as digits,
# and numbers written in groups ("138 0013 8000", "138.0013.8000", "0512-6666 8888") as one
# number. Numbers are also looked for with the Chinese digit characters left as words, so a number
# next to one (张三13800138000, 13800138000一直开机) is not hidden by it. What is masked is the
# text as written, so the draft keeps its Chinese punctuation.

ENTERPRISE_MASK = "某企业"
PERSON_MASK = "某某"
NUMBER_MASK = "***"

# Kinds of personal data, in the order they are reported.
ENTERPRISE_NAME, PERSON_NAME = "enterprise_name", "person_name"
CREDIT_CODE_KIND, ID_NUMBER, CUSTOMS_CODE_KIND, PHONE_KIND, EMAIL_KIND = (
    "credit_code",
    "id_number",
    "customs_code",
    "phone",
    "email",
)
KINDS = (ENTERPRISE_NAME, PERSON_NAME, CREDIT_CODE_KIND, ID_NUMBER, CUSTOMS_CODE_KIND, PHONE_KIND, EMAIL_KIND)

# Digits as Chinese text writes them (幺 is "one" read out in phone numbers).
_CHINESE_DIGITS = str.maketrans(
    {
        **dict(zip("〇零一二三四五六七八九", "00123456789", strict=True)),
        "幺": "1",
        **dict(zip("壹贰叁肆伍陆柒捌玖", "123456789", strict=True)),
    }
)
# "。" ends a sentence but also stands for the dot of an address typed on a Chinese keyboard.
_CHINESE_SIGNS = str.maketrans({"。": ".", "﹒": "."})

# Up to three separators between the characters of one number: spaces, dots, dashes (NFKC leaves
# the long dashes below as they are), slashes.
_SEP = r"[ \t.\-/‐‑‒–—―−·_]{0,3}"
_NOT_DIGIT_BEFORE, _NOT_DIGIT_AFTER = r"(?<![0-9])", r"(?![0-9])"
_NOT_ALNUM_BEFORE, _NOT_ALNUM_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_D = "[0-9]"


def _seq(*atoms: str) -> str:
    """A regex of `atoms` (each one character, or a group of them) in a row, an optional
    separator between two."""
    return _SEP.join(atoms)


def _alt(*options: str) -> str:
    return "(?:" + "|".join(options) + ")"


def _opt(atom: str) -> str:
    """An optional last atom, with its separator."""
    return "(?:" + _SEP + atom + ")?"


# The 31 characters of a unified social credit code (GB 32100-2015: no I, O, Z, S, V).
_CC = "[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]"
_YEAR = _seq(_alt(_seq("1", "[89]"), _seq("2", "0")), _D, _D)
_MONTH = _alt(_seq("0", "[1-9]"), _seq("1", "[0-2]"))
_DAY = _alt(_seq("0", "[1-9]"), _seq("[12]", _D), _seq("3", "[01]"))
# Resident identity card (GB 11643-1999): area (6 digits), birth date (8), serial (3), check digit
# or X; the old 15-digit form has a 2-digit year and no check digit.
ID_NUMBER_PATTERN = re.compile(
    _NOT_ALNUM_BEFORE
    + _alt(
        _seq("[1-9]", *[_D] * 5, _YEAR, _MONTH, _DAY, _D, _D, _D, "[0-9Xx]"),
        _seq("[1-9]", *[_D] * 5, _D, _D, _MONTH, _DAY, _D, _D, _D),
    )
    + _NOT_ALNUM_AFTER
)
# Unified social credit code (GB 32100-2015): authority and type, 6-digit administrative division,
# 9-character organisation code, check character: 18 characters.
CREDIT_CODE = re.compile(_NOT_ALNUM_BEFORE + _seq(_CC, _CC, *[_D] * 6, *[_CC] * 10) + _NOT_ALNUM_AFTER)
# Customs registration code: 10 characters, region (4 digits) then type and serial.
CUSTOMS_CODE = re.compile(_NOT_ALNUM_BEFORE + _seq(*[_D] * 4, "[0-9A-Za-z]", *[_D] * 5) + _NOT_ALNUM_AFTER)
_COUNTRY = _seq(r"(?:\+|00)", "8", "6")
# Mainland mobile numbers (11 digits, 13x-19x), landlines with their area code (0512-6666 8888,
# (010) 12345678; +86 drops the 0), and 400/800 service numbers.
_MOBILE = _seq("1", "[3-9]", *[_D] * 9)
_LOCAL = _seq(*[_D] * 7) + _opt(_D)  # 7 or 8 digits
_LANDLINE = _seq(r"\(?" + _seq("0", "[1-9]", _D) + _opt(_D) + r"\)?", _LOCAL)
_INTERNATIONAL = _seq(r"\(?" + _seq("[1-9]", _D) + _opt(_D) + r"\)?", _LOCAL)
_SERVICE = _seq("[48]", "0", "0", *[_D] * 7)
PHONE = re.compile(
    _NOT_DIGIT_BEFORE
    + _alt(_seq(_COUNTRY, _alt(_MOBILE, _INTERNATIONAL)), _MOBILE, _LANDLINE, _SERVICE)
    + _NOT_DIGIT_AFTER
)
# E-mail addresses, also written "zhang (at) example (dot) com" or with spaces around the signs.
_AT = r"\s*(?:@|[(\[{<]\s*(?:at|艾特)\s*[)\]}>])\s*"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*dot\s*[)\]}>]\s*)"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+" + _AT + r"[A-Za-z0-9-]+(?:" + _DOT + r"[A-Za-z0-9-]+)+", re.IGNORECASE)
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", " Co., Ltd.", " Co. Ltd.", " Ltd.")

# Looked for in this order: where two overlap (an identity number is also shaped like a credit
# code, a 400 number like a customs code), the first one found names the finding.
PATTERNS = (
    (ID_NUMBER, ID_NUMBER_PATTERN),
    (CREDIT_CODE_KIND, CREDIT_CODE),
    (PHONE_KIND, PHONE),
    (CUSTOMS_CODE_KIND, CUSTOMS_CODE),
    (EMAIL_KIND, EMAIL),
)


def normalised(text: str, *, chinese_digits: bool = True) -> tuple[str, list[int]]:
    """`text` as it reads (each character NFKC-normalised: full-width → half-width; Chinese digit
    characters as digits unless `chinese_digits` is false; "。" as a dot) and, for each character
    of the result, the index of the character of `text` it comes from (to mask the text as
    written)."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        read = unicodedata.normalize("NFKC", char)
        if chinese_digits:
            read = read.translate(_CHINESE_DIGITS)
        read = read.translate(_CHINESE_SIGNS)
        chars.append(read)
        origin.extend([index] * len(read))
    return "".join(chars), origin


def name_variants(enterprise_names: Iterable[str]) -> list[str]:
    """The names to look for: each full name and the name without its company suffix ("深圳海川
    电子科技有限公司" also as "深圳海川电子科技"), longest first so the full name wins."""
    found: set[str] = set()
    for name in enterprise_names:
        name = normalised((name or "").strip())[0]
        if len(name) < 2:
            continue
        found.add(name)
        for suffix in COMPANY_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                found.add(name[: -len(suffix)].strip())
    return sorted(found, key=len, reverse=True)


def _name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One regex for `names` (longest first), spaces allowed between their characters ("张 三",
    "张　三")."""
    parts = []
    for name in sorted({normalised(n.strip())[0] for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        letters = [c for c in name if not c.isspace()]
        if len(letters) >= 2:
            parts.append(r"\s*".join(re.escape(c) for c in letters))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass(frozen=True)
class Finding:
    """A piece of personal data: its kind and where it stands in the text as written."""

    kind: str
    start: int
    end: int


def personal_data_spans(
    text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()
) -> list[Finding]:
    """The personal data in `text` (see `KINDS`), in the order it stands, overlapping findings
    merged into the first (names before numbers); spans index `text` as written."""
    text = text or ""
    as_read, as_digits = normalised(text), normalised(text, chinese_digits=False)
    searches = [
        (ENTERPRISE_NAME, _name_pattern(name_variants(enterprise_names)), [as_read]),
        (PERSON_NAME, _name_pattern(person_names), [as_read]),
        *((kind, pattern, [as_read, as_digits]) for kind, pattern in PATTERNS),
    ]
    found: list[Finding] = []
    for kind, pattern, readings in searches:
        if pattern is None:
            continue
        for read, origin in readings:
            for match in pattern.finditer(read):
                start, end = origin[match.start()], origin[match.end() - 1] + 1
                overlapping = [f for f in found if f.start < end and start < f.end]
                if overlapping:
                    first = overlapping[0]
                    merged = Finding(
                        first.kind, min(start, *(f.start for f in overlapping)), max(end, *(f.end for f in overlapping))
                    )
                    found = [f for f in found if f not in overlapping] + [merged]
                else:
                    found.append(Finding(kind, start, end))
    return sorted(found, key=lambda f: f.start)


MASKS = {ENTERPRISE_NAME: ENTERPRISE_MASK, PERSON_NAME: PERSON_MASK}


def mask_personal_data(text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()) -> str:
    """`text` with enterprise names, people's names, credit and customs codes, identity numbers,
    phone numbers and e-mail addresses masked: the starting point a coordinator edits before
    publishing (issue 17, point 3). Everything else stays as written."""
    text = text or ""
    pieces, position = [], 0
    for finding in personal_data_spans(text, enterprise_names=enterprise_names, person_names=person_names):
        pieces += [text[position : finding.start], MASKS.get(finding.kind, NUMBER_MASK)]
        position = finding.end
    return "".join(pieces) + text[position:]


def personal_data_found(
    text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()
) -> list[str]:
    """Kinds of personal data still in `text` (`KINDS`: "enterprise_name", "person_name",
    "credit_code", "id_number", "customs_code", "phone", "email"), in that order; empty when
    none is left. The check every publication of text passes (FAQ entries published from a
    consultation or edited in the back office)."""
    kinds = {f.kind for f in personal_data_spans(text, enterprise_names=enterprise_names, person_names=person_names)}
    return [kind for kind in KINDS if kind in kinds]


PERSONAL_DATA_LABELS = {
    ENTERPRISE_NAME: _("the enterprise's name"),
    PERSON_NAME: _("a person's name"),
    CREDIT_CODE_KIND: _("a unified social credit code"),
    ID_NUMBER: _("an identity card number"),
    CUSTOMS_CODE_KIND: _("a customs code"),
    PHONE_KIND: _("a phone number"),
    EMAIL_KIND: _("an e-mail address"),
}
QUOTED_FINDINGS = 3


def personal_data_refusal(
    text: str, *, enterprise_names: Iterable[str] = (), person_names: Iterable[str] = ()
) -> str | None:
    """Why `text` may not be published (the kinds of personal data left in it and the first
    pieces as written, so the person can find them), or None when nothing personal is left."""
    findings = personal_data_spans(text, enterprise_names=enterprise_names, person_names=person_names)
    if not findings:
        return None
    kinds = [kind for kind in KINDS if any(f.kind == kind for f in findings)]
    quoted = "、".join(f"“{text[f.start : f.end]}”" for f in findings[:QUOTED_FINDINGS])
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return str(_("The text still contains personal data (%(kinds)s: %(found)s): remove it before publishing.")) % {
        "kinds": separator.join(str(PERSONAL_DATA_LABELS[k]) for k in kinds),
        "found": quoted,
    }
