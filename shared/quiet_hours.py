"""SMS quiet hours (``MINQING_SMS_QUIET_HOURS``, e.g. ``22:00-08:00`` China time; empty = none)."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.clock import CST


def parse(spec: str) -> tuple[int, int] | None:
    """``(start, end)`` in minutes after midnight, or None when quiet hours are off."""
    if not spec.strip():
        return None
    start, end = (part.strip() for part in spec.split("-"))
    minutes = [int(t.split(":")[0]) * 60 + int(t.split(":")[1]) for t in (start, end)]
    if not all(0 <= m < 24 * 60 for m in minutes) or minutes[0] == minutes[1]:
        raise ValueError(f"bad quiet hours {spec!r}")
    return minutes[0], minutes[1]


def seconds_left(spec: str, now: datetime) -> int:
    """Seconds until the quiet window ends, or 0 when ``now`` is outside it."""
    window = parse(spec)
    if window is None:
        return 0
    start, end = window
    local = now.astimezone(CST)
    minute = local.hour * 60 + local.minute
    inside = (start <= minute < end) if start < end else (minute >= start or minute < end)
    if not inside:
        return 0
    end_at = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if end_at <= local:
        end_at += timedelta(days=1)
    return int((end_at - local).total_seconds())
