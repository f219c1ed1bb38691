"""Scheduled functions (EventBridge): daily expiry reminders at 09:00 China time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalice import Blueprint, Cron

from functions.bootstrap import services

bp = Blueprint(__name__)


def _when(event: Any) -> datetime:
    """The run's time: the event's ``time`` (``POST /local/run/{name} {"now"}`` sets it)."""
    from shared.clock import CST

    stamp = event.to_dict().get("time")
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(CST) if stamp else services().clock.now()


@bp.schedule(Cron(0, 1, "*", "*", "?", "*"), name="expiry_reminders")
def expiry_reminders(event: Any) -> dict[str, int]:
    """Queue the expiry reminders due today (01:00 UTC is 09:00 in Asia/Shanghai)."""
    return services().reminders.run(_when(event))
