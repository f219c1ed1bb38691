"""Counters and ledgers in DynamoDB that write at once (never staged): consent credits
``ACC#<channel>#<acct>``/``CREDIT#<template>`` and backend nonces ``NONCE#<nonce>``/``NONCE`` (TTL)."""

from __future__ import annotations

import contextlib

from shared.storage.dynamo import ConditionFailed, Table


class DynamoConsentCredits:
    """Atomic ``ADD`` counters beside the account."""

    def __init__(self, table: Table):
        self.table = table

    def held(self, channel: str, account: str) -> dict[str, int]:
        """Every ``CREDIT#`` of the account."""
        return {i["sk"][len("CREDIT#"):]: int(i.get("n", 0)) for i in self.table.query(
            "pk = :p AND begins_with(sk, :c)", {":p": f"ACC#{channel}#{account}", ":c": "CREDIT#"})}

    def add(self, channel: str, account: str, template_id: str, cap: int) -> None:
        """``ADD n 1`` below the cap."""
        with contextlib.suppress(ConditionFailed):
            self.table.update(f"ACC#{channel}#{account}", f"CREDIT#{template_id}", "ADD n :one",
                              values={":one": 1, ":max": cap}, condition="attribute_not_exists(n) OR n < :max")

    def take(self, channel: str, account: str, template_id: str) -> bool:
        """``ADD n -1`` while ``n > 0``."""
        try:
            self.table.update(f"ACC#{channel}#{account}", f"CREDIT#{template_id}", "ADD n :minus",
                              values={":minus": -1, ":zero": 0}, condition="n > :zero")
        except ConditionFailed:
            return False
        return True

    def give_back(self, channel: str, account: str, template_id: str) -> None:
        """``ADD n 1``."""
        self.table.update(f"ACC#{channel}#{account}", f"CREDIT#{template_id}", "ADD n :one", values={":one": 1})

    def clear(self, channel: str, account: str, template_id: str) -> None:
        """Delete the counter."""
        self.table.delete(f"ACC#{channel}#{account}", f"CREDIT#{template_id}")


class DynamoNonceLedger:
    """A conditional put: new, or its TTL passed (DynamoDB deletes expired items late)."""

    def __init__(self, table: Table):
        self.table = table

    def remember(self, nonce: str, now: int, ttl: int) -> bool:
        """True the first time within ``ttl``."""
        try:
            self.table.put({"pk": f"NONCE#{nonce}", "sk": "NONCE", "ttl": now + ttl, "seen_at": now},
                           "attribute_not_exists(pk) OR #t < :now", names={"#t": "ttl"}, values={":now": now})
        except ConditionFailed:
            return False
        return True
