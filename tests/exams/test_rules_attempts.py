"""Attempt rules (exams/rules.py): one server clock with extra and paused time, states,
save refusals and sequence numbers, retakes, review options by phase (issue 14 points 1, 4-7)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from exams import rules

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("duration", "extra", "paused", "ends_at", "expected"),
    [
        (90 * M, 0 * M, 0 * M, None, T0 + 90 * M),
        (90 * M, 15 * M, 0 * M, None, T0 + 105 * M),
        (90 * M, 15 * M, 5 * M, None, T0 + 110 * M),
        # a late start is capped by the sitting's end ...
        (90 * M, 0 * M, 0 * M, T0 + 60 * M, T0 + 60 * M),
        # ... extended by the same extra and paused time
        (90 * M, 10 * M, 5 * M, T0 + 60 * M, T0 + 75 * M),
        (30 * M, 0 * M, 0 * M, T0 + 60 * M, T0 + 30 * M),
    ],
)
def test_deadline(duration, extra, paused, ends_at, expected):
    assert (
        rules.attempt_deadline(started_at=T0, duration=duration, extra=extra, paused=paused, ends_at=ends_at)
        == expected
    )


@pytest.mark.parametrize(
    ("state", "paused_at", "now", "shown", "left"),
    [
        ("in_progress", None, T0 - M, "in_progress", 60),
        ("in_progress", None, T0 + M, "overdue", 0),
        ("in_progress", T0 - 2 * M, T0 + M, "in_progress", 120),  # paused: the deadline moves on
        ("submitted", None, T0 + M, "submitted", 0),
        ("voided", None, T0 - M, "voided", 60),
    ],
)
def test_state_and_time_left(state, paused_at, now, shown, left):
    assert rules.attempt_state(state, deadline=T0, paused_at=paused_at, now=now) == shown
    assert rules.remaining_seconds(T0, paused_at=paused_at, now=now) == left


GRACE = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("state", "paused_at", "now", "refused"),
    [
        ("in_progress", None, T0 - M, False),
        ("in_progress", None, T0 + timedelta(seconds=29), False),  # within the grace
        ("in_progress", None, T0 + timedelta(seconds=31), True),
        ("in_progress", T0 - M, T0 - M, True),
        ("submitted", None, T0 - M, True),
        ("marking", None, T0 - M, True),
        ("voided", None, T0 - M, True),
    ],
)
def test_save_refusal(state, paused_at, now, refused):
    result = rules.save_refusal(state, deadline=T0, paused_at=paused_at, now=now, grace=GRACE)
    assert (result is not None) == refused
    if result:
        assert result.status == 409 and result.message


@pytest.mark.parametrize(
    ("stored", "incoming", "wins"), [(None, 1, True), (1, 2, True), (2, 2, False), (5, 3, False), (0, 1, True)]
)
def test_sequence_numbers(stored, incoming, wins):
    assert rules.save_wins(stored, incoming) is wins


MC = {"qtype": "multichoice", "single": True, "options": [{"text": "a"}, {"text": "b"}]}
MULTI = {**MC, "single": False}


@pytest.mark.parametrize(
    ("content", "response", "ok"),
    [
        (MC, 1, True),
        (MC, [0], True),
        (MC, 2, False),
        (MC, -1, False),
        (MC, [0, 1], False),
        (MC, True, False),
        (MULTI, [0, 1], True),
        (MULTI, [0, 5], False),
        ({"qtype": "truefalse", "options": [{}, {}]}, False, True),
        ({"qtype": "truefalse", "options": [{}, {}]}, "yes", False),
        ({"qtype": "shortanswer", "options": []}, "AEO", True),
        ({"qtype": "essay", "options": []}, 3, False),
        ({"qtype": "essay", "options": []}, "x" * 20001, False),
        (MC, None, True),
    ],
)
def test_response_errors(content, response, ok):
    assert (rules.response_error(content, response) is None) is ok


H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "allowed", "finished", "wait", "online", "checked_in", "reason"),
    [
        (T0, 1, [], 0 * H, True, False, None),
        (T0 - 2 * H, 1, [], 0 * H, True, False, "not opened"),
        (T0 + 100 * H, 1, [], 0 * H, True, False, "closed"),
        (T0, 1, [], 0 * H, False, False, "Check in"),
        (T0, 1, [], 0 * H, False, True, None),
        (T0, 1, [T0 - H], 0 * H, True, False, "every attempt"),
        (T0, 2, [T0 - H], 24 * H, True, False, "retake"),
        (T0, 2, [T0 - 25 * H], 24 * H, True, False, None),
        (T0, 0, [T0 - 3 * H] * 5, 1 * H, True, False, None),  # 0: unlimited
    ],
)
def test_start_refusal(now, allowed, finished, wait, online, checked_in, reason):
    result = rules.start_refusal(
        now=now,
        opens_at=T0 - H,
        closes_at=T0 + 48 * H,
        attempts_allowed=allowed,
        finished=finished,
        retake_wait=wait,
        online=online,
        checked_in=checked_in,
    )
    assert (result is None) if reason is None else (reason in result)


OPTIONS = {
    "during": ["own_answers", "key"],
    "after_submit": ["own_answers", "score"],
    "after_close": list(rules.REVIEW_ITEMS),
}


@pytest.mark.parametrize(
    ("submitted", "now", "released", "visible"),
    [
        (False, T0, True, {"own_answers", "key"}),
        (False, T0, False, {"own_answers"}),  # never the key before release, whatever the options say
        (True, T0, False, {"own_answers"}),
        (True, T0, True, {"own_answers", "score"}),
        (True, T0 + 2 * H, False, {"own_answers"}),
        (True, T0 + 2 * H, True, set(rules.REVIEW_ITEMS)),
    ],
)
def test_review_by_phase(submitted, now, released, visible):
    phase = rules.review_phase(submitted=submitted, closes_at=T0 + H, now=now)
    assert rules.review_visible(OPTIONS, phase=phase, released=released) == visible


@pytest.mark.parametrize(
    ("score", "maximum", "mark", "passed"),
    [("60", "100", "60", True), ("59.99", "100", "60", False), ("3", "5", "60", True), ("0", "0", "60", False)],
)
def test_pass_mark(score, maximum, mark, passed):
    assert rules.exam_passed(Decimal(score), Decimal(maximum), Decimal(mark)) is passed


def test_auto_submitted_attempt_finishes_at_its_deadline():
    assert rules.submitted_at(now=T0 + 50 * timedelta(seconds=1), deadline=T0) == T0
    assert rules.submitted_at(now=T0 - M, deadline=T0) == T0 - M


def test_ticket_codes_have_no_look_alikes():
    import secrets

    codes = {rules.ticket_code(secrets.randbelow) for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and not set(c) & set("0O1IL2Z5S8BUVQDJ") for c in codes)
    assert rules.normalise_ticket(" ｃ4ｘ7-9 ") == "C4X79"


@pytest.mark.parametrize(
    ("address", "networks", "ok"),
    [
        ("10.1.2.3", "", True),
        ("10.1.2.3", "10.1.0.0/16", True),
        ("10.2.2.3", "10.1.0.0/16\n192.168.5.0/24", False),
        ("192.168.5.9", "10.1.0.0/16, 192.168.5.0/24", True),
        ("not-an-ip", "10.1.0.0/16", False),
        ("10.1.2.3", "garbage\n10.1.0.0/16", True),
    ],
)
def test_allowed_addresses(address, networks, ok):
    assert rules.address_allowed(address, networks) is ok


@pytest.mark.parametrize(
    ("now", "matches", "revoked", "address_ok", "blocked", "reason"),
    [
        (T0, True, False, True, False, None),
        (T0 - 29 * M, True, False, True, False, None),
        (T0 - 31 * M, True, False, True, False, "during the sitting"),
        (T0 + 120 * M, True, False, True, False, "during the sitting"),
        (T0, False, False, True, False, "not right"),
        (T0, True, True, True, False, "revoked"),
        (T0, True, False, False, False, "exam room"),
        (T0, True, False, True, True, "suspended"),
    ],
)
def test_checkin_refusal(now, matches, revoked, address_ok, blocked, reason):
    result = rules.checkin_refusal(
        now=now,
        starts_at=T0,
        ends_at=T0 + 120 * M,
        ticket_matches=matches,
        ticket_revoked=revoked,
        address_ok=address_ok,
        cultivation_blocked=blocked,
    )
    assert (result is None) if reason is None else (reason in result)


def test_a_deadline_is_capped_by_the_sitting_s_end_only_when_that_comes_first():
    assert rules.attempt_deadline(started_at=T0, duration=90 * M) == T0 + 90 * M
    assert rules.attempt_deadline(started_at=T0, duration=90 * M, ends_at=T0 + 90 * M) == T0 + 90 * M
    assert rules.attempt_deadline(started_at=T0, duration=90 * M, paused=3 * M, ends_at=T0 + 91 * M) == T0 + 93 * M
    assert rules.attempt_deadline(started_at=T0, duration=90 * M, extra=2 * M, ends_at=T0 + 89 * M) == T0 + 91 * M


def test_a_paused_attempt_s_deadline_moves_on_with_the_pause():
    assert rules.effective_deadline(T0, paused_at=T0 - 5 * M, now=T0 - 2 * M) == T0 + 3 * M
    assert rules.effective_deadline(T0, paused_at=T0 - 5 * M, now=T0 - 5 * M) == T0
    assert rules.effective_deadline(T0, paused_at=T0 - 5 * M, now=T0 - 6 * M) == T0
    assert rules.effective_deadline(T0, paused_at=None, now=T0 + 6 * M) == T0


def test_overdue_only_once_past_the_deadline_and_never_while_paused():
    assert rules.attempt_state("in_progress", deadline=T0, paused_at=None, now=T0) == "in_progress"
    assert rules.attempt_state("in_progress", deadline=T0, paused_at=None, now=T0 + timedelta(seconds=1)) == "overdue"
    assert rules.attempt_state("in_progress", deadline=T0, paused_at=T0 - M, now=T0 + H) == "in_progress"
    assert rules.attempt_state("marking", deadline=T0, paused_at=None, now=T0 + H) == "marking"


def test_time_left_is_whole_seconds_rounded_down():
    assert rules.remaining_seconds(T0, paused_at=None, now=T0 - timedelta(seconds=59.9)) == 59
    assert rules.remaining_seconds(T0, paused_at=None, now=T0 - timedelta(seconds=1.5)) == 1
    assert rules.remaining_seconds(T0, paused_at=None, now=T0) == 0
    assert rules.remaining_seconds(T0, paused_at=None, now=T0 + H) == 0


@pytest.mark.parametrize(
    ("state", "paused_at", "now", "message"),
    [
        ("submitted", None, T0 - M, "This attempt is closed; the answer was not saved."),
        ("in_progress", T0 - M, T0 - M, "The invigilator has paused this attempt; try again when it resumes."),
        ("in_progress", None, T0 + timedelta(seconds=31), "Time is up; answers can no longer be saved."),
        ("in_progress", None, T0 + timedelta(seconds=30), None),  # the last second of the grace
    ],
)
def test_save_refusal_says_why(state, paused_at, now, message):
    result = rules.save_refusal(state, deadline=T0, paused_at=paused_at, now=now, grace=GRACE)
    assert result == (None if message is None else rules.SaveRefused(409, message))


@pytest.mark.parametrize(
    ("content", "response", "message"),
    [
        (MC, 2, "That option does not exist."),
        (MC, [0, True], "That option does not exist."),
        (MC, "0", "That option does not exist."),
        (MC, [1, 0], "Choose one option only."),
        ({"qtype": "multichoice", "options": [{}, {}]}, [0, 1], "Choose one option only."),
        ({"qtype": "multichoice"}, 0, "That option does not exist."),
        (MULTI, [], None),
        (MULTI, [1, 0], None),
        ({"qtype": "truefalse"}, "true", "Answer true or false."),
        ({"qtype": "truefalse"}, True, None),
        ({"qtype": "shortanswer"}, ["AEO"], "Answer with text of at most 20,000 characters."),
        ({"qtype": "essay"}, "x" * 20000, None),
        ({"qtype": "essay"}, "x" * 20001, "Answer with text of at most 20,000 characters."),
        ({"qtype": "essay"}, None, None),
    ],
)
def test_response_errors_say_what_is_wrong(content, response, message):
    assert rules.response_error(content, response) == message


def start(now=T0, allowed=2, finished=(), wait=0 * H, online=True, checked_in=False, opens=T0 - H, closes=T0 + H):
    return rules.start_refusal(
        now=now,
        opens_at=opens,
        closes_at=closes,
        attempts_allowed=allowed,
        finished=list(finished),
        retake_wait=wait,
        online=online,
        checked_in=checked_in,
    )


def test_start_refusals_say_why():
    assert start(now=T0 - H - timedelta(seconds=1)) == "The exam has not opened yet."
    assert start(now=T0 - H) is None
    assert start(now=T0 + H) == "The exam is closed."
    assert start(now=T0 + H - timedelta(seconds=1)) is None
    assert start(opens=None, closes=None, now=T0 + 1000 * H) is None
    assert start(online=False) == "Check in at the sitting with your ticket first."
    assert start(allowed=2, finished=[T0 - 3 * H, T0 - 2 * H]) == "You have used every attempt this exam allows."
    assert start(allowed=3, finished=[T0 - 3 * H, T0 - 2 * H]) is None


def test_a_retake_waits_from_the_last_attempt_and_says_when():
    finished = [T0 - 2 * H, T0 - 30 * M, T0 - 3 * H]
    assert start(finished=finished, allowed=5, wait=H) == "A retake is possible from 2026-12-01T01:30:00+00:00."
    assert start(finished=finished, allowed=5, wait=30 * M) is None


def test_review_phase_changes_when_the_exam_closes():
    assert rules.review_phase(submitted=True, closes_at=T0, now=T0) == "after_close"
    assert rules.review_phase(submitted=True, closes_at=T0, now=T0 - timedelta(seconds=1)) == "after_submit"
    assert rules.review_phase(submitted=True, closes_at=None, now=T0) == "after_submit"
    assert rules.review_phase(submitted=False, closes_at=T0 - H, now=T0) == "during"


def test_review_shows_only_known_items_of_the_phase():
    options = {"after_close": ["key", "everything", "own_answers"], "during": None}
    assert rules.review_visible(options, phase="after_close", released=True) == {"key", "own_answers"}
    assert rules.review_visible(options, phase="during", released=True) == frozenset()
    assert rules.review_visible(options, phase="after_submit", released=True) == frozenset()


@pytest.mark.parametrize(
    ("score", "maximum", "percent"),
    [
        ("1", "8", "12.50"),
        ("1", "800", "0.13"),
        ("2", "3", "66.67"),
        ("5", "0", "0"),
        ("5", "-1", "0"),
        ("1", "1", "100.00"),
        ("0.5", "0.5", "100.00"),
        ("3", "3", "100.00"),
    ],
)
def test_grade_percent_to_hundredths_rounded_half_up(score, maximum, percent):
    assert rules.grade_percent(Decimal(score), Decimal(maximum)) == Decimal(percent)


def test_the_pass_mark_is_reached_at_exactly_the_percentage():
    assert rules.exam_passed(Decimal("2"), Decimal("3"), Decimal("66.67"))
    assert not rules.exam_passed(Decimal("2"), Decimal("3"), Decimal("66.68"))


def test_ticket_codes_take_eight_characters_of_the_alphabet():
    assert rules.ticket_code(lambda n: 0) == "33333333"
    assert rules.ticket_code(lambda n: n - 1) == "YYYYYYYY"
    picks = iter(range(8))
    assert rules.ticket_code(lambda n: next(picks)) == "34679ACE"
    sizes = []
    rules.ticket_code(lambda n: sizes.append(n) or 0)
    assert sizes == [20] * 8


def test_typed_tickets_lose_spaces_and_dashes_of_any_width():
    assert rules.normalise_ticket("c4x7\t9－ac") == "C4X79AC"
    assert rules.normalise_ticket(None) == ""
    assert rules.normalise_ticket("a_b") == "A_B"


def test_no_networks_allow_any_address():
    assert rules.address_allowed("10.1.2.3", None)
    assert not rules.address_allowed("10.1.2.3", "192.168.0.0/16")


@pytest.mark.parametrize(
    ("now", "matches", "revoked", "address_ok", "blocked", "message"),
    [
        (T0, False, True, False, True, "That ticket code is not right for this sitting."),
        (T0, True, True, False, True, "This ticket has been revoked; ask the officer for a new one."),
        (T0 - 30 * M, True, False, True, False, None),
        (T0 - 30 * M - timedelta(seconds=1), True, False, False, True, "Check-in is only possible during the sitting."),
        (T0 + 120 * M, True, False, True, False, "Check-in is only possible during the sitting."),
        (T0 + 119 * M, True, False, True, False, None),
        (T0, True, False, False, True, "Check in from a computer of the exam room."),
        (
            T0,
            True,
            False,
            True,
            True,
            "Your enterprise's cultivation is suspended or terminated; you cannot sit the exam.",
        ),
    ],
)
def test_checkin_refusal_says_why(now, matches, revoked, address_ok, blocked, message):
    result = rules.checkin_refusal(
        now=now,
        starts_at=T0,
        ends_at=T0 + 120 * M,
        ticket_matches=matches,
        ticket_revoked=revoked,
        address_ok=address_ok,
        cultivation_blocked=blocked,
    )
    assert result == message
