"""Working days (工作日) with Chinese public holidays and make-up workdays (调休).

Uses chinese-calendar, which carries the State Council's yearly schedule; for a year it
does not know yet, falls back to Monday–Friday and logs a warning once per year.
https://github.com/LKI/chinese-calendar
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import lru_cache

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """True when government offices work on ``day`` (调休 Saturdays included)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        _warn_unknown_year(day.year)
        return day.weekday() < 5


@lru_cache(maxsize=64)
def _warn_unknown_year(year: int) -> None:
    log.warning("holiday calendar has no data for %s; counting Monday-Friday only", year)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current
