"""ComplaintService and RectificationService on the in-memory store: the closed loops staff walk."""

from __future__ import annotations

import pytest

from shared.contract.commands import (
    FileComplaint,
    RateApplication,
    RecordApplicationEvent,
    RecordComplaintEvent,
    RecordRectificationEvent,
    SubmitApplication,
)
from shared.contract.records import Citizen
from shared.errors import InvalidTransition, NotFound, ValidationFailed
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.rectifications import RectificationService
from shared.sessions import Principal
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue


def test_a_complaint_walks_its_loop_and_the_reply_is_owed_to_the_citizen(
        complaints: ComplaintService, citizen: Citizen, principal: Principal, store: MemoryStore,
        outbox: tuple[object, FakeQueue]) -> None:
    no = complaints.file(principal, citizen, FileComplaint(content="窗口人员态度不好")).complaint_no
    assert [c.complaint_no for c in complaints.list_by_status("registered")] == [no]
    with pytest.raises(ValidationFailed, match="department"):
        complaints.record_event(no, RecordComplaintEvent(status="assigned"))
    complaints.record_event(no, RecordComplaintEvent(status="assigned", department="县民政局"))
    replied = complaints.record_event(no, RecordComplaintEvent(status="replied", reply="已批评教育"))
    assert (replied.status, replied.department, replied.reply) == ("replied", "县民政局", "已批评教育")
    assert complaints.list_by_status("registered") == []
    notices = list(store.records["notices"].values())
    assert [(n.kind, n.complaint_no) for n in notices] == [("complaint_reply", no)]
    assert outbox[1].ids == [notices[0].notice_id]
    assert complaints.get_own(citizen, no).reply == "已批评教育"


def test_a_complaint_about_someone_elses_application_is_refused(
        complaints: ComplaintService, applications: ApplicationService, citizen: Citizen,
        principal: Principal) -> None:
    other = citizen.model_copy(update={"citizen_id": "c-2"})
    theirs = applications.submit(principal, other, SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"}),
                                 "k").application_no
    with pytest.raises(ValidationFailed, match="application_no"):
        complaints.file(principal, citizen, FileComplaint(content="慢", application_no=theirs))
    with pytest.raises(NotFound):
        complaints.get_own(citizen, "TS-none")


def test_a_rectification_case_moves_along_its_state_machine_only(
        rectifications: RectificationService, applications: ApplicationService, citizen: Citizen,
        principal: Principal) -> None:
    no = applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"}),
                             "k").application_no
    for status in ("accepted", "in_review", "completed"):
        applications.record_event(no, RecordApplicationEvent(status=status))
    applications.rate(citizen, no, RateApplication(level=1), "wechat_mini")
    (case,) = rectifications.list_by_status("open")
    with pytest.raises(InvalidTransition):
        rectifications.record_event(case.case_id, RecordRectificationEvent(status="followed_up"))
    moved = rectifications.record_event(case.case_id, RecordRectificationEvent(status="verified", note="属实"))
    assert moved.status == "verified"
    assert rectifications.list_by_status("open") == []
