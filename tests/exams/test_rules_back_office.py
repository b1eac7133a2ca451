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


def test_every_exam_problem_in_the_order_of_the_form():
    bad = draft(
        blueprint_cells=0,
        blueprint_audience="validator",
        duration_minutes=0,
        pass_mark=Decimal("0"),
        blueprint_points=Decimal("12.50"),
        closes_at=NOW - timedelta(days=1),
        online=True,
        review_options=None,
        in_use=True,
        audience_or_blueprint_changed=True,
        sittings_outside=["机房一 12-01 09:00", "机房二 12-02 14:00"],
    )
    assert rules.exam_problems(bad) == [
        ("blueprint", "This blueprint has no cells yet: add its areas and numbers of questions first."),
        ("blueprint", "This blueprint draws from a question bank for another audience."),
        ("duration_minutes", "The exam lasts at least one minute."),
        (
            "pass_mark",
            "The pass mark is a percentage of the paper's total (12.5 points): give a number above 0 and at most 100.",
        ),
        ("closes_at", "The exam must close after it opens."),
        ("review_options", "Unknown review options."),
        ("blueprint", "Tickets or attempts of this exam exist: its audience and blueprint can no longer change."),
        ("opens_at", "These sittings would fall outside the exam's window: 机房一 12-01 09:00; 机房二 12-02 14:00."),
    ]


def test_an_online_exam_without_a_window_is_told_to_give_both_times():
    assert rules.exam_problems(draft(online=True, opens_at=None, closes_at=None)) == [
        ("closes_at", "An online exam is taken inside its window: give both its opening and closing time.")
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"blueprint_audience": None, "blueprint_cells": 0},  # no blueprint chosen yet
        {"blueprint_cells": 1},
        {"duration_minutes": 1},
        {"duration_minutes": None},
        {"pass_mark": Decimal("0.01")},
        {"pass_mark": None},
        {"closes_at": NOW + timedelta(seconds=1)},
        {"opens_at": None},
        {"closes_at": None},
        {"review_options": {}},
        {"review_options": {"after_submit": ("own_answers", "score"), "after_close": list(rules.REVIEW_ITEMS)}},
        {"in_use": True},
    ],
)
def test_exam_settings_at_their_limits_are_fine(changes):
    assert rules.exam_problems(draft(**changes)) == []


@pytest.mark.parametrize(
    "options",
    [{"during": "key"}, {"during": ["key"], "after_close": ["key", "answers"]}, {"during": {"key": True}}, "during"],
)
def test_review_options_must_be_lists_of_known_items_per_known_phase(options):
    assert rules.exam_problems(draft(review_options=options)) == [("review_options", "Unknown review options.")]


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("100.00"), "100"), (Decimal("0.50"), "0.5"), (Decimal("7"), "7"), (None, "0"), (Decimal("2.05"), "2.05")],
)
def test_points_text_drops_only_trailing_zeros(value, text):
    assert rules.points_text(value) == text


def test_a_sitting_that_ends_before_it_starts_is_told_only_that():
    assert sitting(start_hours=-5, length_hours=0, duration=600) == [
        ("ends_at", "The sitting must end after it starts.")
    ]


def test_every_sitting_problem_says_what_to_do():
    assert sitting(start_hours=-1, length_hours=1, opens=NOW) == [
        ("starts_at", "This time has passed: a sitting starts in the future."),
        ("ends_at", "The sitting is shorter than the exam (90 minutes): end it later."),
        ("starts_at", "The sitting must lie inside the exam's window."),
    ]


def test_a_sitting_may_start_now_last_exactly_the_exam_and_touch_the_window():
    assert sitting(start_hours=0, length_hours=1.5) == []
    starts = NOW + timedelta(hours=24)
    assert sitting(opens=starts, closes=starts + timedelta(hours=2)) == []
    assert sitting(closes=starts + timedelta(hours=2) - timedelta(seconds=1)) == [
        ("starts_at", "The sitting must lie inside the exam's window.")
    ]
    assert sitting(opens=starts + timedelta(seconds=1)) == [
        ("starts_at", "The sitting must lie inside the exam's window.")
    ]
    assert sitting(length_hours=1.5, duration=91) == [
        ("ends_at", "The sitting is shorter than the exam (91 minutes): end it later.")
    ]


def test_contact_lines_trim_separators_and_long_text():
    long = "x" * 120 + "@example.com"
    text = "  Xu@b.cn；\n\t１３８００１３８０００,\nWang Wu@example.com\n" + long + "\n;\n"
    assert rules.contact_lines(text) == [
        ContactLine(1, "Xu@b.cn", "email", "xu@b.cn"),
        ContactLine(2, "13800138000", "mobile", "+8613800138000"),
        ContactLine(3, "Wang Wu@example.com", "invalid", ""),
        ContactLine(4, long[:100], "email", long.lower()),
    ]
    assert rules.contact_lines(None) == []


def test_free_seats_count_from_one_to_the_capacity():
    assert rules.free_seats(3, []) == [1, 2, 3]
    assert rules.free_seats(0, []) == []
    assert rules.free_seats(3, iter([3, 9])) == [1, 2]


def test_a_batch_reports_each_kind_of_problem_in_order():
    result = plan(
        [
            Candidate(1, "甲", enterprise="甲公司", line=3, audience_ok=False),
            Candidate(2, "乙", enterprise="乙公司", blocked=True),
            Candidate(3, "丙", enterprise="丙公司", blocked=True),
            Candidate(4, "丁", enterprise="乙公司", blocked=True),
            Candidate(5, "戊"),
            Candidate(6, "己"),
        ],
        bad_lines=[ContactLine(1, "x", "invalid", ""), ContactLine(2, "y", "invalid", "")],
        unknown_lines=[ContactLine(4, "z@example.com", "email", "z@example.com")],
        capacity=1,
        ended=True,
    )
    assert result == rules.TicketPlan(
        seats=(),
        skipped=(),
        problems=(
            "This sitting has ended: tickets can no longer be issued.",
            "Line 1: “x” is neither an e-mail address nor a mainland mobile number.",
            "Line 2: “y” is neither an e-mail address nor a mainland mobile number.",
            "Line 4: nobody with “z@example.com” is registered in your district.",
            "Line 3: 甲（甲公司） is not among the exam's candidates (企业认证人员).",
            "The cultivation of 乙公司 is suspended or terminated; its staff cannot sit the exam: 乙、丁.",
            "The cultivation of 丙公司 is suspended or terminated; its staff cannot sit the exam: 丙.",
            "Only 1 seats are left in this room and 2 candidates need one: choose fewer candidates or another sitting.",
        ),
        seats_left=1,
    )
    assert not result.ok


def test_a_candidate_outside_the_audience_without_a_line_is_named_alone():
    result = plan([Candidate(1, "甲", audience_ok=False), *people(2)])
    assert result.problems == ("甲 is not among the exam's candidates (企业认证人员).",)
    assert result.seats == () and result.seats_left == 5


def test_someone_listed_twice_is_skipped_before_any_other_check():
    result = plan(
        [
            Candidate(1, "甲", audience_ok=False),
            Candidate(1, "甲", line=7, audience_ok=False),
            Candidate(2, "乙"),
            Candidate(3, "丙", line=2),
            Candidate(2, "乙"),
            Candidate(3, "丙", line=9),
        ]
    )
    assert result.problems == ("甲 is not among the exam's candidates (企业认证人员).",)
    assert result.skipped == (
        "Line 7: 甲 is listed twice (also line —).",
        "乙 is listed twice (also line —).",
        "Line 9: 丙 is listed twice (also line 2).",
    )


def test_a_blocked_holder_is_reported_as_blocked_and_a_holder_on_a_line_says_so():
    result = plan([Candidate(1, "甲", enterprise="甲公司", blocked=True)], holders={1: 4})
    assert result.problems == (
        "The cultivation of 甲公司 is suspended or terminated; its staff cannot sit the exam: 甲.",
    )
    assert result.skipped == ()
    held = plan([Candidate(1, "甲", line=2), *people(2)], holders={1: 4}, taken=[4])
    assert held.skipped == ("Line 2: 甲 already has a ticket for this sitting (seat 4).",)
    assert held.seats == ((2, 1),) and held.ok and held.seats_left == 4


def test_exactly_as_many_candidates_as_free_seats_fill_the_room():
    result = plan(people(1, 2, 3), capacity=3)
    assert result.seats == ((1, 1), (2, 2), (3, 3)) and result.problems == () and result.ok
