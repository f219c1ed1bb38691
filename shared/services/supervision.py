"""Supervision (督办): complaints not replied and rectification cases not closed by their due date
are flagged ``supervised`` (status unchanged, a timeline entry added) and the responsible
department's contact is told once per overdue item: the SMS is stored in the same transaction as
the flag and leaves through the outbox (delivered or visibly failed, never lost)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from shared.contract.domain_events import ItemSupervised
from shared.errors import Unavailable
from shared.services.notices import NoticeService, notice_puts
from shared.storage.dynamo import Table, TransactionCancelled

log = logging.getLogger(__name__)

OPEN_COMPLAINTS = ("registered", "assigned")
OPEN_CASES = ("open", "verified", "rectified")


class Supervision:
    """Flags overdue items and notifies their department's contact."""

    def __init__(self, table: Table, outbox: NoticeService):
        self.table, self.outbox = table, outbox

    def run(self, now: datetime) -> dict[str, int]:
        """Supervise everything due before ``now``'s date."""
        today = now.date().isoformat()
        flagged = 0
        for prefix, statuses, kind in (("CMPS", OPEN_COMPLAINTS, "complaint"), ("CASES", OPEN_CASES, "case")):
            for status in statuses:
                for item in self.table.query("gsi1pk = :p AND gsi1sk < :d", {":p": f"{prefix}#{status}",
                                                                          ":d": today}, index="gsi1"):
                    flagged += self._flag(item, kind, now)
        return {"supervised": flagged}

    def _flag(self, item: dict[str, Any], kind: str, now: datetime) -> int:
        if item.get("supervised"):
            return 0
        department = item.get("department") or "default"
        entry = {"status": "supervised", "at": now.isoformat(), "note": f"督办:{department} 逾期未办结"}
        number = item.get("complaint_no") or item.get("case_id") or ""
        notices = self.outbox.owed_by([ItemSupervised(what=kind, number=number, due=str(item["due"]),
                                                      department=department)])
        try:
            self.table.transact([{"Update": {
                "Key": {"pk": item["pk"], "sk": item["sk"]},
                "UpdateExpression": "SET supervised = :t, supervised_at = :at, supervised_due = :d, "
                                    "timeline = list_append(timeline, :e)",
                "ConditionExpression": "attribute_not_exists(supervised) OR supervised = :f",
                "ExpressionAttributeValues": {":t": True, ":f": False, ":at": now.isoformat(), ":d": department,
                                              ":e": [entry]}}}, *(a for n in notices for a in notice_puts(n))])
        except TransactionCancelled as exc:
            if exc.reasons[:1] == ["ConditionalCheckFailed"]:
                return 0  # another run got it first: notified once
            raise Unavailable("supervision could not be recorded; the next run catches up") from None
        self.outbox.dispatch(notices)
        log.info("supervised", extra={"number": number, "department": department})
        return 1
