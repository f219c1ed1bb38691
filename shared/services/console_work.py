"""What staff do in the console, each step checked against their role's reach and written to the audit log.

Reach (三级 and departments): a county administrator works everything; a department handler what is assigned to
its department (a complaint once 转办, a rectification case of its items); township staff what was asked for
in their township (applications name it; their complaints and cases inherit it); village staff their village.
Opening something outside one's reach is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

from shared.contract.queries import NoticeSearch
from shared.contract.records import area_tier
from shared.contract.staff import Acting, StaffAccount, StaffRole
from shared.contract.views import NoticeView, OperatorComplaintView, RectificationView
from shared.errors import Forbidden, ValidationFailed
from shared.services.complaints import ComplaintService
from shared.services.notices import NoticeService
from shared.services.rectifications import RectificationService
from shared.storage.ports import UnitOfWorkFactory

OPEN_COMPLAINTS = ("registered", "assigned", "replied", "followed_up")
OPEN_CASES = ("open", "verified", "rectified")
PAGE = 50


def reaches(who: StaffAccount, record: Any) -> bool:
    """``record`` (a complaint or case view: department, township, village) is within ``who``'s reach."""
    if who.role == StaffRole.COUNTY_ADMIN:
        return True
    if who.role == StaffRole.DEPARTMENT_HANDLER:
        return bool(record.department) and record.department == who.department
    if who.role == StaffRole.TOWNSHIP_STAFF:
        return bool(record.township) and record.township == who.township
    return bool(record.village) and (record.township, record.village) == (who.township, who.village)


class ConsoleWork:
    """Complaints and rectification cases through the console: the queue, one of them, its next step."""

    def __init__(self, uow: UnitOfWorkFactory, complaints: ComplaintService, cases: RectificationService,
                 notices: NoticeService, now: Callable[[], datetime]):
        self.uow, self.complaints, self.cases, self.notices, self.now = uow, complaints, cases, notices, now

    def queue(self, who: StaffAccount, complaints_after: str | None = None, cases_after: str | None = None,
              limit: int = PAGE) -> Queue:
        """Open complaints and cases this person may work, oldest due first, a page of each at a time."""
        reads = self.uow()
        complaints, complaints_next = _page(reads.complaints, OPEN_COMPLAINTS, who, complaints_after, limit)
        cases, cases_next = _page(reads.cases, OPEN_CASES, who, cases_after, limit)
        return Queue([OperatorComplaintView.model_validate(c.model_dump()) for c in complaints], complaints_next,
                     [RectificationView.model_validate(c.model_dump()) for c in cases], cases_next)

    def complaint(self, who: StaffAccount, no: str) -> OperatorComplaintView:
        """One complaint (404 when unknown, 403 outside this person's reach)."""
        return _within(who, self.complaints.get(no), f"complaint {no[:64]}")

    def case(self, who: StaffAccount, case_id: str) -> RectificationView:
        """One rectification case (404 when unknown, 403 outside this person's reach)."""
        return _within(who, self.cases.get(case_id), f"case {case_id[:64]}")

    def move_complaint(self, who: StaffAccount, no: str, fields: dict[str, str], source: str) -> OperatorComplaintView:
        """Assign, reply, record the follow-up call or close; the citizen hears the reply as a notice."""
        from shared.contract.commands import RecordComplaintEvent

        self.complaint(who, no)
        cmd = _step(RecordComplaintEvent, fields)
        if who.role == StaffRole.DEPARTMENT_HANDLER and cmd.department and cmd.department != who.department:
            raise Forbidden("a department handler cannot pass a complaint to another department")
        # the audit entry lands with the move, or neither does
        return self.complaints.record_event(no, cmd, by=Acting(actor=who.username, source=source[:64]))

    def move_case(self, who: StaffAccount, case_id: str, fields: dict[str, str], source: str) -> RectificationView:
        """Verify, record the rectification, the follow-up call, or dismiss (核实不实)."""
        from shared.contract.commands import RecordRectificationEvent

        self.case(who, case_id)
        cmd = _step(RecordRectificationEvent, fields)
        return self.cases.record_event(case_id, cmd, by=Acting(actor=who.username, source=source[:64]))


    def board(self, who: StaffAccount, today: date) -> list[Overdue]:
        """督办: complaints not replied and cases not closed past their due date, within reach, most overdue first
        (read through the status indexes, due dates before today only)."""
        from shared.services.supervision import OPEN_CASES as LATE_CASES
        from shared.services.supervision import OPEN_COMPLAINTS as LATE_COMPLAINTS

        reads, found = self.uow(), []
        for status in LATE_COMPLAINTS:
            found += [Overdue("complaint", c.complaint_no, c.status, c.department, _tier(c), c.township, c.village,
                              c.due, (today - c.due).days, c.supervised)
                      for c in reads.complaints.overdue(status, today)]
        for status in LATE_CASES:
            found += [Overdue("case", c.case_id, c.status, c.department, c.tier or _tier(c), c.township, c.village,
                              c.due, (today - c.due).days, c.supervised) for c in reads.cases.overdue(status, today)]
        return sorted((o for o in found if reaches(who, o)), key=lambda o: (-o.days, o.number))

    def notice_log(self, who: StaffAccount, search: NoticeSearch | None,
                   notice_id: str | None = None) -> list[NoticeView]:
        """Notices found as ``GET /backend/v1/notices`` finds them, or the one ``notice_id`` (county
        administrators: the log names every recipient)."""
        _admin(who, "the notice log")
        if notice_id:
            return [self.notices.one(notice_id)]
        if search is None:
            return self.notices.find(status="failed")
        return self.notices.find(application_no=search.application_no, to=search.recipient, status=search.status,
                                 kind=search.kind)

    def retry_notice(self, who: StaffAccount, notice_id: str, source: str) -> NoticeView:
        """Send a failed notice again (409 unless failed); audited."""
        _admin(who, "the notice log")
        return self.notices.retry(notice_id, Acting(actor=who.username, source=source[:64]))


class Queue(NamedTuple):
    """A page of someone's work: complaints and cases, each with the cursor of its next page (None: the last)."""

    complaints: list[OperatorComplaintView]
    complaints_next: str | None
    cases: list[RectificationView]
    cases_next: str | None


def _page(records: Any, statuses: tuple[str, ...], who: StaffAccount, after: str | None,
          limit: int) -> tuple[list[Any], str | None]:
    """Records of ``statuses`` within reach, oldest due first, from the status indexes' pages merged on their
    common sort key (``<due>#<id>``); a few index pages at most, so a narrow reach still fills a page."""
    shown, cursor = [], after
    for _ in range(5):
        merged = sorted((r for status in statuses for r in records.in_status_after(status, cursor, limit)),
                        key=_sort_key)[:limit]
        shown += [r for r in merged if reaches(who, r)]
        if len(merged) < limit:
            return shown, None
        cursor = _sort_key(merged[-1])
        if len(shown) >= limit:
            break
    return shown, cursor


def _sort_key(record: Any) -> str:
    return f"{record.due.isoformat()}#{getattr(record, 'complaint_no', None) or record.case_id}"


class Overdue(NamedTuple):
    """One item on the supervision board."""

    kind: str                 # complaint or case
    number: str
    status: str
    department: str | None
    tier: str
    township: str | None
    village: str | None
    due: date
    days: int                 # calendar days past due
    supervised: bool


def _tier(record: Any) -> str:
    return area_tier(record.township, record.village)


def _admin(who: StaffAccount, what: str) -> None:
    if who.role != StaffRole.COUNTY_ADMIN:
        raise Forbidden(f"only a county administrator opens {what}")


def _within(who: StaffAccount, record: Any, what: str) -> Any:
    if not reaches(who, record):
        raise Forbidden(f"{what} is outside your department or area")
    return record


def _step(model: Any, fields: dict[str, str]) -> Any:
    """A console form's step as its command (an empty field is an absent one)."""
    return ValidationFailed.check(model, {k: v for k, v in fields.items() if v}, "step", "invalid step")
