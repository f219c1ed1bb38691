"""Time in the county's zone (China Standard Time, UTC+8, no daylight saving)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol

CST = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    """Tells the time; tests pass a fixed or moving one."""

    def now(self) -> datetime:
        """The current aware datetime in CST."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current aware datetime in CST, to the second."""
        return datetime.now(CST).replace(microsecond=0)


class FixedClock:
    """A clock that says what it is told (tests, ``{"now": …}`` schedule runs)."""

    def __init__(self, at: datetime):
        self.at = at.astimezone(CST)

    def now(self) -> datetime:
        """The set time."""
        return self.at

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.at += timedelta(**delta)


def epoch_seconds(value: object) -> int | None:
    """Unix seconds from a header, a query or a token claim: a non-negative integer of at most 12 ASCII
    digits (``'¹'`` or 5,000 digits are not a time), or None. The one place external timestamps are read."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 10**12 else None
    if isinstance(value, str) and 0 < len(value) <= 12 and value.isascii() and value.isdigit():
        return int(value)
    return None
