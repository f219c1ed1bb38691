"""Inbound message de-duplication in DynamoDB (Lambda instances share no memory).

WeChat retries a message three times 5 s apart; SNS may deliver twice. The first delivery's
answer is stored under the message's key and every retry gets the same answer. An answer sent
later (SMS, customer-service messages) is stored together with the notice that carries it, so
it is recorded exactly once and a failed send can never lose it.
"""

from __future__ import annotations

import contextlib

from shared.clock import Clock
from shared.contract.records import Notice
from shared.errors import Unavailable
from shared.services.notices import notice_puts
from shared.storage.dynamo import ConditionFailed, Table, TransactionCancelled

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

    def first_body(self, request: str, digest: str) -> bool:
        """Remember the body a signed request came with (10 minutes); False when it came with another."""
        now = int(self.clock.now().timestamp())
        try:
            self.table.put({"pk": f"WXREQ#{request}", "sk": "WXREQ", "body": digest, "ttl": now + 600},
                           "attribute_not_exists(pk) OR body = :b", values={":b": digest})
        except ConditionFailed:
            return False
        return True

    def release(self, key: str) -> None:
        """Forget a claim whose answer could not be made (the platform's retry tries again)."""
        with contextlib.suppress(ConditionFailed):  # answered meanwhile: keep the answer
            self.table.delete(f"INBOUND#{key}", "INBOUND", "answer = :p", values={":p": PENDING})

    def answer_once(self, key: str, answer: str, notices: list[Notice], *, settling: bool = False) -> bool:
        """Store the answer to a message with the notices that carry it, in one transaction; False when the
        message was answered already. ``settling`` also takes over this message's pending claim."""
        condition = "attribute_not_exists(pk) OR answer = :p" if settling else "attribute_not_exists(pk)"
        claim: dict[str, object] = {"Item": self._item(key, answer), "ConditionExpression": condition}
        if settling:
            claim["ExpressionAttributeValues"] = {":p": PENDING}
        try:
            self.table.transact([{"Put": claim}, *(a for n in notices for a in notice_puts(n))])
        except TransactionCancelled as exc:
            if exc.reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            raise Unavailable("the answer could not be recorded; try again") from None
        return True

    def answered(self, key: str) -> bool:
        """Whether a message's answer is recorded (a pending claim is not an answer)."""
        item = self.table.get(f"INBOUND#{key}", "INBOUND")
        return item is not None and item.get("answer") != PENDING
