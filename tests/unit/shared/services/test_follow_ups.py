"""Rating invites and supervision (督办) on the in-memory store."""

from __future__ import annotations

from datetime import timedelta

from shared.clock import FixedClock
from shared.contract.commands import FileComplaint, RecordApplicationEvent, SubmitApplication
from shared.contract.records import Citizen
from shared.services.applications import ApplicationService
from shared.services.complaints import ComplaintService
from shared.services.invites import RatingInvites
from shared.services.notices import NoticeService
from shared.services.supervision import Supervision
from shared.sessions import Principal
from shared.storage.memory import MemoryStore
from tests.helpers import FakeQueue


def test_a_finished_application_is_invited_to_be_rated_once_after_three_days(
        applications: ApplicationService, citizen: Citizen, principal: Principal, store: MemoryStore,
        outbox: tuple[NoticeService, FakeQueue], fixed_clock: FixedClock) -> None:
    no = applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001", form={"purpose": "入学"}),
                             "k").application_no
    for status in ("accepted", "in_review", "completed"):
        applications.record_event(no, RecordApplicationEvent(status=status))
    invites = RatingInvites(store.unit_of_work, outbox[0], 30)
    assert invites.run(fixed_clock.now() + timedelta(days=2)) == {"invited": 0}
    assert invites.run(fixed_clock.now() + timedelta(days=3)) == {"invited": 1}
    assert invites.run(fixed_clock.now() + timedelta(days=4)) == {"invited": 0}
    kinds = sorted(n.kind for n in store.records["notices"].values())
    assert kinds == ["completion", "rating_invite"]


def test_an_overdue_complaint_is_supervised_once_and_its_department_told(
        complaints: ComplaintService, citizen: Citizen, principal: Principal, store: MemoryStore,
        outbox: tuple[NoticeService, FakeQueue], fixed_clock: FixedClock) -> None:
    no = complaints.file(principal, citizen, FileComplaint(content="窗口人员态度不好")).complaint_no
    supervision = Supervision(store.unit_of_work, outbox[0])
    assert supervision.run(fixed_clock.now()) == {"supervised": 0}
    late = fixed_clock.now() + timedelta(days=30)
    assert supervision.run(late) == {"supervised": 1}
    assert supervision.run(late) == {"supervised": 0}
    stored = store.records["complaints"][no]
    assert stored.supervised and stored.status == "registered"
    (told,) = store.records["notices"].values()
    assert (told.kind, told.to.account if told.to else None) == ("supervision", "+8613700000001")
    assert no in (told.text or "")


def test_the_assessment_report_counts_ratings_cases_and_complaints(
        applications: ApplicationService, complaints: ComplaintService, citizen: Citizen, principal: Principal,
        store: MemoryStore, fixed_clock: FixedClock) -> None:
    from shared.contract.commands import RateApplication
    from shared.services.reports import ReportService

    for key, level in (("k1", 5), ("k2", 1)):
        no = applications.submit(principal, citizen, SubmitApplication(item_code="V-CW-001",
                                                                       form={"purpose": "入学"}), key).application_no
        for status in ("accepted", "in_review", "completed"):
            applications.record_event(no, RecordApplicationEvent(status=status))
        applications.rate(citizen, no, RateApplication(level=level), "wechat_mini")
    complaints.file(principal, citizen, FileComplaint(content="窗口人员态度不好"))
    today = fixed_clock.now().date()
    (row,) = [r for r in ReportService(store.unit_of_work).satisfaction(today, today, today).rows
              if r.rating_total]
    assert (row.ratings["5"], row.ratings["1"], row.satisfaction_rate, row.bad_ratings) == (1, 1, 0.5, 1)
    assert row.rectification_rate == 0.0
    late = ReportService(store.unit_of_work).satisfaction(today, today, today + timedelta(days=30)).rows
    assert sum(r.complaints_counted for r in late) == 1
