"""The outbox in memory (the fake of ``shared/storage/dynamo_notices.py``), with the same leases and gens."""

from __future__ import annotations

import threading
from typing import Any

from shared.contract.records import DeliveryAttempt, Notice
from shared.storage.ports import WriteConflict


class MemoryNotices:
    """Notices by id, each with the step that ordered it."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[str, Notice] = store.records["notices"]
        self.steps: dict[str, int] = store.steps
        self.staged = staged
        self.lock = store.records.setdefault("notice_lock", threading.Lock())  # workers run in threads

    def add(self, notice: Notice, step: int = 0) -> None:
        """Stage a new notice."""
        key, copy = notice.notice_id, notice.model_copy(deep=True)

        def apply() -> None:
            self.rows[key], self.steps[key] = copy, step

        self.staged.writes.append(("notices.add", key, lambda: key not in self.rows, apply))

    def put_many(self, notices: list[Notice]) -> None:
        """Store at once."""
        for n in notices:
            self.rows[n.notice_id] = n.model_copy(deep=True)
            self.steps.pop(n.notice_id, None)

    def get(self, notice_id: str) -> Notice | None:
        """One notice."""
        row = self.rows.get(notice_id)
        return row.model_copy(deep=True) if row else None

    def existing(self, notice_ids: list[str]) -> set[str]:
        """Those stored."""
        return {i for i in notice_ids if i in self.rows}

    def _sorted(self, rows: list[Notice], by_step: bool = False) -> list[Notice]:
        rows.sort(key=lambda n: (n.created_at, self.steps.get(n.notice_id, 0) if by_step else 0))
        return [n.model_copy(deep=True) for n in rows]

    def of_application(self, application_no: str) -> list[Notice]:
        """Oldest first."""
        return self._sorted([n for n in self.rows.values() if n.application_no == application_no], by_step=True)

    def to_address(self, account: str) -> list[Notice]:
        """Oldest first (only notices with no application, as the index)."""
        return self._sorted([n for n in self.rows.values()
                             if n.to and n.to.account == account and not n.application_no])

    def in_state(self, state: str) -> list[Notice]:
        """Pending or failed, oldest first."""
        return self._sorted([n for n in self.rows.values() if n.status == state])

    def overdue(self, before: int) -> list[Notice]:
        """Pending, due before ``before``."""
        return self._sorted([n for n in self.rows.values() if n.status == "pending" and n.next_at < before])

    def unqueued(self) -> list[str]:
        """No legacy markers in memory."""
        return []

    def forget_unqueued(self, notice_id: str) -> None:
        """Nothing to forget."""

    def claim(self, notice_id: str, gen: int, now: int, lease: int) -> tuple[Notice | None, str]:
        """Lease it."""
        with self.lock:
            return self._claim(notice_id, gen, now, lease)

    def _claim(self, notice_id: str, gen: int, now: int, lease: int) -> tuple[Notice | None, str]:
        row = self.rows.get(notice_id)
        if row is None:
            return None, "unknown"
        if row.status != "pending":
            return None, row.status
        if row.gen != gen:
            return None, "stale message"
        if row.lease_until >= now:
            return None, "another worker holds it"
        self.rows[notice_id] = row.model_copy(update={"lease_until": now + lease})
        return self.rows[notice_id].model_copy(deep=True), ""

    def _leased(self, notice: Notice, fresh: list[DeliveryAttempt], **changes: Any) -> None:
        with self.lock:
            row = self.rows.get(notice.notice_id)
            if row is None or row.gen != notice.gen or row.lease_until != notice.lease_until:
                raise WriteConflict("notices.lease", notice.notice_id)
            self.rows[notice.notice_id] = row.model_copy(update={"attempts": [*row.attempts, *fresh],
                                                                 "lease_until": 0, **changes})

    def wait(self, notice: Notice, fresh: list[DeliveryAttempt], due: int, waiting: str | None) -> None:
        """The next try at ``due``."""
        self._leased(notice, fresh, gen=notice.gen + 1, next_at=due, waiting=waiting or None)

    def delivered(self, notice: Notice, fresh: list[DeliveryAttempt]) -> None:
        """Closed, delivered."""
        self._leased(notice, fresh, status="delivered", waiting=None)

    def failed(self, notice: Notice, fresh: list[DeliveryAttempt], now: int) -> None:
        """Closed, failed."""
        self._leased(notice, fresh, status="failed", waiting=None)

    def dead_letter(self, notice_id: str, gen: int, now: int, closing: DeliveryAttempt) -> Notice | None:
        """Fail it unless it moved on or is held."""
        row = self.rows.get(notice_id)
        if row is None or row.status != "pending" or row.gen != gen or row.lease_until >= now:
            return None
        self.rows[notice_id] = row.model_copy(update={"status": "failed", "attempts": [*row.attempts, closing],
                                                      "lease_until": 0, "waiting": None})
        return self.rows[notice_id].model_copy(deep=True)

    def retry(self, notice: Notice, now: int) -> Notice | None:
        """Reopen a failed notice."""
        row = self.rows.get(notice.notice_id)
        if row is None or row.status != "failed" or row.gen != notice.gen:
            return None
        self.rows[notice.notice_id] = row.model_copy(update={
            "status": "pending", "gen": row.gen + 1, "next_at": now, "aged_from": now,
            "budget_from": len(notice.attempts), "waiting": None})
        return self.rows[notice.notice_id].model_copy(deep=True)
