"""The outbox's port: notices staged with the change that owes them, then tried under a lease."""

from __future__ import annotations

from typing import Protocol

from shared.contract.records import DeliveryAttempt, Notice


class NoticeRecords(Protocol):
    """The outbox: notices staged with the change that owes them, then tried under a lease. After
    creation every write is at once and conditioned on the notice's ``gen`` and lease."""

    def add(self, notice: Notice, step: int = 0) -> None:
        """Stage a new notice; ``step`` keeps one application's notices in order within a second."""
        ...

    def put_many(self, notices: list[Notice]) -> None:
        """Store many at once (ids unique or deterministic; a rewrite replaces)."""
        ...

    def get(self, notice_id: str) -> Notice | None:
        """One notice."""
        ...

    def existing(self, notice_ids: list[str]) -> set[str]:
        """Which of these ids are stored (strongly consistent)."""
        ...

    def of_application(self, application_no: str) -> list[Notice]:
        """An application's notices, oldest first."""
        ...

    def to_address(self, account: str) -> list[Notice]:
        """Notices sent to one fixed address (a phone, an openid), oldest first."""
        ...

    def in_state(self, state: str) -> list[Notice]:
        """``pending`` or ``failed`` notices, oldest first (index queries, never a scan)."""
        ...

    def overdue(self, before: int) -> list[Notice]:
        """Pending notices whose next try was due before ``before`` (epoch seconds)."""
        ...

    def unqueued(self) -> list[str]:
        """Ids of legacy ``UNQUEUED`` markers."""
        ...

    def forget_unqueued(self, notice_id: str) -> None:
        """Drop a legacy marker."""
        ...

    def claim(self, notice_id: str, gen: int, now: int, lease: int) -> tuple[Notice | None, str]:
        """Lease a pending notice of this ``gen``: ``(notice, "")`` or ``(None, why)``."""
        ...

    def wait(self, notice: Notice, fresh: list[DeliveryAttempt], due: int, waiting: str | None) -> None:
        """Record a try and the next one's time (a new ``gen``); WriteConflict without the lease."""
        ...

    def delivered(self, notice: Notice, fresh: list[DeliveryAttempt]) -> None:
        """Close as delivered; WriteConflict without the lease."""
        ...

    def failed(self, notice: Notice, fresh: list[DeliveryAttempt], now: int) -> None:
        """Close as failed; WriteConflict without the lease."""
        ...

    def dead_letter(self, notice_id: str, gen: int, now: int, closing: DeliveryAttempt) -> Notice | None:
        """Fail a pending notice of this ``gen`` that nobody holds; None when it moved on."""
        ...

    def retry(self, notice: Notice, now: int) -> Notice | None:
        """Reopen a failed notice with a fresh budget (a new ``gen``); None when it changed meanwhile."""
        ...
