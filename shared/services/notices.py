"""Notices owed to citizens: created in the same transaction as the change that owes them,
then handed to the delivery queue. A notice stays ``pending`` until a worker delivers it
or marks it ``failed`` — it is never silently dropped."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime
from typing import Any

from shared.contract.records import Notice
from shared.contract.views import NoticeView
from shared.ports import NoticeQueue
from shared.storage.dynamo import Table

log = logging.getLogger(__name__)


def new_notice(kind: str, citizen_id: str, at: datetime, data: dict[str, str], *,
               application_no: str | None = None, complaint_no: str | None = None) -> Notice:
    """A fresh pending notice."""
    return Notice(notice_id=uuid.uuid4().hex, kind=kind, citizen_id=citizen_id, application_no=application_no,
                  complaint_no=complaint_no, data=data, created_at=at)


def notice_puts(notice: Notice, step: int = 0) -> list[dict[str, Any]]:
    """The transaction actions that store a notice and its "not queued yet" marker; ``step`` (the
    timeline position that owed it) keeps one application's notices in order within a second."""
    item = {"pk": f"NTC#{notice.notice_id}", "sk": "NTC", **notice.model_dump(mode="json", exclude_none=True)}
    if notice.application_no:
        item["gsi1pk"] = f"NTCAPP#{notice.application_no}"
        item["gsi1sk"] = f"{notice.created_at.isoformat()}#{step:04d}#{notice.notice_id}"
    marker = {"pk": "UNQUEUED", "sk": notice.notice_id, "at": int(notice.created_at.timestamp())}
    return [{"Put": {"Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}, {"Put": {"Item": marker}}]


class NoticeService:
    """Lists notices and hands new ones to the delivery queue."""

    def __init__(self, table: Table, queue: NoticeQueue):
        self.table, self.queue = table, queue

    def dispatch(self, notices: list[Notice]) -> None:
        """Queue stored notices; a queue outage leaves them pending (visible), never lost."""
        if not notices:
            return
        self._enqueue([n.notice_id for n in notices])

    def _enqueue(self, notice_ids: list[str]) -> bool:
        try:
            self.queue.enqueue(notice_ids)
        except Exception:
            log.error("notice queue unavailable; the sweeper will queue these notices",
                      extra={"notice_ids": notice_ids}, exc_info=True)
            return False
        for notice_id in notice_ids:
            self.table.delete("UNQUEUED", notice_id)
        return True

    def sweep(self, now: int, older_than: int = 60) -> int:
        """Queue the notices whose first queueing did not happen (outage, crash); returns how many."""
        stale = [i["sk"] for i in self.table.query("pk = :p", {":p": "UNQUEUED"}) if int(i["at"]) <= now - older_than]
        for start in range(0, len(stale), 10):
            self._enqueue(stale[start:start + 10])
        return len(stale)

    def for_application(self, application_no: str) -> list[NoticeView]:
        """Every notice of one application, oldest first, with its attempts."""
        items = self.table.query("gsi1pk = :p", {":p": f"NTCAPP#{application_no}"}, index="gsi1")
        return [NoticeView.model_validate(Notice.model_validate(i).model_dump()) for i in items]


class SqsNoticeQueue:
    """The delivery queue on SQS (``MINQING_NOTICE_QUEUE_URL``), ten ids per batch call."""

    def __init__(self, client: Any, url: str):
        self.client, self.url = client, url

    def enqueue(self, notice_ids: list[str]) -> None:
        """Send one message per notice."""
        for start in range(0, len(notice_ids), 10):
            batch = notice_ids[start:start + 10]
            out = self.client.send_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "MessageBody": json.dumps({"notice_id": nid})} for i, nid in enumerate(batch)])
            if out.get("Failed"):
                raise RuntimeError(f"{len(out['Failed'])} notice messages were not queued")


class PendingOnlyQueue:
    """No delivery queue configured: notices are stored and stay ``pending`` for a sweeper."""

    def enqueue(self, notice_ids: list[str]) -> None:
        """Log that nothing was queued."""
        log.warning("no notice queue configured; %d notices stay pending", len(notice_ids))
