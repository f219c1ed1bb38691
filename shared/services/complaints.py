"""Complaints (投诉): registered → assigned → replied → followed_up → closed, with a due date
in working days; the reply reaches the citizen as a ``complaint_reply`` notice."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from shared.clock import Clock
from shared.contract.commands import FileComplaint, RecordComplaintEvent
from shared.contract.domain_events import ComplaintReplied
from shared.contract.records import Citizen, Complaint, TimelineEntry
from shared.contract.views import ComplaintView, OperatorComplaintView
from shared.contract.vocabulary import ComplaintStatus
from shared.errors import InvalidTransition, NotFound, Unavailable, ValidationFailed
from shared.lifecycle import COMPLAINT_MOVES, check_move
from shared.services.notices import NoticeService, notice_puts
from shared.sessions import Principal
from shared.storage.dynamo import ConditionFailed, Table, TransactionCancelled
from shared.workdays import add_working_days

log = logging.getLogger(__name__)


class ComplaintService:
    """Registers complaints and walks them through their closed loop."""

    def __init__(self, table: Table, notices: NoticeService, clock: Clock, due_working_days: int):
        self.table, self.notices, self.clock, self.due_days = table, notices, clock, due_working_days

    def file(self, principal: Principal, citizen: Citizen, cmd: FileComplaint) -> dict[str, str]:
        """Register a complaint; an application it names must be the citizen's own."""
        if cmd.application_no:
            app = self.table.get(f"APP#{cmd.application_no}", "APP") if len(cmd.application_no) <= 64 else None
            if app is None or app["citizen_id"] != citizen.citizen_id:
                raise ValidationFailed.field("application_no", "not one of your applications")
        now = self.clock.now()
        for _ in range(5):
            complaint = Complaint(
                complaint_no=f"TS{now:%Y%m%d}{secrets.randbelow(10**6):06d}", citizen_id=citizen.citizen_id,
                account=principal.key, content=cmd.content, application_no=cmd.application_no,
                status=ComplaintStatus.REGISTERED, due=add_working_days(now.date(), self.due_days),
                timeline=[TimelineEntry(status=ComplaintStatus.REGISTERED, at=now)])
            try:
                self.table.put(_item(complaint), "attribute_not_exists(pk)")
            except ConditionFailed:  # a number collision: draw again
                continue
            log.info("complaint registered", extra={"complaint_no": complaint.complaint_no})
            return {"complaint_no": complaint.complaint_no, "status": complaint.status}
        raise Unavailable("could not allocate a complaint number, try again")

    def get_own(self, citizen: Citizen, no: str) -> ComplaintView:
        """The citizen's own complaint with its timeline and reply."""
        complaint = self._load(no)
        if complaint.citizen_id != citizen.citizen_id:
            raise NotFound(f"no complaint {no}")
        return ComplaintView.model_validate(complaint.model_dump())

    def list_by_status(self, status: str | None) -> list[OperatorComplaintView]:
        """Complaints in one status (all when None), oldest due first."""
        statuses = [status] if status else list(ComplaintStatus)
        out = []
        for st in statuses:
            for item in self.table.query("gsi1pk = :p", {":p": f"CMPS#{st}"}, index="gsi1"):
                out.append(OperatorComplaintView.model_validate(item))
        return out

    def record_event(self, no: str, cmd: RecordComplaintEvent) -> OperatorComplaintView:
        """An operator moves a complaint; ``replied`` needs a reply and sends it as a notice."""
        complaint = self._load(no)
        check_move(COMPLAINT_MOVES, complaint.status, cmd.status)
        if cmd.status == ComplaintStatus.ASSIGNED and not cmd.department:
            raise ValidationFailed.field("department", "required when assigning")
        if cmd.status == ComplaintStatus.REPLIED and not cmd.reply:
            raise ValidationFailed.field("reply", "required when replying")
        now = self.clock.now()
        entry = TimelineEntry(status=cmd.status, at=now, note=cmd.note or cmd.department)
        sets = ["#s = :to", "timeline = list_append(timeline, :e)", "gsi1pk = :g"]
        values: dict[str, Any] = {":to": cmd.status.value, ":from": complaint.status, ":g": f"CMPS#{cmd.status.value}",
                                  ":e": [entry.model_dump(mode="json", exclude_none=True)]}
        if cmd.department:
            sets.append("department = :d")
            values[":d"] = cmd.department
        events = []
        if cmd.status == ComplaintStatus.REPLIED:
            sets.append("reply = :r")
            values[":r"] = cmd.reply
            events.append(ComplaintReplied(complaint_no=no, citizen_id=complaint.citizen_id, reply=cmd.reply or "",
                                           application_no=complaint.application_no, step=len(complaint.timeline)))
        notices = self.notices.owed_by(events)
        owed = [a for n in notices for a in notice_puts(n, len(complaint.timeline))]
        try:
            self.table.transact([{"Update": {
                "Key": {"pk": f"CMP#{no}", "sk": "CMP"}, "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": "#s = :from", "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": values}}, *owed])
        except TransactionCancelled:
            raise InvalidTransition(self._load(no).status, cmd.status) from None
        self.notices.dispatch(notices)
        return OperatorComplaintView.model_validate(self._load(no).model_dump())

    def _load(self, no: str) -> Complaint:
        item = self.table.get(f"CMP#{no}", "CMP") if len(no) <= 64 else None
        if item is None:
            raise NotFound(f"no complaint {no[:64]}")
        return Complaint.model_validate(item)


def _item(complaint: Complaint) -> dict[str, Any]:
    registered = complaint.timeline[0].at
    return {"pk": f"CMP#{complaint.complaint_no}", "sk": "CMP", "gsi1pk": f"CMPS#{complaint.status}",
            "gsi2pk": f"CMPREG#{registered:%Y-%m}", "gsi2sk": f"{registered.isoformat()}#{complaint.complaint_no}",
            "gsi1sk": f"{complaint.due.isoformat()}#{complaint.complaint_no}",
            **complaint.model_dump(mode="json", exclude_none=True)}
