"""Working days with Chinese public holidays and make-up workdays (调休)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from shared.workdays import add_working_days, is_workday


@pytest.mark.parametrize("day", [date(2026, 10, d) for d in range(1, 8)])
def test_national_day_week_2026_is_not_worked(day: date) -> None:
    assert is_workday(day) is False


def test_a_make_up_saturday_after_national_day_2026_is_a_workday() -> None:
    assert date(2026, 10, 10).weekday() == 5
    assert is_workday(date(2026, 10, 10)) is True


def test_adding_working_days_skips_the_national_day_holiday_and_counts_the_make_up_day() -> None:
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon, 10-13 Tue
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_adding_one_working_day_on_a_friday_lands_on_monday() -> None:
    assert add_working_days(date(2026, 6, 5), 1) == date(2026, 6, 8)


def test_the_start_day_itself_is_not_counted() -> None:
    assert add_working_days(date(2026, 6, 8), 0) == date(2026, 6, 8)
    assert add_working_days(date(2026, 6, 8), 1) == date(2026, 6, 9)


def test_a_year_without_holiday_data_falls_back_to_monday_to_friday() -> None:
    start = date(2031, 1, 3)  # a Friday
    assert add_working_days(start, 1) == date(2031, 1, 6)
    assert add_working_days(start, 5) == date(2031, 1, 10)
    week = [start + timedelta(days=n) for n in range(7)]
    assert [is_workday(d) for d in week] == [d.weekday() < 5 for d in week]


def test_a_year_without_holiday_data_logs_a_warning() -> None:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("shared.workdays")
    logger.addHandler(handler)
    try:
        is_workday(date(2035, 3, 14))
    finally:
        logger.removeHandler(handler)
    assert any(r.levelno == logging.WARNING and "2035" in r.getMessage() for r in records)
