"""Inbound message de-duplication in DynamoDB (Lambda instances share no memory).

WeChat retries a message three times 5 s apart; SNS may deliver twice. The first delivery's
answer is stored under the message's key and every retry gets the same answer. An answer sent
later (SMS, customer-service messages) is stored together with the notice that carries it, so
it is recorded exactly once and a failed send can never lose it.
"""

from __future__ import annotations

from shared.clock import Clock
from shared.contract.records import Notice
from shared.errors import Unavailable
from shared.storage.ports import UnitOfWorkFactory, WriteConflict

DEDUPE_TTL = 24 * 3600
PENDING = "\x00pending"


class InboundLog:
    """Remembers the answer given to each inbound message."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock):
        self.uow, self.clock = uow, clock

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def keep_first(self, key: str, answer: str) -> str:
        """Store ``answer`` unless the message was seen; returns the answer that stands (one request)."""
        return self.uow().inbound.keep_first(key, answer, self._now(), DEDUPE_TTL)

    def claim(self, key: str) -> str | None:
        """Claim a message before an effect: None when claimed now, else the stored answer."""
        return self.uow().inbound.claim(key, PENDING, self._now(), DEDUPE_TTL)

    def settle(self, key: str, answer: str) -> None:
        """Record the answer of a claimed message."""
        self.uow().inbound.settle(key, answer, self._now(), DEDUPE_TTL)

    def first_body(self, request: str, digest: str) -> bool:
        """Remember the body a signed request came with (10 minutes); False when it came with another."""
        return self.uow().inbound.first_body(request, digest, self._now(), 600)

    def release(self, key: str) -> None:
        """Forget a claim whose answer could not be made (the platform's retry tries again)."""
        self.uow().inbound.release(key, PENDING)  # answered meanwhile: the answer stays

    def answer_once(self, key: str, answer: str, notices: list[Notice], *, settling: bool = False) -> bool:
        """Store the answer to a message with the notices that carry it, in one transaction; False when the
        message was answered already. ``settling`` also takes over this message's pending claim."""
        uow = self.uow()
        uow.inbound.answer(key, answer, self._now(), DEDUPE_TTL, over=PENDING if settling else None)
        for notice in notices:
            uow.notices.add(notice)
        try:
            uow.commit()
        except WriteConflict as exc:
            if exc.label == "inbound.answer":
                return False
            raise Unavailable("the answer could not be recorded; try again") from None
        except Unavailable:
            raise Unavailable("the answer could not be recorded; try again") from None
        return True

    def answered(self, key: str) -> bool:
        """Whether a message's answer is recorded (a pending claim is not an answer)."""
        stored = self.uow().inbound.get(key)
        return stored is not None and stored != PENDING
