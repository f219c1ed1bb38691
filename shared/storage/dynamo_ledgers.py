"""Counters and ledgers in DynamoDB that write at once (never staged): consent credits
``ACC#<channel>#<acct>``/``CREDIT#<template>``, backend nonces ``NONCE#<nonce>``/``NONCE``, one-time codes
``OTP#<phone>``/``OTP``, quota windows ``<subject>#<window>``/``<start>`` and SMS send logs
``SMSLIMIT#<phone>``/``SMS``, inbound answers ``INBOUND#<key>``/``INBOUND`` and signed-request bodies
``WXREQ#<request>``/``WXREQ`` (all with a TTL)."""

from __future__ import annotations

import contextlib
from typing import Any

from shared.storage.dynamo import ConditionFailed, Table
from shared.storage.dynamo_records import NEW, Staged


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


class DynamoOtpCodes:
    """``OTP#<phone>``: the hash, the tries and when it expires."""

    def __init__(self, table: Table):
        self.table = table

    def issue(self, phone: str, code_hash: str, now: int, ttl: int, resend_after: int) -> int | None:
        """A conditional put: new, or the last one was sent long enough ago."""
        item = {"pk": f"OTP#{phone}", "sk": "OTP", "code_hash": code_hash, "tries": 0, "sent_at": now,
                "expires_at": now + ttl, "ttl": now + ttl + 3600}
        try:
            self.table.put(item, "attribute_not_exists(pk) OR sent_at <= :cutoff",
                           values={":cutoff": now - resend_after})
        except ConditionFailed as exc:
            return int((exc.item or {}).get("sent_at", now)) + resend_after - now
        return None

    def attempt(self, phone: str, now: int, max_tries: int) -> tuple[str, int] | None:
        """``SET tries = tries + 1`` while live and under the limit."""
        try:
            item = self.table.update(f"OTP#{phone}", "OTP", "SET tries = tries + :one",
                                     values={":one": 1, ":max": max_tries, ":now": now},
                                     condition="attribute_exists(pk) AND tries < :max AND expires_at > :now")
        except ConditionFailed:
            return None
        return str(item["code_hash"]), int(item["tries"])

    def consume(self, phone: str, tries: int) -> bool:
        """Delete while ``tries`` is unchanged."""
        try:
            self.table.delete(f"OTP#{phone}", "OTP", "tries = :tries", values={":tries": tries})
        except ConditionFailed:
            return False
        return True

    def forget(self, phone: str) -> None:
        """Delete."""
        self.table.delete(f"OTP#{phone}", "OTP")


class DynamoWindowCounters:
    """``<subject>#<window>`` / ``<window start>`` with ``n`` and a TTL an hour past the window."""

    def __init__(self, table: Table):
        self.table = table

    def count(self, subject: str, window: int, limit: int, now: int) -> int:
        """``ADD n 1`` below the limit."""
        subject, start = _subject(subject), now - now % window
        try:
            self.table.update(f"{subject}#{window}", str(start), "ADD n :one SET #t = :ttl", names={"#t": "ttl"},
                              values={":one": 1, ":max": limit, ":ttl": start + window + 3600},
                              condition="attribute_not_exists(n) OR n < :max")
        except ConditionFailed:
            return start + window - now
        return 0

    def uncount(self, subject: str, window: int, now: int) -> None:
        """``ADD n -1``."""
        subject = _subject(subject)
        self.table.update(f"{subject}#{window}", str(now - now % window), "ADD n :less", values={":less": -1})


def _subject(subject: str) -> str:
    """``otp_account:<channel#acct>`` → ``OTPACC#<channel#acct>``; ``otp_all`` → ``OTPALL``."""
    scope, _, who = subject.partition(":")
    return {"otp_account": f"OTPACC#{who}", "otp_all": "OTPALL"}.get(scope, subject)


class DynamoSendLogs:
    """``SMSLIMIT#<phone>`` / ``SMS`` with a version attribute ``ver``."""

    def __init__(self, table: Table):
        self.table = table

    def read(self, phone: str) -> tuple[dict[str, Any], int]:
        """The log without its keys."""
        item = self.table.get(f"SMSLIMIT#{phone}", "SMS") or {}
        log = {k: v for k, v in item.items() if k not in ("pk", "sk", "ver", "ttl")}
        return log, int(item.get("ver", 0))

    def replace(self, phone: str, log: dict[str, Any], version: int, expires_at: int) -> bool:
        """A put conditioned on the version read."""
        item = {**log, "pk": f"SMSLIMIT#{phone}", "sk": "SMS", "ver": version + 1, "ttl": expires_at}
        condition = "attribute_not_exists(pk)" if version == 0 else "ver = :v"  # a log TTL removed stays gone
        try:
            self.table.put(item, condition, values={":v": version} if version else None)
        except ConditionFailed:
            return False
        return True


class DynamoInbound:
    """Inbound answers and signed-request bodies."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    @staticmethod
    def _item(key: str, answer: str, now: int, ttl: int) -> dict[str, Any]:
        return {"pk": f"INBOUND#{key}", "sk": "INBOUND", "answer": answer, "at": now, "ttl": now + ttl}

    def keep_first(self, key: str, answer: str, now: int, ttl: int) -> str:
        """A conditional put; the stored answer comes back with the refusal (one request)."""
        try:
            self.table.put(self._item(key, answer, now, ttl), NEW)
        except ConditionFailed as exc:
            return str((exc.item or {}).get("answer", ""))
        return answer

    def claim(self, key: str, placeholder: str, now: int, ttl: int) -> str | None:
        """A conditional put of the placeholder."""
        try:
            self.table.put(self._item(key, placeholder, now, ttl), NEW)
        except ConditionFailed as exc:
            return str((exc.item or {}).get("answer", placeholder))
        return None

    def settle(self, key: str, answer: str, now: int, ttl: int) -> None:
        """A plain put."""
        self.table.put(self._item(key, answer, now, ttl))

    def release(self, key: str, placeholder: str) -> None:
        """Delete while still the placeholder."""
        with contextlib.suppress(ConditionFailed):
            self.table.delete(f"INBOUND#{key}", "INBOUND", "answer = :p", values={":p": placeholder})

    def get(self, key: str) -> str | None:
        """The stored answer."""
        item = self.table.get(f"INBOUND#{key}", "INBOUND")
        return str(item["answer"]) if item else None

    def answer(self, key: str, answer: str, now: int, ttl: int, over: str | None = None) -> None:
        """Stage the put."""
        put: dict[str, Any] = {"Item": self._item(key, answer, now, ttl),
                               "ConditionExpression": NEW + (" OR answer = :p" if over is not None else "")}
        if over is not None:
            put["ExpressionAttributeValues"] = {":p": over}
        self.staged.add("inbound.answer", key, {"Put": put})

    def first_body(self, request: str, digest: str, now: int, ttl: int) -> bool:
        """A put conditioned on the same digest."""
        try:
            self.table.put({"pk": f"WXREQ#{request}", "sk": "WXREQ", "body": digest, "ttl": now + ttl},
                           "attribute_not_exists(pk) OR body = :b", values={":b": digest})
        except ConditionFailed:
            return False
        return True
