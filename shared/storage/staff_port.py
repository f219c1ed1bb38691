"""Ports of staff accounts and console sessions (both write at once and never join a unit's commit)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.contract.staff import AuditEntry, StaffAccount, StaffSession


class StaffAccounts(Protocol):
    """Console accounts by username."""

    def get(self, username: str) -> StaffAccount | None:
        """The account, or None."""
        ...

    def add(self, account: StaffAccount) -> bool:
        """Create it; False when the username is taken."""
        ...

    def failed(self, username: str, limit: int, lock_until: datetime) -> int:
        """Count one failed sign-in; the ``limit``-th in a row locks the account until ``lock_until``.
        Returns the failures in a row (0 for an unknown username)."""
        ...

    def succeeded(self, username: str) -> None:
        """Clear the failures and any lock after a good sign-in."""
        ...

    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """Accounts by username, a page of ``limit`` after the username ``after``; the next page's cursor."""
        ...


class StaffSessions(Protocol):
    """Console sessions by the hash of their id (expired ones are gone, or ignored until TTL removes them)."""

    def open(self, id_hash: str, session: StaffSession) -> None:
        """Store a new session."""
        ...

    def get(self, id_hash: str, now: datetime) -> StaffSession | None:
        """The live session, or None (unknown or expired)."""
        ...

    def close(self, id_hash: str) -> None:
        """End it (sign-out)."""
        ...


class AuditLog(Protocol):
    """Append-only: entries are added, read by month newest first, never changed or removed."""

    def add(self, entry: AuditEntry) -> None:
        """Record one entry."""
        ...

    def of_month(self, month: str, limit: int, before: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Entries of ``YYYY-MM``, newest first, a page of ``limit`` older than the cursor ``before``."""
        ...
