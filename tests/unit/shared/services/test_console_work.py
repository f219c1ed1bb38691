"""Complaints and rectification cases through the console on the in-memory store: each person's reach (三级 and
departments), and every step audited."""

from __future__ import annotations

from typing import Any

import pytest

from shared.clock import FixedClock
from shared.contract.commands import (
    FileComplaint,
    RateApplication,
    RecordApplicationEvent,
    SubmitApplication,
)
from shared.contract.records import Citizen
from shared.contract.staff import StaffAccount
from shared.errors import Forbidden
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.console_work import ConsoleWork
from shared.services.rectifications import RectificationService
from shared.sessions import Principal
from shared.storage.memory import MemoryStore


def _staff(username: str, role: str, fixed_clock: FixedClock, **scope: str) -> StaffAccount:
    return StaffAccount(username=username, display_name=username, role=role, password_hash="x",
                        created_at=fixed_clock.now(), **scope)


@pytest.fixture
def work(store: MemoryStore, complaints: ComplaintService, rectifications: RectificationService, outbox: Any,
         fixed_clock: FixedClock) -> ConsoleWork:
    return ConsoleWork(store.unit_of_work, complaints, rectifications, outbox[0], fixed_clock.now)


def test_a_department_handler_reaches_only_its_departments_complaints_and_every_step_is_audited(
        store: MemoryStore, work: ConsoleWork, complaints: ComplaintService, fixed_clock: FixedClock,
        citizen: Citizen, principal: Principal) -> None:
    admin = _staff("admin", "county_admin", fixed_clock)
    handler = _staff("jiaoyu", "department_handler", fixed_clock, department="县教育局")
    ours = complaints.file(principal, citizen, FileComplaint(content="报名材料不清楚")).complaint_no
    theirs = complaints.file(principal, citizen, FileComplaint(content="医保报销慢")).complaint_no
    work.move_complaint(admin, ours, {"status": "assigned", "department": "县教育局"}, "10.0.0.1")
    work.move_complaint(admin, theirs, {"status": "assigned", "department": "县医疗保障局"}, "10.0.0.1")
    assert [c.complaint_no for c in work.queue(handler).complaints] == [ours]
    assert {c.complaint_no for c in work.queue(admin).complaints} == {ours, theirs}
    with pytest.raises(Forbidden):
        work.complaint(handler, theirs)
    with pytest.raises(Forbidden):
        work.complaint(_staff("town", "township_staff", fixed_clock, township="城关镇"), ours)
    replied = work.move_complaint(handler, ours, {"status": "replied", "reply": "请致电 13912345678 咨询"}, "10.0.0.2")
    assert replied.status == "replied"
    entry = store.unit_of_work().audit.of_month("2026-09", 1)[0][0]
    assert (entry.actor, entry.action, entry.before["status"], entry.after["status"]) == (
        "jiaoyu", "complaint.replied", "assigned", "replied")
    assert "13912345678" not in entry.after["reply"] and "139****5678" in entry.after["reply"]


def test_a_step_that_fails_leaves_no_audit_entry(store: MemoryStore, work: ConsoleWork, complaints: ComplaintService,
                                                 fixed_clock: FixedClock, citizen: Citizen,
                                                 principal: Principal) -> None:
    from shared.errors import InvalidTransition

    admin = _staff("admin", "county_admin", fixed_clock)
    no = complaints.file(principal, citizen, FileComplaint(content="报名材料不清楚")).complaint_no
    with pytest.raises(InvalidTransition):
        work.move_complaint(admin, no, {"status": "closed"}, "10.0.0.1")  # registered cannot close
    assert store.unit_of_work().audit.of_month("2026-09", 5)[0] == []


def test_township_and_village_staff_reach_what_was_asked_for_in_their_area(
        store: MemoryStore, work: ConsoleWork, applications: ApplicationService,
        rectifications: RectificationService, fixed_clock: FixedClock, citizen: Citizen,
        principal: Principal) -> None:
    cases = {}
    for township, village in (("城关镇", "东街社区"), ("河口乡", "柳树村")):
        cmd = SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"}, township=township, village=village)
        no = applications.submit(principal, citizen, cmd, f"k-{village}").application_no
        for status in ("accepted", "in_review", "completed"):
            applications.record_event(no, RecordApplicationEvent(status=status))
        applications.rate(citizen, no, RateApplication(level=1, comment="跑了三趟"), "wechat_mini")
        cases[village] = next(c.case_id for c in rectifications.list_by_status("open") if c.application_no == no)
    chengguan = _staff("chengguan", "township_staff", fixed_clock, township="城关镇")
    dongjie = _staff("dongjie", "village_staff", fixed_clock, township="城关镇", village="东街社区")
    xijie = _staff("xijie", "village_staff", fixed_clock, township="城关镇", village="西街社区")
    assert [c.case_id for c in work.queue(chengguan).cases] == [cases["东街社区"]]
    assert [c.case_id for c in work.queue(dongjie).cases] == [cases["东街社区"]]
    assert work.queue(xijie).cases == []
    with pytest.raises(Forbidden):
        work.case(chengguan, cases["柳树村"])
    with pytest.raises(Forbidden):
        work.move_case(xijie, cases["东街社区"], {"status": "verified"}, "")
    moved = work.move_case(dongjie, cases["东街社区"], {"status": "verified", "note": "属实"}, "10.0.0.3")
    assert (moved.status, moved.township, moved.village) == ("verified", "城关镇", "东街社区")
    entry = store.unit_of_work().audit.of_month("2026-09", 1)[0][0]
    assert (entry.actor, entry.action, entry.target, entry.after["status"]) == (
        "dongjie", "case.verified", cases["东街社区"], "verified")


def test_an_application_names_only_the_countys_townships_and_their_villages(
        applications: ApplicationService, citizen: Citizen, principal: Principal) -> None:
    from shared.errors import ValidationFailed

    for township, village, field in (("火星镇", None, "township"), ("城关镇", "柳树村", "village"),
                                     (None, "东街社区", "village")):
        with pytest.raises(ValidationFailed) as refused:
            applications.submit(principal, citizen, SubmitApplication(
                item_code="V-CW-001", form={"purpose": "入学"}, township=township, village=village), "k")
        assert [d["field"] for d in refused.value.details] == [field]


def test_the_queue_comes_a_page_at_a_time_through_the_status_indexes(
        work: ConsoleWork, complaints: ComplaintService, fixed_clock: FixedClock, citizen: Citizen,
        principal: Principal) -> None:
    admin = _staff("admin", "county_admin", fixed_clock)
    handler = _staff("jiaoyu", "department_handler", fixed_clock, department="县教育局")
    filed = [complaints.file(principal, citizen, FileComplaint(content=f"第{i}件")).complaint_no for i in range(7)]
    for i, no in enumerate(filed):  # every third to 县教育局; the rest stay registered or go elsewhere
        if i % 3 == 0:
            work.move_complaint(admin, no, {"status": "assigned", "department": "县教育局"}, "")
        elif i % 3 == 1:
            work.move_complaint(admin, no, {"status": "assigned", "department": "县医疗保障局"}, "")
    seen, cursor, pages = [], None, 0
    while True:
        page = work.queue(admin, complaints_after=cursor, limit=3)
        seen += [c.complaint_no for c in page.complaints]
        pages, cursor = pages + 1, page.complaints_next
        if cursor is None:
            break
    assert sorted(seen) == sorted(filed) and len(seen) == len(set(seen)) and pages == 3
    mine = work.queue(handler, limit=2)
    rest = work.queue(handler, complaints_after=mine.complaints_next, limit=2) if mine.complaints_next else None
    found = [c.complaint_no for c in mine.complaints] + [c.complaint_no for c in (rest.complaints if rest else [])]
    assert sorted(found) == sorted([filed[0], filed[3], filed[6]]), "only its own, each once, oldest due first"
