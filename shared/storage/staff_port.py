"""Ports of the console's records: staff accounts and sessions (write at once), the audit log and backend keys."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from shared.contract.keys import BackendKey
from shared.contract.staff import AuditEntry, StaffAccount, StaffSession


class StaffAccounts(Protocol):
    """Console accounts by username."""

    def get(self, username: str) -> StaffAccount | None:
        """The account, or None."""
        ...

    def add(self, account: StaffAccount) -> bool:
        """Create it; False when the username is taken."""
        ...

    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """Accounts by username, a page of ``limit`` after the username ``after``; the next page's cursor."""
        ...

    def set_totp(self, username: str, sealed: str | None) -> None:
        """Turn two-step sign-in on (a sealed secret) or off (None)."""
        ...

    def use_step(self, username: str, step: int) -> bool:
        """Record that a code of ``step`` was used; False when that step, or a later one, already was."""
        ...


class SignInAttempts(Protocol):
    """Sign-in tries per name (any name, known or not, by its hash), claimed before the password is checked so
    that concurrent tries cannot outrun the lock (writes at once)."""

    def claim(self, key: str, now: int, limit: int) -> bool:
        """Count one try unless the name is locked or already has ``limit`` tries in flight or failed."""
        ...

    def failed(self, key: str, now: int, limit: int, lock_seconds: int) -> None:
        """The claimed try was wrong: the ``limit``-th wrong one locks the name for ``lock_seconds``."""
        ...

    def cleared(self, key: str, now: int) -> bool:
        """The claimed try was right: forget the tries, unless a lock came first (then False)."""
        ...

    def locked_for(self, key: str, now: int) -> int:
        """Seconds the name stays locked (0 when it is not)."""
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
        """Record one entry now."""
        ...

    def stage(self, entry: AuditEntry) -> None:
        """Record one entry with the unit's commit: it lands with the change it describes, or neither does."""
        ...

    def of_month(self, month: str, limit: int, before: str | None = None, actor: str | None = None,
                 action: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Entries of ``YYYY-MM``, newest first, a page of ``limit`` older than the cursor ``before``; only
        ``actor``'s and actions beginning with ``action`` when given."""
        ...


class BackendKeys(Protocol):
    """Issued backend keys by id (never their secrets); issuing, rotating and revoking join the unit's commit
    with their audit entries."""

    def get(self, key_id: str) -> BackendKey | None:
        """The key, or None."""
        ...

    def add(self, key: BackendKey) -> None:
        """Stage a new key (a conflict if the id exists)."""
        ...

    def replace(self, before: BackendKey, after: BackendKey) -> None:
        """Stage a change (a conflict unless the stored key is still ``before``: not revoked or rotated since)."""
        ...

    def listed(self, limit: int, before: str | None = None) -> tuple[list[BackendKey], str | None]:
        """Newest first, a page of ``limit`` older than the cursor; the next page's cursor."""
        ...
