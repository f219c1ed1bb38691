"""Staff accounts and console sessions in memory (the fake of ``shared/storage/dynamo_staff.py``)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from shared.contract.keys import BackendKey
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

    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """By username, after the cursor."""
        names = sorted(n for n in self.rows if n > (after or ""))[:limit]
        return [self.rows[n].model_copy(deep=True) for n in names], names[-1] if len(names) == limit else None


    def set_totp(self, username: str, sealed: str | None) -> None:
        """On or off."""
        self.rows[username] = self.rows[username].model_copy(update={"totp": sealed, "totp_step": None})

    def use_step(self, username: str, step: int) -> bool:
        """Only forward."""
        with MemorySignInAttempts._lock:
            account = self.rows[username]
            if account.totp_step is not None and account.totp_step >= step:
                return False
            self.rows[username] = account.model_copy(update={"totp_step": step})
            return True


class MemorySignInAttempts:
    """``{key: [tries, locked_until]}``; each call atomic, as DynamoDB's conditional updates are."""

    _lock = threading.Lock()

    def __init__(self, store: Any):
        self.rows: dict[str, list[int]] = store.records.setdefault("sign_in_attempts", {})

    def claim(self, key: str, now: int, limit: int) -> bool:
        """Refused while locked or at the limit."""
        with self._lock:
            tries, until = self.rows.get(key, [0, 0])
            if until > now or tries >= limit:
                return False
            self.rows[key] = [tries + 1, until]
            return True

    def failed(self, key: str, now: int, limit: int, lock_seconds: int) -> None:
        """Lock at the limit."""
        with self._lock:
            if self.rows.get(key, [0, 0])[0] >= limit:
                self.rows[key] = [0, now + lock_seconds]

    def cleared(self, key: str, now: int) -> bool:
        """Unless locked meanwhile."""
        with self._lock:
            until = self.rows.get(key, [0, 0])[1]
            if until > now:
                return False
            self.rows[key] = [0, until]
            return True

    def locked_for(self, key: str, now: int) -> int:
        """Seconds left."""
        return max(0, self.rows.get(key, [0, 0])[1] - now)


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

    def __init__(self, store: Any, staged: Any):
        self.rows: list[tuple[str, AuditEntry]] = store.records.setdefault("audit", [])
        self.staged = staged

    def add(self, entry: AuditEntry) -> None:
        """Append."""
        self.rows.append((f"{entry.at.isoformat()}#{len(self.rows):08x}", entry.model_copy(deep=True)))

    def stage(self, entry: AuditEntry) -> None:
        """Append at the unit's commit."""
        copy = entry.model_copy(deep=True)
        self.staged.writes.append(("audit.add", f"{entry.at.isoformat()}#staged{len(self.staged.writes)}",
                                   lambda: True, lambda: self.add(copy)))

    def of_month(self, month: str, limit: int, before: str | None = None, actor: str | None = None,
                 action: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Newest first, older than the cursor, of ``actor`` and actions beginning with ``action`` when given."""
        page = sorted(((k, e) for k, e in self.rows if k[:7] == month and k < (before or "~")
                       and (not actor or e.actor == actor) and (not action or e.action.startswith(action))),
                      reverse=True)[:limit]
        return [e.model_copy(deep=True) for _, e in page], page[-1][0] if len(page) == limit else None


class MemoryBackendKeys:
    """Keys by id; staged like the other records of the unit."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[str, BackendKey] = store.records.setdefault("backend_keys", {})
        self.staged = staged

    def get(self, key_id: str) -> BackendKey | None:
        """A copy."""
        found = self.rows.get(key_id)
        return found.model_copy(deep=True) if found else None

    def add(self, key: BackendKey) -> None:
        """New ids only."""
        copy = key.model_copy(deep=True)
        self.staged.writes.append(("backend_keys.add", key.key_id, lambda: key.key_id not in self.rows,
                                   lambda: self.rows.__setitem__(key.key_id, copy)))

    def replace(self, before: BackendKey, after: BackendKey) -> None:
        """Only over the key as it was read (not revoked or rotated since)."""
        copy = after.model_copy(deep=True)

        def holds() -> bool:
            stored = self.rows.get(before.key_id)
            return stored is not None and (stored.revoked_at, stored.replaced_by) == (before.revoked_at,
                                                                                      before.replaced_by)
        self.staged.writes.append(("backend_keys.replace", after.key_id, holds,
                                   lambda: self.rows.__setitem__(after.key_id, copy)))

    def listed(self, limit: int, before: str | None = None) -> tuple[list[BackendKey], str | None]:
        """Newest first, older than the cursor."""
        keyed = sorted(((f"{k.created_at.isoformat()}#{k.key_id}", k) for k in self.rows.values()), reverse=True)
        page = [(s, k) for s, k in keyed if s < (before or "~")][:limit]
        return [k.model_copy(deep=True) for _, k in page], page[-1][0] if len(page) == limit else None
