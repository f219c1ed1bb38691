"""Supervision (督办): complaints not replied and rectification cases not closed by their due date
are flagged ``supervised`` (status unchanged, a timeline entry added) and the responsible
department's contact is told once per overdue item: the SMS is stored in the same transaction as
the flag and leaves through the outbox (delivered or visibly failed, never lost)."""

from __future__ import annotations

import logging
from datetime import datetime

from shared.contract.domain_events import ItemSupervised
from shared.contract.records import Complaint, RectificationCase, TimelineEntry
from shared.errors import Unavailable
from shared.services.notices import NoticeService
from shared.storage.ports import UnitOfWorkFactory, WriteConflict

log = logging.getLogger(__name__)

OPEN_COMPLAINTS = ("registered", "assigned")
OPEN_CASES = ("open", "verified", "rectified")


class Supervision:
    """Flags overdue items and notifies their department's contact."""

    def __init__(self, uow: UnitOfWorkFactory, outbox: NoticeService):
        self.uow, self.outbox = uow, outbox

    def run(self, now: datetime) -> dict[str, int]:
        """Supervise everything due before ``now``'s date."""
        flagged = 0
        reads = self.uow()
        for records, statuses, kind in ((reads.complaints, OPEN_COMPLAINTS, "complaint"),
                                        (reads.cases, OPEN_CASES, "case")):
            for status in statuses:
                for item in records.overdue(status, now.date()):
                    flagged += self._flag(item, kind, now)
        return {"supervised": flagged}

    def _flag(self, item: Complaint | RectificationCase, kind: str, now: datetime) -> int:
        if item.supervised:
            return 0
        department = item.department or "default"
        number = item.complaint_no if isinstance(item, Complaint) else item.case_id
        notices = self.outbox.owed_by([ItemSupervised(what=kind, number=number, due=str(item.due),
                                                      department=department)])
        uow = self.uow()
        records = uow.complaints if isinstance(item, Complaint) else uow.cases
        records.supervise(item, TimelineEntry(status="supervised", at=now, note=f"督办:{department} 逾期未办结"),
                          department)  # type: ignore[arg-type]
        for notice in notices:
            uow.notices.add(notice)
        try:
            uow.commit()
        except WriteConflict as exc:
            if exc.label.endswith(".supervise"):
                return 0  # another run got it first: notified once
            raise Unavailable("supervision could not be recorded; the next run catches up") from None
        self.outbox.dispatch(notices)
        log.info("supervised", extra={"number": number, "department": department})
        return 1
