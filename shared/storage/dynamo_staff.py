"""Staff accounts (``STAFF#<username>``/``STAFF``, listed through gsi1 ``STAFF``/<username>), console sessions
(``SSN#<id hash>``/``SSN``, TTL) and the audit log (``AUDIT#<yyyy-mm>``/``<at>#<random>``, append-only)."""

from __future__ import annotations

import secrets
import time
from datetime import datetime
from typing import Any

from shared.contract.staff import AuditEntry, StaffAccount, StaffSession
from shared.storage.dynamo import ConditionFailed, Table
from shared.storage.dynamo_records import Staged


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

    def listed(self, limit: int, after: str | None = None) -> tuple[list[StaffAccount], str | None]:
        """A page of gsi1 ``STAFF`` after the cursor (usernames are the sort key)."""
        items = list(self.table.query("gsi1pk = :p AND gsi1sk > :after", {":p": "STAFF", ":after": after or " "},
                                      index="gsi1", limit=limit))
        accounts = [StaffAccount.model_validate(i) for i in items]
        return accounts, accounts[-1].username if len(accounts) == limit else None


    def set_totp(self, username: str, sealed: str | None) -> None:
        """SET or REMOVE the sealed secret (and the last step) on an existing account."""
        if sealed:
            self.table.update(f"STAFF#{username}", "STAFF", "SET totp = :t REMOVE totp_step", values={":t": sealed},
                              condition="attribute_exists(pk)")
        else:
            self.table.update(f"STAFF#{username}", "STAFF", "REMOVE totp, totp_step", condition="attribute_exists(pk)")

    def use_step(self, username: str, step: int) -> bool:
        """``SET totp_step`` only forward: a replayed code (same step) is refused."""
        try:
            self.table.update(f"STAFF#{username}", "STAFF", "SET totp_step = :s", values={":s": step},
                              condition="attribute_not_exists(totp_step) OR totp_step < :s")
        except ConditionFailed:
            return False
        return True


class DynamoSignInAttempts:
    """``SIGNIN#<name hash>``/``SIGNIN``: ``tries`` claimed, ``locked_until`` (epoch s), TTL a day after use."""

    def __init__(self, table: Table):
        self.table = table

    def claim(self, key: str, now: int, limit: int) -> bool:
        """One conditional ``ADD``: refused while locked or at the limit."""
        try:
            self.table.update(f"SIGNIN#{key}", "SIGNIN", "ADD tries :one SET #t = :ttl",
                              names={"#t": "ttl"}, values={":one": 1, ":ttl": now + 86400, ":now": now,
                                                           ":limit": limit},
                              condition="(attribute_not_exists(locked_until) OR locked_until <= :now) AND "
                                        "(attribute_not_exists(tries) OR tries < :limit)")
        except ConditionFailed:
            return False
        return True

    def failed(self, key: str, now: int, limit: int, lock_seconds: int) -> None:
        """Lock when the tries reached the limit (the count starts again after the lock)."""
        try:
            self.table.update(f"SIGNIN#{key}", "SIGNIN", "SET locked_until = :until, tries = :zero",
                              values={":until": now + lock_seconds, ":zero": 0, ":limit": limit},
                              condition="tries >= :limit")
        except ConditionFailed:
            return

    def cleared(self, key: str, now: int) -> bool:
        """``SET tries = 0`` unless locked meanwhile."""
        try:
            self.table.update(f"SIGNIN#{key}", "SIGNIN", "SET tries = :zero", values={":zero": 0, ":now": now},
                              condition="attribute_not_exists(locked_until) OR locked_until <= :now")
        except ConditionFailed:
            return False
        return True

    def locked_for(self, key: str, now: int) -> int:
        """From a consistent read."""
        item = self.table.get(f"SIGNIN#{key}", "SIGNIN") or {}
        return max(0, int(item.get("locked_until", 0)) - now)


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

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def add(self, entry: AuditEntry) -> None:
        """``attribute_not_exists(pk)``: an entry is written once."""
        self.table.put(self._item(entry), "attribute_not_exists(pk)")

    def stage(self, entry: AuditEntry) -> None:
        """The same put, in the unit's transaction."""
        item = self._item(entry)
        self.staged.add("audit.add", item["sk"], {"Put": {"Item": item, "ConditionExpression":
                                                          "attribute_not_exists(pk)"}})

    @staticmethod
    def _item(entry: AuditEntry) -> dict[str, Any]:
        sort = f"{entry.at.isoformat()}#{time.time_ns():020d}{secrets.token_hex(2)}"  # ties: in the order written
        return {"pk": f"AUDIT#{entry.at.strftime('%Y-%m')}", "sk": sort, **entry.model_dump(mode="json")}

    def of_month(self, month: str, limit: int, before: str | None = None, actor: str | None = None,
                 action: str | None = None) -> tuple[list[AuditEntry], str | None]:
        """Newest first, optionally of one actor and actions beginning with ``action`` (a filter on the month's
        partition); the cursor is the last entry's sort key."""
        values: dict[str, Any] = {":p": f"AUDIT#{month}", ":before": before or "~"}
        conditions = []
        if actor:
            conditions.append("actor = :actor")
            values[":actor"] = actor
        if action:
            conditions.append("begins_with(#action, :action)")
            values[":action"] = action
        items = list(self.table.query("pk = :p AND sk < :before", values, forward=False, limit=limit,
                                      filter=" AND ".join(conditions) or None,
                                      names={"#action": "action"} if action else None))
        return [AuditEntry.model_validate(i) for i in items], items[-1]["sk"] if len(items) == limit else None
