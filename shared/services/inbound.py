"""Inbound message de-duplication in DynamoDB (Lambda instances share no memory).

WeChat retries a message three times 5 s apart; SNS may deliver twice. The first delivery's
answer is stored under the message's key and every retry gets the same answer.
"""

from __future__ import annotations

from shared.clock import Clock
from shared.storage.dynamo import ConditionFailed, Table

DEDUPE_TTL = 24 * 3600
PENDING = "\x00pending"


class InboundLog:
    """Remembers the answer given to each inbound message."""

    def __init__(self, table: Table, clock: Clock):
        self.table, self.clock = table, clock

    def _item(self, key: str, answer: str) -> dict[str, object]:
        now = int(self.clock.now().timestamp())
        return {"pk": f"INBOUND#{key}", "sk": "INBOUND", "answer": answer, "at": now, "ttl": now + DEDUPE_TTL}

    def keep_first(self, key: str, answer: str) -> str:
        """Store ``answer`` unless the message was seen; returns the answer that stands (one request)."""
        try:
            self.table.put(self._item(key, answer), "attribute_not_exists(pk)")
        except ConditionFailed as exc:
            return str((exc.item or {}).get("answer", ""))
        return answer

    def claim(self, key: str) -> str | None:
        """Claim a message before an effect: None when claimed now, else the stored answer."""
        try:
            self.table.put(self._item(key, PENDING), "attribute_not_exists(pk)")
        except ConditionFailed as exc:
            return str((exc.item or {}).get("answer", PENDING))
        return None

    def settle(self, key: str, answer: str) -> None:
        """Record the answer of a claimed message."""
        self.table.put(self._item(key, answer))
