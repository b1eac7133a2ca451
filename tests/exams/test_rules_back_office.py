"""The back office's rules (issue 14 points 1-2), table-driven: an exam's settings, a sitting's
time, pasted candidate lists, and seats for a batch of tickets (all or none)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from exams import rules
from exams.rules import Candidate, ContactLine, ExamDraft

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def draft(**changes) -> ExamDraft:
    fields = {
        "audience": "enterprise",
        "blueprint_audience": "enterprise",
        "blueprint_cells": 3,
        "blueprint_points": Decimal("40.00"),
        "duration_minutes": 90,
        "pass_mark": Decimal("60"),
        "attempts_allowed": 1,
        "opens_at": NOW,
        "closes_at": NOW + timedelta(days=30),
        "online": False,
        "review_options": {"during": ["own_answers"], "after_close": ["key", "score"]},
    }
    return ExamDraft(**{**fields, **changes})


def test_a_sound_exam_has_no_problems():
    assert rules.exam_problems(draft()) == []
    assert rules.exam_problems(draft(online=True)) == []
    assert rules.exam_problems(draft(opens_at=None, closes_at=None)) == []  # in sittings: no window needed


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"blueprint_cells": 0}, "blueprint", "no cells"),
        ({"blueprint_audience": "validator"}, "blueprint", "another audience"),
        ({"duration_minutes": 0}, "duration_minutes", "at least one minute"),
        ({"pass_mark": Decimal("0")}, "pass_mark", "(40 points)"),
        ({"pass_mark": Decimal("100.01")}, "pass_mark", "at most 100"),
        ({"closes_at": NOW}, "closes_at", "close after it opens"),
        ({"closes_at": NOW - timedelta(hours=1)}, "closes_at", "close after it opens"),
        ({"online": True, "closes_at": None}, "closes_at", "online exam"),
        ({"online": True, "opens_at": None}, "closes_at", "online exam"),
        ({"review_options": {"during": ["everything"]}}, "review_options", "Unknown"),
        ({"review_options": {"whenever": ["key"]}}, "review_options", "Unknown"),
        ({"review_options": ["key"]}, "review_options", "Unknown"),
        ({"in_use": True, "audience_or_blueprint_changed": True}, "blueprint", "can no longer change"),
        ({"sittings_outside": ["机房 2026-12-31 09:00"]}, "opens_at", "机房 2026-12-31 09:00"),
    ],
)
def test_exam_problems_name_the_field_and_say_what_to_do(changes, field, words):
    problems = rules.exam_problems(draft(**changes))
    assert [f for f, _m in problems] == [field]
    assert words in problems[0][1]


def test_pass_mark_of_100_and_changes_before_use_are_fine():
    assert rules.exam_problems(draft(pass_mark=Decimal("100"))) == []
    assert rules.exam_problems(draft(in_use=False, audience_or_blueprint_changed=True)) == []


@pytest.mark.parametrize("value, text", [(Decimal("10.00"), "10"), (Decimal("12.50"), "12.5"), (Decimal("0"), "0")])
def test_points_are_written_as_people_write_them(value, text):
    assert rules.points_text(value) == text


def sitting(start_hours=24, length_hours=2, duration=90, opens=None, closes=None):
    starts = NOW + timedelta(hours=start_hours)
    return rules.sitting_problems(
        starts_at=starts,
        ends_at=starts + timedelta(hours=length_hours),
        now=NOW,
        duration_minutes=duration,
        opens_at=opens,
        closes_at=closes,
    )


@pytest.mark.parametrize(
    "kwargs, fields",
    [
        ({}, []),
        ({"length_hours": 0}, ["ends_at"]),
        ({"length_hours": -1}, ["ends_at"]),
        ({"start_hours": -1}, ["starts_at"]),
        ({"length_hours": 1}, ["ends_at"]),  # 60 minutes for a 90-minute exam
        ({"length_hours": 1.5}, []),
        ({"opens": NOW + timedelta(days=2)}, ["starts_at"]),
        ({"closes": NOW + timedelta(hours=25)}, ["starts_at"]),
        ({"opens": NOW, "closes": NOW + timedelta(hours=26)}, []),
    ],
)
def test_sitting_problems(kwargs, fields):
    assert [f for f, _m in sitting(**kwargs)] == fields


def test_contact_lines_read_what_people_paste():
    text = "Zhang.San@Example.COM\n\n138 0013 8000\n+86-139-0013-9000，\n１３７００１３７０００\nzhang san\n010 6512 3456\nno@tld\n"
    assert rules.contact_lines(text) == [
        ContactLine(1, "Zhang.San@Example.COM", "email", "zhang.san@example.com"),
        ContactLine(3, "138 0013 8000", "mobile", "+8613800138000"),
        ContactLine(4, "+86-139-0013-9000", "mobile", "+8613900139000"),
        ContactLine(5, "13700137000", "mobile", "+8613700137000"),
        ContactLine(6, "zhang san", "invalid", ""),
        ContactLine(7, "010 6512 3456", "invalid", ""),  # a landline
        ContactLine(8, "no@tld", "invalid", ""),
    ]
    assert rules.contact_lines("") == [] and rules.contact_lines("\n \n") == []


def test_free_seats_in_order():
    assert rules.free_seats(5, [2, 4]) == [1, 3, 5]
    assert rules.free_seats(2, [1, 2]) == []


def plan(candidates, **kwargs):
    defaults = {"holders": {}, "taken": [], "capacity": 5, "audience_label": "企业认证人员"}
    return rules.ticket_plan(candidates=candidates, **{**defaults, **kwargs})


def people(*ids, **fields):
    return [Candidate(user_id=i, name=f"考生{i}", **fields) for i in ids]


def test_seats_go_in_seat_order_skipping_taken_seats_and_holders():
    result = plan(people(11, 12, 13, 14), holders={13: 2}, taken=[2, 4])
    assert result.ok and result.problems == ()
    assert result.seats == ((11, 1), (12, 3), (14, 5))
    assert result.skipped == ("考生13 already has a ticket for this sitting (seat 2).",)
    assert result.seats_left == 3


def test_a_person_listed_twice_is_skipped_once_with_both_lines():
    result = plan([Candidate(1, "甲", line=2), Candidate(1, "甲", line=5)])
    assert result.seats == ((1, 1),)
    assert result.skipped == ("Line 5: 甲 is listed twice (also line 2).",)


def test_too_few_seats_stops_everything_and_says_how_many_are_left():
    result = plan(people(1, 2, 3), capacity=4, taken=[1, 3])
    assert result.seats == () and not result.ok
    assert result.problems == (
        "Only 2 seats are left in this room and 3 candidates need one: choose fewer candidates or another sitting.",
    )
    assert plan(people(1, 2), capacity=4, taken=[1, 3]).seats == ((1, 2), (2, 4))


def test_holders_do_not_count_against_the_seats_left():
    assert plan(people(1, 2), capacity=2, taken=[1], holders={1: 1}).seats == ((2, 2),)


def test_bad_and_unknown_lines_and_wrong_audience_stop_the_batch_with_line_numbers():
    result = plan(
        [*people(1), Candidate(2, "乙", line=4, audience_ok=False)],
        bad_lines=[ContactLine(2, "zhang san", "invalid", "")],
        unknown_lines=[ContactLine(3, "ghost@example.com", "email", "ghost@example.com")],
    )
    assert result.seats == ()
    assert result.problems == (
        "Line 2: “zhang san” is neither an e-mail address nor a mainland mobile number.",
        "Line 3: nobody with “ghost@example.com” is registered in your district.",
        "Line 4: 乙 is not among the exam's candidates (企业认证人员).",
    )


def test_staff_of_blocked_enterprises_are_named_by_enterprise():
    result = plan(
        [
            Candidate(1, "甲", enterprise="甲公司", blocked=True),
            Candidate(2, "乙", enterprise="乙公司"),
            Candidate(3, "丙", enterprise="甲公司", blocked=True),
        ]
    )
    assert result.seats == ()
    assert result.problems == (
        "The cultivation of 甲公司 is suspended or terminated; its staff cannot sit the exam: 甲、丙.",
    )


def test_an_ended_sitting_issues_nothing():
    result = plan(people(1), ended=True)
    assert result.seats == () and result.problems == ("This sitting has ended: tickets can no longer be issued.",)


def test_nobody_new_is_not_ok_but_no_problem_either():
    result = plan(people(1), holders={1: 3}, taken=[3])
    assert result.seats == () and result.problems == () and not result.ok
