"""Complaints through the console on the in-memory store: each person's reach, and every step audited."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from shared.contract.commands import FileComplaint
from shared.contract.records import Citizen
from shared.contract.staff import StaffAccount
from shared.errors import NotFound
from shared.services.complaints import ComplaintService
from shared.services.console_work import ConsoleWork
from shared.sessions import Principal
from shared.storage.memory import MemoryStore


def _staff(username: str, role: str, fixed_clock: FixedClock, **scope: str) -> StaffAccount:
    return StaffAccount(username=username, display_name=username, role=role, password_hash="x",
                        created_at=fixed_clock.now(), **scope)


def test_a_department_handler_reaches_only_its_departments_complaints_and_every_step_is_audited(
        store: MemoryStore, complaints: ComplaintService, fixed_clock: FixedClock, citizen: Citizen,
        principal: Principal) -> None:
    work = ConsoleWork(store.unit_of_work, complaints, fixed_clock.now)
    admin = _staff("admin", "county_admin", fixed_clock)
    handler = _staff("jiaoyu", "department_handler", fixed_clock, department="县教育局")
    ours = complaints.file(principal, citizen, FileComplaint(content="报名材料不清楚")).complaint_no
    theirs = complaints.file(principal, citizen, FileComplaint(content="医保报销慢")).complaint_no
    work.move_complaint(admin, ours, {"status": "assigned", "department": "县教育局"}, "10.0.0.1")
    work.move_complaint(admin, theirs, {"status": "assigned", "department": "县医疗保障局"}, "10.0.0.1")
    assert [c.complaint_no for c in work.queue(handler)] == [ours]
    assert {c.complaint_no for c in work.queue(admin)} == {ours, theirs}
    with pytest.raises(NotFound):
        work.complaint(handler, theirs)
    with pytest.raises(NotFound):
        work.complaint(_staff("town", "township_staff", fixed_clock, township="城关镇"), ours)
    replied = work.move_complaint(handler, ours, {"status": "replied", "reply": "请致电 13912345678 咨询"}, "10.0.0.2")
    assert replied.status == "replied"
    entry = store.unit_of_work().audit.of_month("2026-09", 1)[0][0]
    assert (entry.actor, entry.action, entry.before["status"], entry.after["status"]) == (
        "jiaoyu", "complaint.replied", "assigned", "replied")
    assert "13912345678" not in entry.after["reply"] and "139****5678" in entry.after["reply"]


def test_a_step_that_fails_leaves_no_audit_entry(store: MemoryStore, complaints: ComplaintService,
                                                 fixed_clock: FixedClock, citizen: Citizen,
                                                 principal: Principal) -> None:
    from shared.errors import InvalidTransition

    work = ConsoleWork(store.unit_of_work, complaints, fixed_clock.now)
    admin = _staff("admin", "county_admin", fixed_clock)
    no = complaints.file(principal, citizen, FileComplaint(content="报名材料不清楚")).complaint_no
    with pytest.raises(InvalidTransition):
        work.move_complaint(admin, no, {"status": "closed"}, "10.0.0.1")  # registered cannot close
    assert store.unit_of_work().audit.of_month("2026-09", 5)[0] == []
