"""Quiet-hour arithmetic across midnight."""

from __future__ import annotations

from datetime import datetime

import pytest

from shared.clock import CST
from shared.quiet_hours import parse, seconds_left


@pytest.mark.parametrize(("hour", "minute", "left"), [
    (21, 59, 0), (22, 0, 10 * 3600), (23, 30, 8.5 * 3600), (0, 0, 8 * 3600), (7, 59, 60), (8, 0, 0), (12, 0, 0)])
def test_a_window_across_midnight(hour: int, minute: int, left: float) -> None:
    assert seconds_left("22:00-08:00", datetime(2026, 9, 28, hour, minute, tzinfo=CST)) == left


def test_a_window_within_one_day() -> None:
    assert seconds_left("12:00-14:00", datetime(2026, 9, 28, 13, 0, tzinfo=CST)) == 3600
    assert seconds_left("12:00-14:00", datetime(2026, 9, 28, 14, 0, tzinfo=CST)) == 0


def test_empty_means_no_quiet_hours() -> None:
    assert parse("") is None
    assert seconds_left("", datetime(2026, 9, 28, 23, 0, tzinfo=CST)) == 0


@pytest.mark.parametrize("spec", ["25:00-08:00", "08:00-08:00", "nonsense"])
def test_bad_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse(spec)
