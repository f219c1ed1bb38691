"""The outbox: every message Minqing owes a person is stored here before anything is sent.

A notice is written in the same unit of work as the change that owes it (or in batches by the
schedules), then queued. The repository finds open notices by when they are due, so the sweeper
re-queues any whose queue message was lost; failed ones are listed for operators to retry.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from shared import metrics
from shared.clock import Clock
from shared.contract.domain_events import Event
from shared.contract.records import Address, Notice
from shared.contract.staff import Acting
from shared.contract.views import NoticeView
from shared.errors import Conflict, NotFound
from shared.ports import NoticeQueue
from shared.services.audit import audit_entry
from shared.storage.ports import UnitOfWorkFactory

if TYPE_CHECKING:
    from shared.services.notice_policy import NoticePolicy

log = logging.getLogger(__name__)



def new_notice(kind: str, citizen_id: str | None, at: datetime, data: dict[str, str], *,
               application_no: str | None = None, complaint_no: str | None = None,
               to: Address | None = None, text: str | None = None, notice_id: str | None = None) -> Notice:
    """A fresh pending notice, due now."""
    return Notice(notice_id=notice_id or uuid.uuid4().hex, kind=kind, citizen_id=citizen_id, to=to, text=text,
                  application_no=application_no, complaint_no=complaint_no, data=data, created_at=at,
                  next_at=int(at.timestamp()))


class NoticeService:
    """Writes, queues, sweeps, lists and retries notices; ``policy`` says which notices events owe."""

    def __init__(self, uow: UnitOfWorkFactory, queue: NoticeQueue, clock: Clock, policy: NoticePolicy | None = None):
        self.uow, self.queue, self.clock = uow, queue, clock
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

    def write(self, notices: list[Notice]) -> None:
        """Store notices at once (ids unique or deterministic), then queue them."""
        self.uow().notices.put_many(notices)
        self.dispatch(notices)

    def sweep(self, now: int, grace: int = 300) -> int:
        """Queue again the open notices overdue by ``grace`` s (their message was lost); returns how many."""
        notices = self.uow().notices
        overdue = notices.overdue(now - grace)
        for notice in overdue:
            self.dispatch_one(notice.notice_id, notice.gen)
        legacy = notices.unqueued()  # stored before the outbox index, first queueing failed: none once swept
        for notice_id in legacy:
            self.dispatch_one(notice_id, 0)
            notices.forget_unqueued(notice_id)
        if overdue or legacy:
            log.warning("swept overdue notices", extra={"count": len(overdue) + len(legacy)})
        return len(overdue) + len(legacy)

    def retry(self, notice_id: str, by: Acting | None = None) -> NoticeView:
        """An operator (``by``) sends a failed notice again with a fresh retry budget (409 unless ``failed``)."""
        notices = self.uow().notices
        notice = notices.get(notice_id)
        if notice is None:
            raise NotFound(f"no notice {notice_id[:64]}")
        if notice.status != "failed":
            raise Conflict(f"the notice is {notice.status}; only a failed notice can be retried")
        reopened = notices.retry(notice, int(self.clock.now().timestamp()))
        if reopened is None:
            raise Conflict("the notice changed meanwhile; read it again")
        if by is not None:  # the retry is one conditional write of its own; its entry follows it
            self.uow().audit.add(audit_entry(by.actor, by.source, "notice.retry", notice_id, notice, reopened,
                                             self.clock.now()))
        metrics.count("NoticesRetried", kind=reopened.kind)
        log.info("notice retried by an operator", extra={"notice_id": notice_id})
        self.dispatch_one(notice_id, reopened.gen)
        return NoticeView.from_notice(reopened)

    def dispatch_one(self, notice_id: str, gen: int, delay: int = 0) -> None:
        """Queue one notice's next try; an outage leaves it to the sweeper."""
        try:
            self.queue.enqueue([notice_id], delay=delay, gen=gen)
        except Exception:
            log.error("notice queue unavailable; the sweeper will queue this notice",
                      extra={"notice_id": notice_id}, exc_info=True)

    def one(self, notice_id: str) -> NoticeView:
        """One notice with its attempts (404 when unknown)."""
        notice = self.uow().notices.get(notice_id) if len(notice_id) <= 64 else None
        if notice is None:
            raise NotFound(f"no notice {notice_id[:64]}")
        return NoticeView.from_notice(notice)

    def find(self, *, application_no: str | None = None, to: str | None = None,
             status: str | None = None, kind: str | None = None) -> list[NoticeView]:
        """Notices of one application, or sent to one address (a phone, an openid), or by status
        (``pending``/``failed``), oldest first, each with its attempts; ``kind`` narrows any of them."""
        notices = self.uow().notices
        if application_no:
            found = notices.of_application(application_no)
        elif to:
            found = notices.to_address(to)
        else:
            found = notices.in_state(status or "failed")
        return [NoticeView.from_notice(n) for n in found if (kind is None or n.kind == kind)
                and (status is None or n.status == status)]


class PendingOnlyQueue:
    """No delivery queue configured: notices are stored and stay ``pending`` for a sweeper."""

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """Log that nothing was queued."""
        log.warning("no notice queue configured; %d notices stay pending", len(notice_ids))
