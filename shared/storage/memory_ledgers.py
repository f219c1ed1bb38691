"""Counters and ledgers in memory (the fake of ``shared/storage/dynamo_ledgers.py``)."""

from __future__ import annotations

from typing import Any


class MemoryConsentCredits:
    """Credits by (channel, account, template)."""

    def __init__(self, store: Any):
        self.rows: dict[tuple[str, str, str], int] = store.records.setdefault("credits", {})

    def held(self, channel: str, account: str) -> dict[str, int]:
        """The account's counters."""
        return {t: n for (c, a, t), n in self.rows.items() if (c, a) == (channel, account)}

    def add(self, channel: str, account: str, template_id: str, cap: int) -> None:
        """One more, below the cap."""
        key = (channel, account, template_id)
        if self.rows.get(key, 0) < cap:
            self.rows[key] = self.rows.get(key, 0) + 1

    def take(self, channel: str, account: str, template_id: str) -> bool:
        """One less while any is left."""
        key = (channel, account, template_id)
        if self.rows.get(key, 0) <= 0:
            return False
        self.rows[key] -= 1
        return True

    def give_back(self, channel: str, account: str, template_id: str) -> None:
        """One more."""
        key = (channel, account, template_id)
        self.rows[key] = self.rows.get(key, 0) + 1

    def clear(self, channel: str, account: str, template_id: str) -> None:
        """Forget."""
        self.rows.pop((channel, account, template_id), None)


class MemoryNonceLedger:
    """Nonces with their expiry."""

    def __init__(self, store: Any):
        self.rows: dict[str, int] = store.records.setdefault("nonces", {})

    def remember(self, nonce: str, now: int, ttl: int) -> bool:
        """True the first time within ``ttl``."""
        if self.rows.get(nonce, -1) >= now:
            return False
        self.rows[nonce] = now + ttl
        return True


class MemoryOtpCodes:
    """Codes by phone."""

    def __init__(self, store: Any):
        self.rows: dict[str, dict[str, Any]] = store.records.setdefault("otp", {})

    def issue(self, phone: str, code_hash: str, now: int, ttl: int, resend_after: int) -> int | None:
        """Refused within ``resend_after`` of the last."""
        last = self.rows.get(phone)
        if last is not None and last["sent_at"] > now - resend_after:
            return int(last["sent_at"]) + resend_after - now
        self.rows[phone] = {"code_hash": code_hash, "tries": 0, "sent_at": now, "expires_at": now + ttl}
        return None

    def attempt(self, phone: str, now: int, max_tries: int) -> tuple[str, int] | None:
        """One more try of a live code."""
        row = self.rows.get(phone)
        if row is None or row["tries"] >= max_tries or row["expires_at"] <= now:
            return None
        row["tries"] += 1
        return row["code_hash"], row["tries"]

    def consume(self, phone: str, tries: int) -> bool:
        """Remove while unchanged."""
        row = self.rows.get(phone)
        if row is None or row["tries"] != tries:
            return False
        del self.rows[phone]
        return True

    def forget(self, phone: str) -> None:
        """Remove."""
        self.rows.pop(phone, None)


class MemoryWindowCounters:
    """Counts by (subject, window, start)."""

    def __init__(self, store: Any):
        self.rows: dict[tuple[str, int, int], int] = store.records.setdefault("counters", {})

    def count(self, subject: str, window: int, limit: int, now: int) -> int:
        """One more below the limit."""
        start = now - now % window
        key = (subject, window, start)
        if self.rows.get(key, 0) >= limit:
            return start + window - now
        self.rows[key] = self.rows.get(key, 0) + 1
        return 0

    def uncount(self, subject: str, window: int, now: int) -> None:
        """One less."""
        key = (subject, window, now - now % window)
        self.rows[key] = self.rows.get(key, 0) - 1


class MemorySendLogs:
    """Versioned logs by phone."""

    def __init__(self, store: Any):
        self.rows: dict[str, tuple[dict[str, Any], int]] = store.records.setdefault("send_logs", {})

    def read(self, phone: str) -> tuple[dict[str, Any], int]:
        """A copy and its version."""
        log, version = self.rows.get(phone, ({}, 0))
        return dict(log), version

    def replace(self, phone: str, log: dict[str, Any], version: int, expires_at: int) -> bool:
        """Only over the version read."""
        if self.rows.get(phone, ({}, 0))[1] != version:
            return False
        self.rows[phone] = (dict(log), version + 1)
        return True


class MemoryInbound:
    """Answers by message key, bodies by request."""

    def __init__(self, store: Any, staged: Any):
        self.rows: dict[str, str] = store.records.setdefault("inbound", {})
        self.bodies: dict[str, str] = store.records.setdefault("bodies", {})
        self.staged = staged

    def keep_first(self, key: str, answer: str, now: int, ttl: int) -> str:
        """The first stays."""
        return self.rows.setdefault(key, answer)

    def claim(self, key: str, placeholder: str, now: int, ttl: int) -> str | None:
        """Hold unless seen."""
        if key in self.rows:
            return self.rows[key]
        self.rows[key] = placeholder
        return None

    def settle(self, key: str, answer: str, now: int, ttl: int) -> None:
        """Store."""
        self.rows[key] = answer

    def release(self, key: str, placeholder: str) -> None:
        """Forget a hold."""
        if self.rows.get(key) == placeholder:
            del self.rows[key]

    def get(self, key: str) -> str | None:
        """Stored answer."""
        return self.rows.get(key)

    def answer(self, key: str, answer: str, now: int, ttl: int, over: str | None = None) -> None:
        """Stage."""
        self.staged.writes.append(("inbound.answer", key,
                                   lambda: key not in self.rows or (over is not None and self.rows[key] == over),
                                   lambda: self.rows.__setitem__(key, answer)))

    def first_body(self, request: str, digest: str, now: int, ttl: int) -> bool:
        """Same digest or new."""
        return self.bodies.setdefault(request, digest) == digest
