"""Staff accounts (``STAFF#<username>``/``STAFF``, listed through gsi1 ``STAFF``/<username>), console sessions
(``SSN#<id hash>``/``SSN``, TTL) and the audit log (``AUDIT#<yyyy-mm>``/``<at>#<random>``, append-only)."""

from __future__ import annotations

import secrets
import time
from datetime import datetime

from shared.contract.staff import AuditEntry, StaffAccount, StaffSession
from shared.storage.dynamo import ConditionFailed, Table


class DynamoStaffAccounts:
    """Conditional puts and atomic counters on one item per account."""

    def __init__(self, table: Table):
        self.table = table

    def get(self, username: str) -> StaffAccount | None:
        """A consistent read."""
        item = self.table.get(f"STAFF#{username}", "STAFF")
        return StaffAccount.model_validate(item) if item else None

    def add(self, account: StaffAccount) -> bool:
        """``attribute_not_exists(pk)``."""
        item = {"pk": f"STAFF#{account.username}", "sk": "STAFF", "gsi1pk": "STAFF", "gsi1sk": account.username,
                **account.model_dump(mode="json", exclude_none=True)}
        try:
            self.table.put(item, "attribute_not_exists(pk)")
        except ConditionFailed:
            return False
        return True

    def failed(self, username: str, limit: int, lock_until: datetime) -> int:
        """``ADD failures 1`` on an existing account; the limit-th sets ``locked_until`` in the same update."""
        try:
            item = self.table.update(f"STAFF#{username}", "STAFF", "ADD failures :one",
                                     values={":one": 1}, condition="attribute_exists(pk)")
        except ConditionFailed:
            return 0
        failures = int(item.get("failures", 0))
        if failures >= limit:
            self.table.update(f"STAFF#{username}", "STAFF", "SET locked_until = :until, failures = :zero",
                              values={":until": lock_until.isoformat(), ":zero": 0})
        return failures

    def succeeded(self, username: str) -> None:
        """``SET failures = 0 REMOVE locked_until``."""
        try:
            self.table.update(f"STAFF#{username}", "STAFF", "SET failures = :zero REMOVE locked_until",
                              values={":zero": 0}, condition="attribute_exists(pk)")
        except ConditionFailed:
            return


    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """A page of gsi1 ``STAFF`` after the cursor (usernames are the sort key)."""
        items = list(self.table.query("gsi1pk = :p AND gsi1sk > :after", {":p": "STAFF", ":after": after or " "},
                                      index="gsi1", limit=limit))
        accounts = [StaffAccount.model_validate(i) for i in items]
        return accounts, accounts[-1].username if len(accounts) == limit else None


class DynamoStaffSessions:
    """One item per session, removed by TTL after it expires."""

    def __init__(self, table: Table):
        self.table = table

    def open(self, id_hash: str, session: StaffSession) -> None:
        """A put (the id is 256 random bits: no collision to guard)."""
        self.table.put({"pk": f"SSN#{id_hash}", "sk": "SSN", "ttl": int(session.expires_at.timestamp()),
                        **session.model_dump(mode="json")})

    def get(self, id_hash: str, now: datetime) -> StaffSession | None:
        """A consistent read; an expired one is None (TTL deletes late)."""
        item = self.table.get(f"SSN#{id_hash}", "SSN")
        session = StaffSession.model_validate(item) if item else None
        return session if session and session.expires_at > now else None

    def close(self, id_hash: str) -> None:
        """Delete."""
        self.table.delete(f"SSN#{id_hash}", "SSN")


class DynamoAuditLog:
    """One partition per month; puts that never overwrite; no update or delete exists."""

    def __init__(self, table: Table):
        self.table = table

    def add(self, entry: AuditEntry) -> None:
        """``attribute_not_exists(pk)``: an entry is written once."""
        sort = f"{entry.at.isoformat()}#{time.time_ns():020d}{secrets.token_hex(2)}"  # ties: in the order written
        self.table.put({"pk": f"AUDIT#{entry.at.strftime('%Y-%m')}", "sk": sort, **entry.model_dump(mode="json")},
                       "attribute_not_exists(pk)")

    def of_month(self, month: str, limit: int, before: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Newest first; the cursor is the last entry's sort key."""
        items = list(self.table.query("pk = :p AND sk < :before", {":p": f"AUDIT#{month}", ":before": before or "~"},
                                      forward=False, limit=limit))
        return [AuditEntry.model_validate(i) for i in items], items[-1]["sk"] if len(items) == limit else None
