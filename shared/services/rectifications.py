"""差评整改 cases: open → verified → rectified → followed_up, or open → dismissed (核实不实)."""

from __future__ import annotations

from shared.clock import Clock
from shared.contract.commands import RecordRectificationEvent
from shared.contract.records import RectificationCase, TimelineEntry
from shared.contract.staff import Acting
from shared.contract.views import RectificationView
from shared.contract.vocabulary import RectStatus
from shared.errors import Forbidden, InvalidTransition, NotFound
from shared.lifecycle import RECTIFICATION_MOVES, check_move
from shared.services.audit import stage_audit
from shared.storage.ports import UnitOfWorkFactory, WriteConflict


class RectificationService:
    """Lists and moves rectification cases for operators."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock):
        self.uow, self.clock = uow, clock

    def list_by_status(self, status: str | None, by: Acting | None = None) -> list[RectificationView]:
        """Cases in one status (all when None), oldest due first; only those within ``by``'s binding."""
        statuses = [status] if status else list(RectStatus)
        cases = self.uow().cases
        return [RectificationView.model_validate(c.model_dump()) for st in statuses for c in cases.in_status(st)
                if by is None or by.reaches(c.department, c.tier)]

    def record_event(self, case_id: str, cmd: RecordRectificationEvent, by: Acting | None = None) -> RectificationView:
        """Move a case along its state machine (``by``: who, checked against their binding and audited)."""
        case = self._load(case_id)
        if by is not None and not by.reaches(case.department, case.tier):
            raise Forbidden(f"case {case_id[:64]} is outside {by.actor}'s department or tier")
        check_move(RECTIFICATION_MOVES, case.status, cmd.status)
        entry = TimelineEntry(status=cmd.status, at=self.clock.now(), note=cmd.note)
        uow = self.uow()
        moved = case.model_copy(update={"status": cmd.status.value, "timeline": [*case.timeline, entry]})
        uow.cases.move(case, moved)
        stage_audit(uow, by, f"case.{cmd.status.value}", case_id, case, moved, entry.at)
        try:
            uow.commit()
        except WriteConflict:
            raise InvalidTransition(self._load(case_id).status, cmd.status) from None
        return RectificationView.model_validate(self._load(case_id).model_dump())

    def get(self, case_id: str) -> RectificationView:
        """One case as an operator sees it (404 when unknown)."""
        return RectificationView.model_validate(self._load(case_id).model_dump())

    def _load(self, case_id: str) -> RectificationCase:
        case = self.uow().cases.get(case_id)
        if case is None:
            raise NotFound(f"no rectification case {case_id[:64]}")
        return case
