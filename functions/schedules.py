"""Scheduled functions (EventBridge): expiry reminders, rating invites, the notice sweeper."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalice import Blueprint, Cron, Rate

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


@bp.schedule(Cron(0, 2, "*", "*", "?", "*"), name="rating_invites")
def rating_invites(event: Any) -> dict[str, int]:
    """Invite ratings for applications finished 3 days ago (10:00 in Asia/Shanghai)."""
    return services().invites.run(_when(event))


@bp.schedule(Rate(5, unit=Rate.MINUTES), name="notice_sweeper")
def notice_sweeper(event: Any) -> dict[str, int]:
    """Queue notices whose first queueing failed (so no recorded notice goes untried)."""
    return {"queued": services().notices.sweep(int(_when(event).timestamp()))}


@bp.schedule(Cron(0, 0, "*", "*", "?", "*"), name="supervision")
def supervision(event: Any) -> dict[str, int]:
    """Flag overdue complaints and rectification cases (督办) at 08:00 China time."""
    return services().supervision.run(_when(event))
