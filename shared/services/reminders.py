"""Expiry reminders (到期提醒): one daily run finds licences reaching a threshold through the
expiry-date index (no scan), and writes and queues the reminders in batches.

Each threshold is sent once per licence and expiry date: the repository reads a day's licences
together with the reminders already stored beside them (one index query), so a re-run or a late
run writes nothing twice. When several
thresholds passed since the last run, only the nearest one is sent (docs/contract.md); a strongly
consistent read of the reminder ids guards against an index that has not caught up. The notices
go through the outbox like every other message (a lost queueing is the sweeper's).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta

from shared.contract.domain_events import LicenceExpiring
from shared.services.notices import NoticeService
from shared.storage.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

DEFAULT_THRESHOLDS = (30, 7, 1)


def reminder_id(licence_id: str, expires_on: str, threshold: int) -> str:
    """The notice id of one reminder: the same licence, expiry and threshold give the same id."""
    return hashlib.sha256(f"{licence_id}|{expires_on}|{threshold}".encode()).hexdigest()[:32]


class ReminderService:
    """Finds due licences and enqueues their reminders."""

    def __init__(self, uow: UnitOfWorkFactory, outbox: NoticeService,
                 thresholds: dict[str, tuple[int, ...]] | None = None):
        self.uow, self.outbox = uow, outbox
        self.thresholds = thresholds or {}

    def _thresholds(self, kind: str) -> tuple[int, ...]:
        return tuple(sorted(self.thresholds.get(kind, DEFAULT_THRESHOLDS), reverse=True))

    def run(self, now: datetime) -> dict[str, int]:
        """Enqueue every reminder due as of ``now``; returns counts."""
        today = now.date()
        horizon = max([*DEFAULT_THRESHOLDS, *(t for ts in self.thresholds.values() for t in ts)])
        events: list[LicenceExpiring] = []
        for offset in range(horizon + 1):
            expires = today + timedelta(days=offset)
            events.extend(self._due_on(expires, offset))
        due = self.outbox.owed_by(self._unwritten(events))
        self.outbox.write(due)
        log.info("expiry reminders queued", extra={"count": len(due)})
        return {"queued": len(due)}

    def _due_on(self, expires: date, days_left: int) -> list[LicenceExpiring]:
        reads = self.uow()
        licences, sent = reads.licences.expiring_on(expires)
        out = []
        for lic, holder in licences:
            passed = [t for t in self._thresholds(lic.kind) if days_left <= t]
            if not passed:
                continue
            nearest = min(passed)
            if (lic.licence_id, nearest) in sent:
                continue
            citizen = holder or reads.citizens.id_of(lic.id_hash)
            if citizen is None:
                continue  # its holder has not bound yet: nobody to remind
            out.append(LicenceExpiring(
                reminder_id=reminder_id(lic.licence_id, expires.isoformat(), nearest), licence_id=lic.licence_id,
                citizen_id=citizen, kind=lic.kind, expires_on=expires.isoformat(), days_left=days_left,
                threshold=nearest))
        return out

    def _unwritten(self, events: list[LicenceExpiring]) -> list[LicenceExpiring]:
        """Drop reminders already stored: the index read above may lag a run that just wrote them, and a
        rewrite would reset a delivered reminder to pending (sent twice). Strongly consistent."""
        stored = self.uow().notices.existing([e.reminder_id for e in events])
        return [e for e in events if e.reminder_id not in stored]
