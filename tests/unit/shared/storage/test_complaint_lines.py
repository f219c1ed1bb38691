"""A citizen's complaints, newest first, on both adapters (the H5 complaints page lists them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from shared.contract.records import Complaint, TimelineEntry
from shared.storage.ports import UnitOfWork
from tests.unit.shared.storage.test_repositories import AT


def _filed(uow: Callable[[], UnitOfWork], no: str, citizen: str, minutes: int) -> None:
    at = AT + timedelta(minutes=minutes)
    unit = uow()
    unit.complaints.add(Complaint(complaint_no=no, citizen_id=citizen, account="sms#+8613800138000", content="x",
                                  status="registered", due=date(2026, 10, 9),
                                  timeline=[TimelineEntry(status="registered", at=at)]))
    unit.commit()


def test_a_citizens_complaints_come_newest_first_and_only_theirs(uow: Callable[[], UnitOfWork]) -> None:
    _filed(uow, "TS1", "c-1", 0)
    _filed(uow, "TS2", "c-2", 1)
    _filed(uow, "TS3", "c-1", 2)
    _filed(uow, "TS4", "c-1", 3)
    assert [c.complaint_no for c in uow().complaints.of_citizen("c-1", 20)] == ["TS4", "TS3", "TS1"]
    assert [c.complaint_no for c in uow().complaints.of_citizen("c-1", 2)] == ["TS4", "TS3"]
    assert uow().complaints.of_citizen("c-9", 20) == []
