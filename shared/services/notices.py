"""The outbox: every message Minqing owes a person is stored here before anything is sent.

A notice is written in the same transaction as the change that owes it (or in batches by the
schedules), then queued. Open notices are indexed (``gsi3`` ``NTCOPEN#<shard>`` by when they
are due), so the sweeper re-queues any whose queue message was lost; failed ones move to
``NTCFAILED#<shard>`` where operators find and retry them. Delivered notices leave the index.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared import metrics
from shared.clock import Clock
from shared.contract.domain_events import Event
from shared.contract.records import Address, Notice
from shared.contract.views import NoticeView
from shared.errors import Conflict, NotFound
from shared.ports import MAX_QUEUE_DELAY, NoticeQueue
from shared.storage.dynamo import ConditionFailed, Table, serialize
from shared.storage.notice_keys import SHARDS, index_keys, notice_item, notice_puts  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from shared.services.notice_policy import NoticePolicy

log = logging.getLogger(__name__)

MAX_DELAY = MAX_QUEUE_DELAY


def new_notice(kind: str, citizen_id: str | None, at: datetime, data: dict[str, str], *,
               application_no: str | None = None, complaint_no: str | None = None,
               to: Address | None = None, text: str | None = None, notice_id: str | None = None) -> Notice:
    """A fresh pending notice, due now."""
    return Notice(notice_id=notice_id or uuid.uuid4().hex, kind=kind, citizen_id=citizen_id, to=to, text=text,
                  application_no=application_no, complaint_no=complaint_no, data=data, created_at=at,
                  next_at=int(at.timestamp()))


def view(item: dict[str, Any]) -> NoticeView:
    """The operator's view of a stored notice."""
    return NoticeView.from_notice(Notice.model_validate(item))


class NoticeService:
    """Writes, queues, sweeps, lists and retries notices; ``policy`` says which notices events owe."""

    def __init__(self, table: Table, queue: NoticeQueue, clock: Clock, policy: NoticePolicy | None = None):
        self.table, self.queue, self.clock = table, queue, clock
        if policy is None:
            from shared.services.notice_policy import NoticePolicy  # the policy builds its notices with this module

            policy = NoticePolicy()
        self.policy = policy

    def owed_by(self, events: Sequence[Event]) -> list[Notice]:
        """The notices these events owe, as of now (the policy decides; nothing is stored yet)."""
        return self.policy.notices_for(events, self.clock.now())

    def dispatch(self, notices: list[Notice]) -> None:
        """Queue stored notices; a queue outage leaves them open for the sweeper (visible, never lost)."""
        for start in range(0, len(notices), 10):
            batch = [n.notice_id for n in notices[start:start + 10]]
            try:
                self.queue.enqueue(batch)
            except Exception:
                log.error("notice queue unavailable; the sweeper will queue these notices",
                          extra={"notice_ids": batch}, exc_info=True)

    def write(self, notices: list[Notice], extra: Callable[[Notice], dict[str, Any]] | None = None) -> None:
        """Store notices 25 per request (no condition: ids are unique or deterministic), then queue them;
        ``extra`` adds a caller's index attributes to each item."""
        for start in range(0, len(notices), 25):
            pending: dict[str, Any] = {self.table.name: [
                {"PutRequest": {"Item": serialize({**notice_item(n), **(extra(n) if extra else {})})}}
                for n in notices[start:start + 25]]}
            while pending:
                pending = self.table.batch_write(pending)
        self.dispatch(notices)

    def sweep(self, now: int, grace: int = 300) -> int:
        """Queue again the open notices overdue by ``grace`` s (their message was lost); returns how many."""
        overdue: list[dict[str, Any]] = []
        for n in range(SHARDS):
            overdue += self.table.query("gsi3pk = :p AND gsi3sk < :t", {":p": f"NTCOPEN#{n}",
                                                                        ":t": f"{now - grace:010d}"}, index="gsi3")
        for item in overdue:
            self.dispatch_one(item["notice_id"], int(item.get("gen", 0)))
        overdue += self._legacy_markers()
        if overdue:
            log.warning("swept overdue notices", extra={"count": len(overdue)})
        return len(overdue)

    def _legacy_markers(self) -> list[dict[str, Any]]:
        """Notices stored before the outbox index whose first queueing failed (``UNQUEUED`` markers): queued
        now, markers removed. Nothing writes these any more; the query finds none once a stack has swept."""
        markers = list(self.table.query("pk = :p", {":p": "UNQUEUED"}))
        for marker in markers:
            self.dispatch_one(marker["sk"], 0)
            self.table.delete("UNQUEUED", marker["sk"])
        return markers

    def retry(self, notice_id: str) -> NoticeView:
        """An operator sends a failed notice again with a fresh retry budget (409 unless ``failed``)."""
        item = self.table.get(f"NTC#{notice_id}", "NTC") if len(notice_id) <= 64 else None
        if item is None:
            raise NotFound(f"no notice {notice_id[:64]}")
        if item.get("status") != "failed":
            raise Conflict(f"the notice is {item.get('status')}; only a failed notice can be retried")
        now, gen = int(self.clock.now().timestamp()), int(item.get("gen", 0))
        keys = index_keys(notice_id, "NTCOPEN", now)
        try:
            item = self.table.update(
                f"NTC#{notice_id}", "NTC", "SET #s = :p, gen = :g, next_at = :now, aged_from = :now, "
                "budget_from = :n, gsi3pk = :ix, gsi3sk = :due REMOVE waiting", names={"#s": "status"},
                values={":p": "pending", ":f": "failed", ":g": gen + 1, ":old": gen, ":now": now,
                        ":n": len(item.get("attempts", [])), ":ix": keys["gsi3pk"], ":due": keys["gsi3sk"]},
                condition="#s = :f AND gen = :old")
        except ConditionFailed:
            raise Conflict("the notice changed meanwhile; read it again") from None
        metrics.count("NoticesRetried", kind=str(item.get("kind")))
        log.info("notice retried by an operator", extra={"notice_id": notice_id})
        self.dispatch_one(notice_id, gen + 1)
        return view(item)

    def dispatch_one(self, notice_id: str, gen: int, delay: int = 0) -> None:
        """Queue one notice's next try; an outage leaves it to the sweeper."""
        try:
            self.queue.enqueue([notice_id], delay=delay, gen=gen)
        except Exception:
            log.error("notice queue unavailable; the sweeper will queue this notice",
                      extra={"notice_id": notice_id}, exc_info=True)

    def find(self, *, application_no: str | None = None, to: str | None = None,
             status: str | None = None, kind: str | None = None) -> list[NoticeView]:
        """Notices of one application, or sent to one address (a phone, an openid), or by status
        (``pending``/``failed``), oldest first, each with its attempts; ``kind`` narrows any of them."""
        if application_no:
            items = list(self.table.query("gsi1pk = :p", {":p": f"NTCAPP#{application_no}"}, index="gsi1"))
        elif to:
            items = list(self.table.query("gsi1pk = :p", {":p": f"NTCTO#{to}"}, index="gsi1"))
        else:
            state = {"pending": "NTCOPEN", "failed": "NTCFAILED"}[status or "failed"]
            items = [i for n in range(SHARDS)
                     for i in self.table.query("gsi3pk = :p", {":p": f"{state}#{n}"}, index="gsi3")]
            items.sort(key=lambda i: i.get("created_at", ""))
        return [view(i) for i in items if (kind is None or i.get("kind") == kind)
                and (status is None or i.get("status") == status)]


class PendingOnlyQueue:
    """No delivery queue configured: notices are stored and stay ``pending`` for a sweeper."""

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """Log that nothing was queued."""
        log.warning("no notice queue configured; %d notices stay pending", len(notice_ids))
