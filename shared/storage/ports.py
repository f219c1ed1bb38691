"""Storage as a port: one repository per aggregate and a unit of work that commits their writes
together (cosmicpython, chapters 2 and 6).

Reads happen at once; writes are staged on the unit of work and land all-or-nothing at
``commit()``. A staged write carries its expectation (the record is new, or still in the status it
was read in); when one does not hold, nothing is written and ``WriteConflict`` names it. The
DynamoDB adapter (``shared/storage/dynamo_records.py``) holds every key and condition; the
in-memory one (``shared/storage/memory.py``) is the fake for service unit tests, and one contract
suite (``tests/unit/shared/storage``) runs against both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from shared.contract.records import (
    Application,
    ChannelAccount,
    Citizen,
    Complaint,
    Licence,
    RectificationCase,
    TimelineEntry,
)
from shared.storage.ledger_ports import (
    ConsentCredits,
    InboundRecords,
    NonceLedger,
    OtpCodes,
    SendLogs,
    WindowCounters,
)
from shared.storage.notice_port import NoticeRecords
from shared.storage.staff_port import AuditLog, BackendKeys, SignInAttempts, StaffAccounts, StaffSessions

T = TypeVar("T")


class WriteConflict(Exception):
    """A staged write's expectation did not hold; ``label`` says which (``"applications.add"``…)."""

    def __init__(self, label: str, key: str):
        super().__init__(f"{label} {key}: expectation failed")
        self.label, self.key = label, key


class TrackedRecords(Protocol[T]):
    """Records with a ``status`` and an append-only ``timeline`` (applications, complaints, cases)."""

    def get(self, key: str) -> T | None:
        """The record, or None (also for a key too long to be one)."""
        ...

    def add(self, record: T) -> None:
        """Stage a new record (conflict if the key exists)."""
        ...

    def move(self, before: T, after: T) -> None:
        """Stage a status change: ``after``'s new timeline entries are appended and its changed fields
        set, only if the stored status is still ``before``'s (conflict otherwise)."""
        ...


class QueuedRecords(TrackedRecords[T], Protocol):
    """Tracked records with a due date that staff work through by status (complaints, cases)."""

    def in_status(self, status: str) -> list[T]:
        """Every record in one status, oldest due first (an index query, never a scan)."""
        ...

    def in_status_after(self, status: str, after: str | None, limit: int) -> list[T]:
        """A page of one status, oldest due first, after the cursor ``<due>#<id>`` (the index's sort key)."""
        ...

    def overdue(self, status: str, day: date) -> list[T]:
        """Records in ``status`` due before ``day``."""
        ...

    def supervise(self, record: T, entry: TimelineEntry, department: str) -> None:
        """Stage the 督办 flag and its timeline entry, once (conflict if already supervised)."""
        ...

    def many(self, keys: list[str]) -> dict[str, T]:
        """The records of these keys that exist (batched reads)."""
        ...


class ComplaintRecords(QueuedRecords[Complaint], Protocol):
    """Complaints (投诉)."""

    def registered_in(self, month: str) -> list[Complaint]:
        """Complaints registered in ``YYYY-MM``."""
        ...

    def of_citizen(self, citizen_id: str, limit: int) -> list[Complaint]:
        """A citizen's complaints, newest first, at most ``limit``."""
        ...


class ApplicationRecords(TrackedRecords[Application], Protocol):
    """Applications (申办)."""

    def of_citizen(self, citizen_id: str, limit: int | None = None) -> list[Application]:
        """A citizen's applications, newest first."""
        ...

    def rate(self, application: Application, after: Application) -> None:
        """Stage ``after.rating`` only if the stored one has none and is still finished (conflict otherwise)."""
        ...

    def finished_on(self, day: date) -> list[Application]:
        """Applications that became ratable (completed or rejected) on ``day``."""
        ...

    def invite(self, application: Application) -> None:
        """Stage ``invited`` only if it is neither invited nor rated yet (conflict otherwise)."""
        ...


class IdempotencyKeys(Protocol):
    """Idempotency-Key → (hash of the body, the result it produced), kept 24 h."""

    def get(self, key: str) -> tuple[str, str] | None:
        """``(body_hash, result)`` recorded under ``key``, or None."""
        ...

    def add(self, key: str, body_hash: str, result: str, expires_at: int) -> None:
        """Stage the record (conflict if the key is taken)."""
        ...


class RatingLog(Protocol):
    """The month's ratings, for the assessment report."""

    def add(self, entry: dict[str, Any]) -> None:
        """Stage one entry (``application_no``, ``level``, ``rated_at``, ``department``, ``tier``, ``case_id``?)."""
        ...

    def of_month(self, month: str) -> list[dict[str, Any]]:
        """Every entry of ``YYYY-MM``."""
        ...


class CitizenRecords(Protocol):
    """Citizens, found by id, by the keyed hash of their ID number, or by phone."""

    def get(self, citizen_id: str) -> Citizen | None:
        """A citizen by id."""
        ...

    def by_id_hash(self, id_hash: str) -> Citizen | None:
        """The citizen holding an ID number (by its keyed hash)."""
        ...

    def id_of(self, id_hash: str) -> str | None:
        """The id of the citizen holding an ID number, in one read."""
        ...

    def by_phone(self, phone: str) -> Citizen | None:
        """The citizen who most recently bound with this ``+86…`` phone."""
        ...

    def add(self, citizen: Citizen) -> None:
        """Stage a new citizen (conflict if the ID number is already held)."""
        ...

    def bindings(self, citizen_id: str) -> list[ChannelAccount]:
        """The channel accounts bound to a citizen, with ``since``."""
        ...

    def with_bindings(self, citizen_id: str) -> tuple[Citizen | None, list[ChannelAccount]]:
        """A citizen and their bound accounts in one request (every notice's route)."""
        ...

    def set_preferences(self, citizen_id: str, changes: dict[str, Any], chosen: bool) -> None:
        """Stage preference changes (``chosen``: the citizen set a channel order)."""
        ...

    def opt_out_sms(self, citizen_id: str) -> None:
        """Stage the SMS opt-out (conflict if already opted out)."""
        ...


class AccountRecords(Protocol):
    """Channel accounts (openid, Alipay id…) and which citizen each is bound to."""

    def get(self, channel: str, account: str) -> ChannelAccount | None:
        """The stored account, or None."""
        ...

    def with_application(self, channel: str, account: str,
                         application_no: str) -> tuple[ChannelAccount | None, Application | None]:
        """An account and an application in one request (a chat answer's budget)."""
        ...

    def of_unionid(self, unionid: str) -> list[ChannelAccount]:
        """Every account of one WeChat unionid."""
        ...

    def link(self, account: ChannelAccount, citizen_id: str, locale: str, now: datetime) -> None:
        """Stage binding an account to a citizen: label ``accounts.link`` when it is bound to another,
        ``accounts.binding`` when already bound to this one."""
        ...

    def update(self, channel: str, account: str, **fields: Any) -> None:
        """Stage setting fields of the account (creating it when new): ``unionid``, ``locale``, platform ids."""
        ...


class LicenceRecords(Protocol):
    """Licences (证照), held by an ID number whether or not its holder has bound yet."""

    def put(self, licence: Licence, citizen_id: str | None) -> None:
        """Stage a create-or-replace (a new ``expires_on`` re-arms its reminders)."""
        ...

    def of_holder(self, id_hash: str) -> list[Licence]:
        """Every licence of one ID number."""
        ...

    def expiring_on(self, day: date) -> tuple[list[tuple[Licence, str | None]], set[tuple[str, int]]]:
        """Licences expiring on ``day`` with their holder's citizen id when known, and the reminders already
        stored for them as ``(licence_id, threshold)``, in one index query."""
        ...


class UnitOfWork(Protocol):
    """The repositories of one use case and the commit that lands their staged writes together."""

    applications: ApplicationRecords
    complaints: ComplaintRecords
    cases: QueuedRecords[RectificationCase]
    idempotency: IdempotencyKeys
    rating_log: RatingLog
    notices: NoticeRecords
    citizens: CitizenRecords
    accounts: AccountRecords
    licences: LicenceRecords
    credits: ConsentCredits
    nonces: NonceLedger
    otp_codes: OtpCodes
    counters: WindowCounters
    send_logs: SendLogs
    inbound: InboundRecords
    staff: StaffAccounts
    staff_sessions: StaffSessions
    audit: AuditLog
    backend_keys: BackendKeys
    sign_in_attempts: SignInAttempts

    def commit(self) -> None:
        """Write everything staged, all or nothing (raises WriteConflict, leaving nothing written)."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
