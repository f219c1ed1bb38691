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
