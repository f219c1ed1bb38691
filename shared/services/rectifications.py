"""差评整改 cases: open → verified → rectified → followed_up, or open → dismissed (核实不实)."""

from __future__ import annotations

from typing import Any

from shared.clock import Clock
from shared.contract.commands import RecordRectificationEvent
from shared.contract.records import RectificationCase, TimelineEntry
from shared.contract.views import RectificationView
from shared.contract.vocabulary import RectStatus
from shared.errors import InvalidTransition, NotFound
from shared.lifecycle import RECTIFICATION_MOVES, check_move
from shared.storage.dynamo import Table, TransactionCancelled


class RectificationService:
    """Lists and moves rectification cases for operators."""

    def __init__(self, table: Table, clock: Clock):
        self.table, self.clock = table, clock

    def list_by_status(self, status: str | None) -> list[RectificationView]:
        """Cases in one status (all when None), oldest due first."""
        statuses = [status] if status else list(RectStatus)
        return [RectificationView.model_validate(item) for st in statuses
                for item in self.table.query("gsi1pk = :p", {":p": f"CASES#{st}"}, index="gsi1")]

    def record_event(self, case_id: str, cmd: RecordRectificationEvent) -> RectificationView:
        """Move a case along its state machine."""
        case = self._load(case_id)
        check_move(RECTIFICATION_MOVES, case.status, cmd.status)
        entry = TimelineEntry(status=cmd.status, at=self.clock.now(), note=cmd.note)
        values: dict[str, Any] = {":to": cmd.status.value, ":from": case.status, ":g": f"CASES#{cmd.status.value}",
                                  ":e": [entry.model_dump(mode="json", exclude_none=True)]}
        try:
            self.table.transact([{"Update": {
                "Key": {"pk": f"CASE#{case_id}", "sk": "CASE"},
                "UpdateExpression": "SET #s = :to, gsi1pk = :g, timeline = list_append(timeline, :e)",
                "ConditionExpression": "#s = :from", "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": values}}])
        except TransactionCancelled:
            raise InvalidTransition(self._load(case_id).status, cmd.status) from None
        return RectificationView.model_validate(self._load(case_id).model_dump())

    def _load(self, case_id: str) -> RectificationCase:
        item = self.table.get(f"CASE#{case_id}", "CASE") if len(case_id) <= 64 else None
        if item is None:
            raise NotFound(f"no rectification case {case_id[:64]}")
        return RectificationCase.model_validate(item)
