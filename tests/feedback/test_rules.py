"""Appraisal rules: the shares a dashboard prints."""

from feedback import rules


def test_share_is_part_over_whole_and_none_without_a_whole():
    assert rules.share(1, 4) == 0.25
    assert rules.share(0, 3) == 0.0
    assert rules.share(3, 0) is None
