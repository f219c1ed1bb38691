"""The outbox in DynamoDB: ``NTC#<id>``/``NTC`` with ``gsi1`` by application or address and the sparse,
sharded ``gsi3`` while open or failed (``shared/storage/notice_keys.py``). Every write after the first
is conditioned on the notice's ``gen`` and lease, so one try at a time changes it."""

from __future__ import annotations

from typing import Any

from shared.contract.records import DeliveryAttempt, Notice
from shared.storage.dynamo import ConditionFailed, Table, serialize
from shared.storage.dynamo_records import MAX_KEY, NEW, Staged
from shared.storage.notice_keys import SHARDS, expiry_index, index_keys, notice_item
from shared.storage.ports import WriteConflict

FAIL = "SET #s = :s, attempts = list_append(attempts, :a), lease_until = :zero, gsi3pk = :ix, gsi3sk = :due " \
    "REMOVE waiting"


def _attempts(fresh: list[DeliveryAttempt]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json", exclude_none=True) for a in fresh]


def _failed(notice_id: str, now: int) -> dict[str, Any]:
    keys = index_keys(notice_id, "NTCFAILED", now)
    return {":s": "failed", ":ix": keys["gsi3pk"], ":due": keys["gsi3sk"], ":zero": 0}


class DynamoNotices:
    """Notices: staged creation, then leased tries."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def add(self, notice: Notice, step: int = 0) -> None:
        """Stage the notice (new)."""
        self.staged.add("notices.add", notice.notice_id, {"Put": {
            "Item": {**notice_item(notice, step), **expiry_index(notice)}, "ConditionExpression": NEW}})

    def put_many(self, notices: list[Notice]) -> None:
        """Store at once, 25 a request, unconditionally (ids are unique or deterministic)."""
        for start in range(0, len(notices), 25):
            pending: dict[str, Any] = {self.table.name: [
                {"PutRequest": {"Item": serialize({**notice_item(n), **expiry_index(n)})}}
                for n in notices[start:start + 25]]}
            while pending:
                pending = self.table.batch_write(pending)

    def get(self, notice_id: str) -> Notice | None:
        """One notice."""
        item = self.table.get(f"NTC#{notice_id}", "NTC") if len(notice_id) <= MAX_KEY else None
        return Notice.model_validate(item) if item else None

    def existing(self, notice_ids: list[str]) -> set[str]:
        """Which of these are stored (strongly consistent, 100 a request)."""
        found: set[str] = set()
        for start in range(0, len(notice_ids), 100):
            keys = [(f"NTC#{i}", "NTC") for i in notice_ids[start:start + 100]]
            found |= {pk[len("NTC#"):] for pk, _ in self.table.batch_get(keys)}
        return found

    def of_application(self, application_no: str) -> list[Notice]:
        """``gsi1`` ``NTCAPP#``, oldest first."""
        return self._gsi1(f"NTCAPP#{application_no}")

    def to_address(self, account: str) -> list[Notice]:
        """``gsi1`` ``NTCTO#``, oldest first."""
        return self._gsi1(f"NTCTO#{account}")

    def _gsi1(self, key: str) -> list[Notice]:
        return [Notice.model_validate(i) for i in self.table.query("gsi1pk = :p", {":p": key}, index="gsi1")]

    def in_state(self, state: str) -> list[Notice]:
        """Open (``pending``) or ``failed`` notices across the shards, oldest first."""
        prefix = {"pending": "NTCOPEN", "failed": "NTCFAILED"}[state]
        found = [Notice.model_validate(i) for n in range(SHARDS)
                 for i in self.table.query("gsi3pk = :p", {":p": f"{prefix}#{n}"}, index="gsi3")]
        return sorted(found, key=lambda x: x.created_at)

    def overdue(self, before: int) -> list[Notice]:
        """Open notices whose next try was due before ``before``."""
        return [Notice.model_validate(i) for n in range(SHARDS) for i in self.table.query(
            "gsi3pk = :p AND gsi3sk < :t", {":p": f"NTCOPEN#{n}", ":t": f"{before:010d}"}, index="gsi3")]

    def unqueued(self) -> list[str]:
        """Legacy ``UNQUEUED`` markers (notices stored before the outbox index whose queueing failed)."""
        return [m["sk"] for m in self.table.query("pk = :p", {":p": "UNQUEUED"})]

    def forget_unqueued(self, notice_id: str) -> None:
        """Drop a legacy marker."""
        self.table.delete("UNQUEUED", notice_id)

    def claim(self, notice_id: str, gen: int, now: int, lease: int) -> tuple[Notice | None, str]:
        """Lease a pending notice of this ``gen``: ``(notice, "")``, or ``(None, why)``."""
        try:
            item = self.table.update(  # a notice stored before gens existed counts as gen 0
                f"NTC#{notice_id}", "NTC", "SET lease_until = :until, gen = if_not_exists(gen, :g)",
                names={"#s": "status"}, values={":until": now + lease, ":now": now, ":p": "pending", ":g": gen},
                condition="#s = :p AND (gen = :g OR attribute_not_exists(gen)) "
                          "AND (attribute_not_exists(lease_until) OR lease_until < :now)")
        except ConditionFailed as exc:
            old = exc.item or {}
            why = "unknown" if not old else old.get("status") if old.get("status") != "pending" else \
                "stale message" if int(old.get("gen", 0)) != gen else "another worker holds it"
            return None, str(why)
        return Notice.model_validate(item), ""

    def wait(self, notice: Notice, fresh: list[DeliveryAttempt], due: int, waiting: str | None) -> None:
        """Record the try and the next one's time (a new ``gen``) while holding the lease."""
        keys = index_keys(notice.notice_id, "NTCOPEN", due)
        sets = "attempts = list_append(attempts, :a), gen = :g1, next_at = :due, gsi3pk = :ix, gsi3sk = :sk, " \
            "lease_until = :zero"
        values: dict[str, Any] = {":g1": notice.gen + 1, ":due": due, ":ix": keys["gsi3pk"], ":sk": keys["gsi3sk"]}
        if waiting:
            values[":w"] = waiting
        self._leased(notice, "SET " + sets + (", waiting = :w" if waiting else " REMOVE waiting"), values, fresh)

    def delivered(self, notice: Notice, fresh: list[DeliveryAttempt]) -> None:
        """Close as delivered (off the open index)."""
        self._leased(notice, "SET #s = :s, attempts = list_append(attempts, :a), lease_until = :zero "
                     "REMOVE waiting, gsi3pk, gsi3sk", {":s": "delivered"}, fresh)

    def failed(self, notice: Notice, fresh: list[DeliveryAttempt], now: int) -> None:
        """Close as failed (onto the failed index)."""
        self._leased(notice, FAIL, _failed(notice.notice_id, now), fresh)

    def _leased(self, notice: Notice, expression: str, values: dict[str, Any], fresh: list[DeliveryAttempt]) -> None:
        try:
            self.table.update(
                f"NTC#{notice.notice_id}", "NTC", expression, names={"#s": "status"} if "#s" in expression else None,
                values={**values, ":a": _attempts(fresh), ":zero": 0, ":g": notice.gen, ":mine": notice.lease_until},
                condition="gen = :g AND lease_until = :mine")
        except ConditionFailed:
            raise WriteConflict("notices.lease", notice.notice_id) from None

    def dead_letter(self, notice_id: str, gen: int, now: int, closing: DeliveryAttempt) -> Notice | None:
        """Fail a pending notice of this ``gen`` nobody holds; None when it moved on."""
        try:
            item = self.table.update(
                f"NTC#{notice_id}", "NTC", FAIL, names={"#s": "status"},
                values={**_failed(notice_id, now), ":p": "pending", ":a": _attempts([closing]), ":g": gen,
                        ":now": now},
                condition="#s = :p AND gen = :g AND (attribute_not_exists(lease_until) OR lease_until < :now)")
        except ConditionFailed:
            return None
        return Notice.model_validate(item)

    def retry(self, notice: Notice, now: int) -> Notice | None:
        """Reopen a failed notice with a fresh budget (a new ``gen``); None when it changed meanwhile."""
        keys = index_keys(notice.notice_id, "NTCOPEN", now)
        try:
            item = self.table.update(
                f"NTC#{notice.notice_id}", "NTC", "SET #s = :p, gen = :g, next_at = :now, aged_from = :now, "
                "budget_from = :n, gsi3pk = :ix, gsi3sk = :due REMOVE waiting", names={"#s": "status"},
                values={":p": "pending", ":f": "failed", ":g": notice.gen + 1, ":old": notice.gen, ":now": now,
                        ":n": len(notice.attempts), ":ix": keys["gsi3pk"], ":due": keys["gsi3sk"]},
                condition="#s = :f AND gen = :old")
        except ConditionFailed:
            return None
        return Notice.model_validate(item)
