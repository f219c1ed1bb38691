"""The DynamoDB unit of work: every repository of ``shared/storage/ports.py`` over one table, their
staged writes committed in one request (``TransactWriteItems`` when more than one)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from shared.storage.dynamo import ConditionFailed, Table, TransactionCancelled
from shared.storage.dynamo_keys import DynamoBackendKeys
from shared.storage.dynamo_ledgers import (
    DynamoConsentCredits,
    DynamoInbound,
    DynamoNonceLedger,
    DynamoOtpCodes,
    DynamoSendLogs,
    DynamoWindowCounters,
)
from shared.storage.dynamo_notices import DynamoNotices
from shared.storage.dynamo_people import DynamoAccounts, DynamoCitizens, DynamoLicences
from shared.storage.dynamo_records import (
    DynamoApplications,
    DynamoCases,
    DynamoComplaints,
    DynamoIdempotencyKeys,
    DynamoRatingLog,
    Staged,
)
from shared.storage.dynamo_staff import (
    DynamoAuditLog,
    DynamoSignInAttempts,
    DynamoStaffAccounts,
    DynamoStaffSessions,
)
from shared.storage.ports import WriteConflict


class DynamoUnitOfWork:
    """One use case's repositories over the table (each made when first used); ``commit`` is one
    request (a transaction when more than one write is staged)."""

    def __init__(self, table: Table):
        self.table, self.staged = table, Staged()

    @cached_property
    def applications(self) -> DynamoApplications:
        """Applications."""
        return DynamoApplications(self.table, self.staged)

    @cached_property
    def complaints(self) -> DynamoComplaints:
        """Complaints."""
        return DynamoComplaints(self.table, self.staged)

    @cached_property
    def cases(self) -> DynamoCases:
        """Rectification cases."""
        return DynamoCases(self.table, self.staged)

    @cached_property
    def idempotency(self) -> DynamoIdempotencyKeys:
        """Idempotency keys."""
        return DynamoIdempotencyKeys(self.table, self.staged)

    @cached_property
    def rating_log(self) -> DynamoRatingLog:
        """The monthly rating log."""
        return DynamoRatingLog(self.staged, self.table)

    @cached_property
    def notices(self) -> DynamoNotices:
        """The outbox."""
        return DynamoNotices(self.table, self.staged)

    @cached_property
    def citizens(self) -> DynamoCitizens:
        """Citizens."""
        return DynamoCitizens(self.table, self.staged)

    @cached_property
    def credits(self) -> DynamoConsentCredits:
        """Consent credits (write at once)."""
        return DynamoConsentCredits(self.table)

    @cached_property
    def staff(self) -> DynamoStaffAccounts:
        """Console accounts (write at once)."""
        return DynamoStaffAccounts(self.table)

    @cached_property
    def staff_sessions(self) -> DynamoStaffSessions:
        """Console sessions (write at once)."""
        return DynamoStaffSessions(self.table)

    @cached_property
    def sign_in_attempts(self) -> DynamoSignInAttempts:
        """Sign-in tries per name (write at once)."""
        return DynamoSignInAttempts(self.table)

    @cached_property
    def audit(self) -> DynamoAuditLog:
        """The audit log (append-only, writes at once)."""
        return DynamoAuditLog(self.table, self.staged)

    @cached_property
    def backend_keys(self) -> DynamoBackendKeys:
        """Issued backend keys (staged)."""
        return DynamoBackendKeys(self.table, self.staged)

    @cached_property
    def nonces(self) -> DynamoNonceLedger:
        """Backend nonces (write at once)."""
        return DynamoNonceLedger(self.table)

    @cached_property
    def otp_codes(self) -> DynamoOtpCodes:
        """One-time codes (write at once)."""
        return DynamoOtpCodes(self.table)

    @cached_property
    def counters(self) -> DynamoWindowCounters:
        """Quota windows (write at once)."""
        return DynamoWindowCounters(self.table)

    @cached_property
    def send_logs(self) -> DynamoSendLogs:
        """SMS send logs per phone (versioned puts)."""
        return DynamoSendLogs(self.table)

    @cached_property
    def inbound(self) -> DynamoInbound:
        """Inbound answers and signed-request bodies."""
        return DynamoInbound(self.table, self.staged)

    @cached_property
    def licences(self) -> DynamoLicences:
        """Licences."""
        return DynamoLicences(self.table, self.staged)

    @cached_property
    def accounts(self) -> DynamoAccounts:
        """Channel accounts."""
        return DynamoAccounts(self.table, self.staged)

    def commit(self) -> None:
        """Write everything staged, all or nothing."""
        actions, self.staged.actions = self.staged.actions, []
        keys = [_item_key(a) for _, _, a in actions]
        if len(set(keys)) != len(keys):  # DynamoDB refuses a transaction that touches one item twice
            raise ValueError("a unit of work may write each record once")
        if len(actions) == 1:
            (label, key, action), = actions
            try:
                _single(self.table, action)
            except ConditionFailed:
                raise WriteConflict(label, key) from None
        elif actions:
            try:
                self.table.transact([a for _, _, a in actions])
            except TransactionCancelled as exc:
                failed = next((i for i, r in enumerate(exc.reasons) if r == "ConditionalCheckFailed"), None)
                label, key = (actions[failed][0], actions[failed][1]) if failed is not None else ("transaction", "")
                raise WriteConflict(label, key) from None


def _single(table: Table, action: dict[str, Any]) -> None:
    (kind, body), = action.items()
    if kind == "Put":
        table.put(body["Item"], body.get("ConditionExpression"), body.get("ExpressionAttributeNames"),
                  body.get("ExpressionAttributeValues"))
    else:
        key = body["Key"]
        table.update(key["pk"], key["sk"], body["UpdateExpression"], body.get("ExpressionAttributeNames"),
                     body.get("ExpressionAttributeValues"), body.get("ConditionExpression"))


def _item_key(action: dict[str, Any]) -> tuple[str, str]:
    (body,) = action.values()
    key = body.get("Key") or body["Item"]
    return key["pk"], key["sk"]
