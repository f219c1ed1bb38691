"""Staff accounts and console sessions in memory (the fake of ``shared/storage/dynamo_staff.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.contract.staff import AuditEntry, StaffAccount, StaffSession


class MemoryStaffAccounts:
    """Accounts by username."""

    def __init__(self, store: Any):
        self.rows: dict[str, StaffAccount] = store.records.setdefault("staff", {})

    def get(self, username: str) -> StaffAccount | None:
        """A copy."""
        found = self.rows.get(username)
        return found.model_copy(deep=True) if found else None

    def add(self, account: StaffAccount) -> bool:
        """New usernames only."""
        if account.username in self.rows:
            return False
        self.rows[account.username] = account.model_copy(deep=True)
        return True

    def failed(self, username: str, limit: int, lock_until: datetime) -> int:
        """One more failure; the limit-th locks and starts counting again."""
        found = self.rows.get(username)
        if found is None:
            return 0
        failures = found.failures + 1
        locked = failures >= limit
        self.rows[username] = found.model_copy(update={"failures": 0 if locked else failures,
                                                       "locked_until": lock_until if locked else found.locked_until})
        return failures

    def succeeded(self, username: str) -> None:
        """No failures, no lock."""
        if username in self.rows:
            self.rows[username] = self.rows[username].model_copy(update={"failures": 0, "locked_until": None})


    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """By username, after the cursor."""
        names = sorted(n for n in self.rows if n > (after or ""))[:limit]
        return [self.rows[n].model_copy(deep=True) for n in names], names[-1] if len(names) == limit else None


class MemoryStaffSessions:
    """Sessions by id hash."""

    def __init__(self, store: Any):
        self.rows: dict[str, StaffSession] = store.records.setdefault("staff_sessions", {})

    def open(self, id_hash: str, session: StaffSession) -> None:
        """Keep it."""
        self.rows[id_hash] = session

    def get(self, id_hash: str, now: datetime) -> StaffSession | None:
        """Live ones only."""
        found = self.rows.get(id_hash)
        return found if found and found.expires_at > now else None

    def close(self, id_hash: str) -> None:
        """Forget it."""
        self.rows.pop(id_hash, None)


class MemoryAuditLog:
    """Entries by month, in the order written."""

    def __init__(self, store: Any):
        self.rows: list[tuple[str, AuditEntry]] = store.records.setdefault("audit", [])

    def add(self, entry: AuditEntry) -> None:
        """Append."""
        self.rows.append((f"{entry.at.isoformat()}#{len(self.rows):08x}", entry.model_copy(deep=True)))

    def of_month(self, month: str, limit: int, before: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Newest first, older than the cursor."""
        page = sorted(((k, e) for k, e in self.rows if k[:7] == month and k < (before or "~")), reverse=True)[:limit]
        return [e.model_copy(deep=True) for _, e in page], page[-1][0] if len(page) == limit else None
