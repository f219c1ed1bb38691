"""The DynamoDB side of ``shared/storage/ports.py``: every key, index attribute and condition of
applications, complaints, rectification cases, idempotency keys, the rating log and new notices
(the key schema is drawn in ``shared/storage/__init__.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from shared.contract.records import Application, Complaint, RectificationCase, TimelineEntry
from shared.lifecycle import RATABLE
from shared.storage.dynamo import Table

M = TypeVar("M", bound=BaseModel)
MAX_KEY = 64  # longer ids are never ours: answer "not found" without a request
NEW = "attribute_not_exists(pk)"


class Staged:
    """The writes of one unit of work, each with the label a conflict reports."""

    def __init__(self) -> None:
        self.actions: list[tuple[str, str, dict[str, Any]]] = []

    def add(self, label: str, key: str, action: dict[str, Any]) -> None:
        """Stage one ``Put``/``Update`` action."""
        self.actions.append((label, key, action))


class _Tracked(Generic[M]):
    """A record with a ``status`` and an append-only ``timeline`` under ``<PREFIX>#<id>`` / ``<PREFIX>``."""

    model: type[M]
    prefix = ""
    id_field = ""
    label = ""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def _key(self, key: str) -> dict[str, str]:
        return {"pk": f"{self.prefix}#{key}", "sk": self.prefix}

    def indexes(self, record: M) -> dict[str, str]:
        """The index attributes a record is found by."""
        return {}

    def get(self, key: str) -> M | None:
        """The record, or None."""
        if len(key) > MAX_KEY:
            return None
        item = self.table.get(**self._key(key))
        return self.model.model_validate(item) if item else None

    def add(self, record: M) -> None:
        """Stage a new record."""
        key = getattr(record, self.id_field)
        item = {**self._key(key), **self.indexes(record), **record.model_dump(mode="json", exclude_none=True)}
        self.staged.add(f"{self.label}.add", key, {"Put": {"Item": item, "ConditionExpression": NEW}})

    def move(self, before: M, after: M) -> None:
        """Stage a status change conditioned on the status ``before`` was read in."""
        self._update(before, after, f"{self.label}.move", "#f_status = :expected")

    def _update(self, before: M, after: M, label: str, condition: str) -> None:
        old = {**before.model_dump(mode="json", exclude_none=True), **self.indexes(before)}
        new = {**after.model_dump(mode="json", exclude_none=True), **self.indexes(after)}
        names, values, sets = {"#f_status": "status"}, {":expected": old["status"]}, []
        for field, value in new.items():
            if field == "timeline":
                added = value[len(old.get("timeline", [])):]
                if added:
                    names["#f_timeline"], values[":added"] = "timeline", added
                    sets.append("#f_timeline = list_append(#f_timeline, :added)")
            elif old.get(field) != value:
                names[f"#f_{field}"], values[f":v_{field}"] = field, value
                sets.append(f"#f_{field} = :v_{field}")
        removed = [field for field in old if field not in new]  # cleared fields and indexes left behind
        for field in removed:
            names[f"#f_{field}"] = field
        key = getattr(after, self.id_field)
        expression = "SET " + ", ".join(sets or ["#f_status = :expected"])
        if removed:
            expression += " REMOVE " + ", ".join(f"#f_{field}" for field in removed)
        self.staged.add(label, key, {"Update": {
            "Key": self._key(key), "UpdateExpression": expression, "ConditionExpression": condition,
            "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}})


class DynamoApplications(_Tracked[Application]):
    """``APP#<no>``; ``gsi1`` ``CIT#<citizen>`` / ``APP#<submitted>#<no>``; finished ones on ``gsi2`` by day."""

    model, prefix, id_field, label = Application, "APP", "application_no", "applications"

    def indexes(self, record: Application) -> dict[str, str]:
        """By citizen, newest first; finished (ratable) ones by day for the rating invites."""
        keys = {"gsi1pk": f"CIT#{record.citizen_id}",
                "gsi1sk": f"APP#{record.submitted_at.isoformat()}#{record.application_no}"}
        if record.status in RATABLE and record.finished_at is not None:
            keys.update(gsi2pk=f"DONE#{record.finished_at.date().isoformat()}", gsi2sk=record.application_no)
        return keys

    def of_citizen(self, citizen_id: str, limit: int | None = None) -> list[Application]:
        """Newest first."""
        items = self.table.query("gsi1pk = :p AND begins_with(gsi1sk, :a)", {":p": f"CIT#{citizen_id}", ":a": "APP#"},
                                 index="gsi1", forward=False, limit=limit)
        return [Application.model_validate(i) for i in items]

    def rate(self, application: Application, after: Application) -> None:
        """Stage the rating once, while the application is still in the finished status it was read in."""
        self._update(application, after, "applications.rate", "attribute_not_exists(rating) AND #f_status = :expected")

    def finished_on(self, day: date) -> list[Application]:
        """``gsi2`` ``DONE#<day>``."""
        return [Application.model_validate(i)
                for i in self.table.query("gsi2pk = :p", {":p": f"DONE#{day.isoformat()}"}, index="gsi2")]

    def invite(self, application: Application) -> None:
        """Stage ``invited`` (older items have no attribute at all)."""
        self.staged.add("applications.invite", application.application_no, {"Update": {
            "Key": self._key(application.application_no), "UpdateExpression": "SET invited = :t",
            "ConditionExpression": "(attribute_not_exists(invited) OR invited = :f) AND attribute_not_exists(rating)",
            "ExpressionAttributeValues": {":t": True, ":f": False}}})


class _Queued(_Tracked[M]):
    """A tracked record on ``gsi1`` by status, oldest due first: ``<STATUSES>#<status>`` / ``<due>#<id>``."""

    by_status = ""

    def indexes(self, record: M) -> dict[str, str]:
        """By status and due date."""
        return {"gsi1pk": f"{self.by_status}#{record.status}",  # type: ignore[attr-defined]
                "gsi1sk": f"{record.due.isoformat()}#{getattr(record, self.id_field)}"}  # type: ignore[attr-defined]

    def in_status(self, status: str) -> list[M]:
        """Oldest due first."""
        return [self.model.model_validate(i)
                for i in self.table.query("gsi1pk = :p", {":p": f"{self.by_status}#{status}"}, index="gsi1")]

    def in_status_after(self, status: str, after: str | None, limit: int) -> list[M]:
        """A page: oldest due first, sort keys (``<due>#<id>``) after the cursor."""
        return [self.model.model_validate(i) for i in self.table.query(
            "gsi1pk = :p AND gsi1sk > :a", {":p": f"{self.by_status}#{status}", ":a": after or " "}, index="gsi1",
            limit=limit)]

    def overdue(self, status: str, day: date) -> list[M]:
        """Due before ``day`` (the sort key starts with the due date)."""
        return [self.model.model_validate(i) for i in self.table.query(
            "gsi1pk = :p AND gsi1sk < :d", {":p": f"{self.by_status}#{status}", ":d": day.isoformat()}, index="gsi1")]

    def many(self, keys: list[str]) -> dict[str, M]:
        """``BatchGetItem``, a hundred keys a request."""
        wanted = [k for k in dict.fromkeys(keys) if len(k) <= MAX_KEY]
        found: dict[str, M] = {}
        for start in range(0, len(wanted), 100):
            items = self.table.batch_get([(f"{self.prefix}#{k}", self.prefix) for k in wanted[start:start + 100]])
            for item in items.values():
                record = self.model.model_validate(item)
                found[getattr(record, self.id_field)] = record
        return found

    def supervise(self, record: M, entry: TimelineEntry, department: str) -> None:
        """Stage the flag once."""
        key = getattr(record, self.id_field)
        self.staged.add(f"{self.label}.supervise", key, {"Update": {
            "Key": self._key(key),
            "UpdateExpression": "SET supervised = :t, supervised_at = :at, supervised_due = :d, "
                                "timeline = list_append(timeline, :e)",
            "ConditionExpression": "attribute_not_exists(supervised) OR supervised = :f",
            "ExpressionAttributeValues": {":t": True, ":f": False, ":at": entry.at.isoformat(), ":d": department,
                                          ":e": [entry.model_dump(mode="json", exclude_none=True)]}}})


class DynamoComplaints(_Queued[Complaint]):
    """``CMP#<no>``; ``gsi1`` by status; ``gsi2`` ``CMPREG#<month>`` for the report."""

    model, prefix, id_field, label, by_status = Complaint, "CMP", "complaint_no", "complaints", "CMPS"

    def registered_in(self, month: str) -> list[Complaint]:
        """``gsi2`` ``CMPREG#<month>``."""
        return [Complaint.model_validate(i)
                for i in self.table.query("gsi2pk = :p", {":p": f"CMPREG#{month}"}, index="gsi2")]

    def add(self, record: Complaint) -> None:
        """Stage the complaint and, in the same transaction, its line in the citizen's partition
        (``CIT#<id>`` / ``CMP#<registered>#<no>``) that lists a citizen's complaints without an index."""
        super().add(record)
        registered = record.timeline[0].at.isoformat()
        line = {"pk": f"CIT#{record.citizen_id}", "sk": f"CMP#{registered}#{record.complaint_no}",
                "complaint_no": record.complaint_no}
        self.staged.add("complaints.line", record.complaint_no, {"Put": {"Item": line}})

    def of_citizen(self, citizen_id: str, limit: int) -> list[Complaint]:
        """The citizen's lines, newest first, then the complaints in one batch read."""
        lines = list(self.table.query("pk = :p AND begins_with(sk, :c)", {":p": f"CIT#{citizen_id}", ":c": "CMP#"},
                                      forward=False, limit=limit))[:limit]
        if not lines:
            return []
        keys = [(f"CMP#{i['complaint_no']}", "CMP") for i in lines]
        found = self.table.batch_get(keys)
        return [Complaint.model_validate(found[k]) for k in keys if k in found]

    def indexes(self, record: Complaint) -> dict[str, str]:
        """By status and due date, and by month registered."""
        registered = record.timeline[0].at
        return {**super().indexes(record), "gsi2pk": f"CMPREG#{registered:%Y-%m}",
                "gsi2sk": f"{registered.isoformat()}#{record.complaint_no}"}


class DynamoCases(_Queued[RectificationCase]):
    """``CASE#<id>``; ``gsi1`` by status."""

    model, prefix, id_field, label, by_status = RectificationCase, "CASE", "case_id", "cases", "CASES"


class DynamoIdempotencyKeys:
    """``IDEM#<key>`` / ``IDEM`` with a 24-hour TTL."""

    def __init__(self, table: Table, staged: Staged):
        self.table, self.staged = table, staged

    def get(self, key: str) -> tuple[str, str] | None:
        """``(body_hash, application_no)``."""
        item = self.table.get(f"IDEM#{key}", "IDEM")
        return (item["body_hash"], item["application_no"]) if item else None

    def add(self, key: str, body_hash: str, result: str, expires_at: int) -> None:
        """Stage the key."""
        item = {"pk": f"IDEM#{key}", "sk": "IDEM", "body_hash": body_hash, "application_no": result, "ttl": expires_at}
        self.staged.add("idempotency.add", key,
                        {"Put": {"Item": item, "ConditionExpression": NEW}})


class DynamoRatingLog:
    """``RATINGS#<yyyy-mm>`` / ``<rated_at>#<no>``."""

    def __init__(self, staged: Staged, table: Table):
        self.staged, self.table = staged, table

    def of_month(self, month: str) -> list[dict[str, Any]]:
        """The month's partition."""
        return [{k: v for k, v in i.items() if k not in ("pk", "sk")}
                for i in self.table.query("pk = :p", {":p": f"RATINGS#{month}"})]

    def add(self, entry: dict[str, Any]) -> None:
        """Stage one entry."""
        item = {"pk": f"RATINGS#{entry['rated_at'][:7]}", "sk": f"{entry['rated_at']}#{entry['application_no']}",
                **{k: v for k, v in entry.items() if v is not None}}
        self.staged.add("rating_log.add", entry["application_no"], {"Put": {"Item": item}})
