"""What staff do in the console, each step checked against their role's reach and written to the audit log.

Reach (三级 and departments): a county administrator works every complaint; a department handler only those
assigned to its department. Township and village reach needs the area an application belongs to, which the
catalogue does not carry yet: their queues stay empty until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from shared.contract.staff import Acting, StaffAccount, StaffRole
from shared.contract.views import OperatorComplaintView
from shared.errors import Forbidden, NotFound
from shared.services.complaints import ComplaintService
from shared.storage.ports import UnitOfWorkFactory

OPEN_COMPLAINTS = ("registered", "assigned", "replied", "followed_up")


class ConsoleWork:
    """Complaints through the console: the queue, one complaint, its next step."""

    def __init__(self, uow: UnitOfWorkFactory, complaints: ComplaintService, now: Callable[[], datetime]):
        self.uow, self.complaints, self.now = uow, complaints, now

    def queue(self, who: StaffAccount) -> list[OperatorComplaintView]:
        """Open complaints this person may work, oldest due first."""
        found = [c for status in OPEN_COMPLAINTS for c in self.complaints.list_by_status(status)]
        return [c for c in found if self._reaches(who, c)]

    def complaint(self, who: StaffAccount, no: str) -> OperatorComplaintView:
        """One complaint; outside this person's reach it is as unknown (404), so numbers cannot be probed."""
        found = self.complaints.get(no)
        if not self._reaches(who, found):
            raise NotFound(f"no complaint {no[:64]} within your department or area")
        return found

    def move_complaint(self, who: StaffAccount, no: str, fields: dict[str, str], source: str) -> OperatorComplaintView:
        """Assign, reply, record the follow-up call or close; the citizen hears the reply as a notice."""
        from pydantic import ValidationError

        from shared.contract.commands import RecordComplaintEvent
        from shared.errors import ValidationFailed

        self.complaint(who, no)  # within reach, or 404
        try:
            cmd = RecordComplaintEvent.model_validate({k: v for k, v in fields.items() if v})
        except ValidationError as exc:
            raise ValidationFailed.from_pydantic(exc, "invalid step", "step") from None
        if who.role == StaffRole.DEPARTMENT_HANDLER and cmd.department and cmd.department != who.department:
            raise Forbidden("a department handler cannot pass a complaint to another department")
        # the audit entry lands with the move, or neither does
        return self.complaints.record_event(no, cmd, by=Acting(actor=who.username, source=source[:64]))

    @staticmethod
    def _reaches(who: StaffAccount, complaint: OperatorComplaintView) -> bool:
        if who.role == StaffRole.COUNTY_ADMIN:
            return True
        return who.role == StaffRole.DEPARTMENT_HANDLER and complaint.department == who.department
