"""The in-memory side of ``shared/storage/ports.py``: the fake service unit tests run on (no moto).

It keeps the same promises as the DynamoDB adapter — staged writes land all or nothing, a new
record's key must be free, a move needs the status it was read in, a rating lands once — and the
contract suite in ``tests/unit/shared/storage`` holds both adapters to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from shared.contract.records import Application, Complaint, RectificationCase, TimelineEntry
from shared.lifecycle import RATABLE
from shared.storage.memory_ledgers import (
    MemoryConsentCredits,
    MemoryInbound,
    MemoryNonceLedger,
    MemoryOtpCodes,
    MemorySendLogs,
    MemoryWindowCounters,
)
from shared.storage.memory_notices import MemoryNotices
from shared.storage.memory_people import MemoryAccounts, MemoryCitizens, MemoryLicences
from shared.storage.memory_staff import (
    MemoryAuditLog,
    MemoryBackendKeys,
    MemorySignInAttempts,
    MemoryStaffAccounts,
    MemoryStaffSessions,
)
from shared.storage.ports import WriteConflict

M = TypeVar("M", bound=BaseModel)
Check = Callable[[], bool]
ITEMS = {"accounts.binding": "bindings"}  # labels whose writes land on another record than their repository's


class MemoryStore:
    """Everything the fake holds, shared by the units of work made from it."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {"applications": {}, "complaints": {}, "cases": {},
                                                   "idempotency": {}, "notices": {}}
        self.rating_log: list[dict[str, Any]] = []
        self.steps: dict[str, int] = {}

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A fresh unit of work over this store (pass ``store.unit_of_work`` as the factory)."""
        return MemoryUnitOfWork(self)


class _Staged:
    def __init__(self) -> None:
        self.writes: list[tuple[str, str, Check, Callable[[], None]]] = []


class _Tracked(Generic[M]):
    name = ""
    id_field = ""

    def __init__(self, store: MemoryStore, staged: _Staged):
        self.rows: dict[str, M] = store.records[self.name]
        self.staged = staged

    def get(self, key: str) -> M | None:
        """A copy of the record, or None."""
        row = self.rows.get(key)
        return row.model_copy(deep=True) if row is not None else None

    def add(self, record: M) -> None:
        """Stage a new record."""
        key, copy = getattr(record, self.id_field), record.model_copy(deep=True)
        self.staged.writes.append((f"{self.name}.add", key, lambda: key not in self.rows,
                                   lambda: self.rows.__setitem__(key, copy)))

    def move(self, before: M, after: M) -> None:
        """Stage a status change conditioned on ``before``'s status."""
        self._update(before, after, f"{self.name}.move", lambda row: True)

    def _update(self, before: M, after: M, label: str, also: Callable[[M], bool]) -> None:
        key = getattr(after, self.id_field)
        expected = before.status  # type: ignore[attr-defined]
        added = after.timeline[len(before.timeline):]  # type: ignore[attr-defined]
        changed = {f: getattr(after, f) for f in type(after).model_fields
                   if f != "timeline" and getattr(after, f) != getattr(before, f)}

        def holds() -> bool:
            row = self.rows.get(key)
            return row is not None and row.status == expected and also(row)  # type: ignore[attr-defined]

        def apply() -> None:
            row = self.rows[key]
            self.rows[key] = row.model_copy(update={**changed, "timeline": [*row.timeline, *added]},  # type: ignore[attr-defined]
                                            deep=True)

        self.staged.writes.append((label, key, holds, apply))


class MemoryApplications(_Tracked[Application]):
    """Applications by number."""

    name, id_field = "applications", "application_no"

    def of_citizen(self, citizen_id: str, limit: int | None = None) -> list[Application]:
        """Newest first."""
        rows = sorted((a for a in self.rows.values() if a.citizen_id == citizen_id),
                      key=lambda a: (a.submitted_at, a.application_no), reverse=True)
        return [a.model_copy(deep=True) for a in rows[:limit]]

    def rate(self, application: Application, after: Application) -> None:
        """Stage the rating once."""
        self._update(application, after, "applications.rate", lambda row: row.rating is None)

    def finished_on(self, day: date) -> list[Application]:
        """Completed or rejected on ``day``."""
        return [a.model_copy(deep=True) for a in self.rows.values()
                if a.status in RATABLE and a.finished_at is not None and a.finished_at.date() == day]

    def invite(self, application: Application) -> None:
        """Stage ``invited`` once."""
        key = application.application_no

        def holds() -> bool:
            row = self.rows.get(key)
            return row is not None and not row.invited and row.rating is None

        def apply() -> None:
            self.rows[key] = self.rows[key].model_copy(update={"invited": True})

        self.staged.writes.append(("applications.invite", key, holds, apply))


class _Queued(_Tracked[M]):
    def in_status(self, status: str) -> list[M]:
        """Oldest due first."""
        rows = [r for r in self.rows.values() if r.status == status]  # type: ignore[attr-defined]
        rows.sort(key=lambda r: (r.due, getattr(r, self.id_field)))  # type: ignore[attr-defined]
        return [r.model_copy(deep=True) for r in rows]

    def in_status_after(self, status: str, after: str | None, limit: int) -> list[M]:
        """A page after the cursor ``<due>#<id>``."""
        return [r for r in self.in_status(status)
                if f"{r.due.isoformat()}#{getattr(r, self.id_field)}" > (after or " ")][:limit]  # type: ignore

    def overdue(self, status: str, day: date) -> list[M]:
        """Due before ``day``."""
        return [r for r in self.in_status(status) if r.due < day]  # type: ignore[attr-defined]

    def many(self, keys: list[str]) -> dict[str, M]:
        """Those that exist."""
        return {k: self.rows[k].model_copy(deep=True) for k in keys if k in self.rows and len(k) <= 64}

    def supervise(self, record: M, entry: TimelineEntry, department: str) -> None:
        """Stage the flag once."""
        key = getattr(record, self.id_field)

        def holds() -> bool:
            return key in self.rows and not self.rows[key].supervised  # type: ignore[attr-defined]

        def apply() -> None:
            row = self.rows[key]
            self.rows[key] = row.model_copy(update={"supervised": True, "supervised_at": entry.at,
                                                    "timeline": [*row.timeline, entry]})  # type: ignore[attr-defined]

        self.staged.writes.append((f"{self.name}.supervise", key, holds, apply))


class MemoryComplaints(_Queued[Complaint]):
    """Complaints by number."""

    name, id_field = "complaints", "complaint_no"

    def registered_in(self, month: str) -> list[Complaint]:
        """By the month of the first timeline entry."""
        return [c.model_copy(deep=True) for c in self.rows.values() if f"{c.timeline[0].at:%Y-%m}" == month]

    def of_citizen(self, citizen_id: str, limit: int) -> list[Complaint]:
        """Newest first."""
        mine = [c for c in self.rows.values() if c.citizen_id == citizen_id]
        mine.sort(key=lambda c: (c.timeline[0].at, c.complaint_no), reverse=True)
        return [c.model_copy(deep=True) for c in mine[:limit]]


class MemoryCases(_Queued[RectificationCase]):
    """Rectification cases by id."""

    name, id_field = "cases", "case_id"


class MemoryIdempotencyKeys:
    """Idempotency keys (no expiry: a test's life is shorter than a day)."""

    def __init__(self, store: MemoryStore, staged: _Staged):
        self.rows: dict[str, tuple[str, str]] = store.records["idempotency"]
        self.staged = staged

    def get(self, key: str) -> tuple[str, str] | None:
        """``(body_hash, result)``."""
        return self.rows.get(key)

    def add(self, key: str, body_hash: str, result: str, expires_at: int) -> None:
        """Stage the key."""
        self.staged.writes.append(("idempotency.add", key, lambda: key not in self.rows,
                                   lambda: self.rows.__setitem__(key, (body_hash, result))))


class MemoryUnitOfWork:
    """Repositories over a ``MemoryStore``; ``commit`` checks every expectation, then applies all."""

    def __init__(self, store: MemoryStore):
        self.store, self.staged = store, _Staged()
        self.applications = MemoryApplications(store, self.staged)
        self.complaints = MemoryComplaints(store, self.staged)
        self.cases = MemoryCases(store, self.staged)
        self.idempotency = MemoryIdempotencyKeys(store, self.staged)
        self.rating_log = _RatingLog(self.staged, store.rating_log)
        self.notices = MemoryNotices(store, self.staged)
        self.citizens = MemoryCitizens(store, self.staged)
        self.accounts = MemoryAccounts(store, self.staged)
        self.licences = MemoryLicences(store, self.staged)
        self.credits = MemoryConsentCredits(store)
        self.nonces = MemoryNonceLedger(store)
        self.otp_codes = MemoryOtpCodes(store)
        self.counters = MemoryWindowCounters(store)
        self.send_logs = MemorySendLogs(store)
        self.inbound = MemoryInbound(store, self.staged)
        self.staff = MemoryStaffAccounts(store)
        self.staff_sessions = MemoryStaffSessions(store)
        self.audit = MemoryAuditLog(store, self.staged)
        self.backend_keys = MemoryBackendKeys(store, self.staged)
        self.sign_in_attempts = MemorySignInAttempts(store)

    def commit(self) -> None:
        """All or nothing."""
        writes, self.staged.writes = self.staged.writes, []
        items = [(ITEMS.get(label, label.split(".")[0]), key) for label, key, *_ in writes]
        if len(set(items)) != len(items):  # as DynamoDB: one transaction touches each item once
            raise ValueError("a unit of work may write each record once")
        for label, key, holds, _ in writes:
            if not holds():
                raise WriteConflict(label, key)
        for *_, apply in writes:
            apply()


class _RatingLog:
    def __init__(self, staged: _Staged, entries: list[dict[str, Any]]):
        self.staged, self.entries = staged, entries

    def add(self, entry: dict[str, Any]) -> None:
        """Stage one entry."""
        copy = {k: v for k, v in entry.items() if v is not None}  # as stored in DynamoDB
        self.staged.writes.append(("rating_log.add", str(entry.get("application_no", "")), lambda: True,
                                   lambda: self.entries.append(copy)))

    def of_month(self, month: str) -> list[dict[str, Any]]:
        """Entries rated in ``YYYY-MM``."""
        return [dict(e) for e in self.entries if str(e["rated_at"])[:7] == month]
