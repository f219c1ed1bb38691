"""Complaints (投诉): registered → assigned → replied → followed_up → closed, with a due date
in working days; the reply reaches the citizen as a ``complaint_reply`` notice."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from shared.clock import Clock
from shared.contract.answers import ComplaintFiled
from shared.contract.commands import FileComplaint, RecordComplaintEvent
from shared.contract.domain_events import ComplaintReplied
from shared.contract.records import Citizen, Complaint, TimelineEntry, area_tier
from shared.contract.staff import Acting
from shared.contract.views import ComplaintView, OperatorComplaintView
from shared.contract.vocabulary import ComplaintStatus
from shared.errors import Forbidden, InvalidTransition, NotFound, Unavailable, ValidationFailed
from shared.lifecycle import COMPLAINT_MOVES, check_move
from shared.services.audit import stage_audit
from shared.services.notices import NoticeService
from shared.sessions import Principal
from shared.storage.ports import UnitOfWorkFactory, WriteConflict
from shared.workdays import add_working_days

log = logging.getLogger(__name__)


class ComplaintService:
    """Registers complaints and walks them through their closed loop."""

    def __init__(self, uow: UnitOfWorkFactory, notices: NoticeService, clock: Clock, due_working_days: int):
        self.uow, self.notices, self.clock, self.due_days = uow, notices, clock, due_working_days

    def file(self, principal: Principal, citizen: Citizen, cmd: FileComplaint) -> ComplaintFiled:
        """Register a complaint; an application it names must be the citizen's own."""
        app = self.uow().applications.get(cmd.application_no) if cmd.application_no else None
        if cmd.application_no and (app is None or app.citizen_id != citizen.citizen_id):
            raise ValidationFailed.field("application_no", "not one of your applications")
        now = self.clock.now()
        for _ in range(5):
            complaint = Complaint(
                complaint_no=f"TS{now:%Y%m%d}{secrets.randbelow(10**6):06d}", citizen_id=citizen.citizen_id,
                account=principal.key, content=cmd.content, application_no=cmd.application_no,
                status=ComplaintStatus.REGISTERED, due=add_working_days(now.date(), self.due_days),
                township=app.township if app else None, village=app.village if app else None,
                timeline=[TimelineEntry(status=ComplaintStatus.REGISTERED, at=now)])
            uow = self.uow()
            uow.complaints.add(complaint)
            try:
                uow.commit()
            except WriteConflict:  # a number collision: draw again
                continue
            log.info("complaint registered", extra={"complaint_no": complaint.complaint_no})
            return ComplaintFiled(complaint_no=complaint.complaint_no, status=complaint.status)
        raise Unavailable("could not allocate a complaint number, try again")

    def list_own(self, citizen: Citizen, limit: int = 20) -> list[ComplaintView]:
        """The citizen's latest complaints, newest first."""
        return [ComplaintView.model_validate(c.model_dump())
                for c in self.uow().complaints.of_citizen(citizen.citizen_id, limit)]

    def get_own(self, citizen: Citizen, no: str) -> ComplaintView:
        """The citizen's own complaint with its timeline and reply."""
        complaint = self._load(no)
        if complaint.citizen_id != citizen.citizen_id:
            raise NotFound(f"no complaint {no}")
        return ComplaintView.model_validate(complaint.model_dump())

    def list_by_status(self, status: str | None, by: Acting | None = None) -> list[OperatorComplaintView]:
        """Complaints in one status (all when None), oldest due first; only those within ``by``'s binding."""
        statuses = [status] if status else list(ComplaintStatus)
        complaints = self.uow().complaints
        return [OperatorComplaintView.model_validate(c.model_dump())
                for st in statuses for c in complaints.in_status(st)
                if by is None or by.reaches(c.department, area_tier(c.township, c.village))]

    def get(self, no: str) -> OperatorComplaintView:
        """One complaint as an operator sees it (404 when unknown)."""
        return OperatorComplaintView.model_validate(self._load(no).model_dump())

    def record_event(self, no: str, cmd: RecordComplaintEvent, by: Acting | None = None) -> OperatorComplaintView:
        """An operator moves a complaint; ``replied`` needs a reply and sends it as a notice; ``by`` (who) must
        reach the complaint's department, and the move's audit entry lands in the same write."""
        complaint = self._load(no)
        if by is not None and not by.reaches(complaint.department, area_tier(complaint.township, complaint.village)):
            raise Forbidden(f"complaint {no[:64]} is outside {by.actor}'s department")
        if by is not None and by.department and cmd.department and cmd.department != by.department:
            raise Forbidden(f"{by.actor} cannot pass a complaint to another department")
        check_move(COMPLAINT_MOVES, complaint.status, cmd.status)
        if cmd.status == ComplaintStatus.ASSIGNED and not cmd.department:
            raise ValidationFailed.field("department", "required when assigning")
        if cmd.status == ComplaintStatus.REPLIED and not cmd.reply:
            raise ValidationFailed.field("reply", "required when replying")
        now = self.clock.now()
        changes: dict[str, Any] = {"status": cmd.status.value, "timeline": [
            *complaint.timeline, TimelineEntry(status=cmd.status, at=now, note=cmd.note or cmd.department)]}
        if cmd.department and cmd.status == ComplaintStatus.ASSIGNED:  # 转办 names the department; no other step
            changes["department"] = cmd.department
        events = []
        if cmd.status == ComplaintStatus.REPLIED:
            changes["reply"] = cmd.reply
            events.append(ComplaintReplied(complaint_no=no, citizen_id=complaint.citizen_id, reply=cmd.reply or "",
                                           application_no=complaint.application_no, step=len(complaint.timeline)))
        notices = self.notices.owed_by(events)
        uow = self.uow()
        moved = complaint.model_copy(update=changes)
        uow.complaints.move(complaint, moved)
        for notice in notices:
            uow.notices.add(notice, len(complaint.timeline))
        stage_audit(uow, by, f"complaint.{cmd.status.value}", no, complaint, moved, now)
        try:
            uow.commit()
        except WriteConflict:
            raise InvalidTransition(self._load(no).status, cmd.status) from None
        self.notices.dispatch(notices)
        return OperatorComplaintView.model_validate(self._load(no).model_dump())

    def _load(self, no: str) -> Complaint:
        complaint = self.uow().complaints.get(no)
        if complaint is None:
            raise NotFound(f"no complaint {no[:64]}")
        return complaint
