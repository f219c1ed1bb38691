"""督办: overdue complaints and rectification cases are flagged once and their contact told once."""

from __future__ import annotations

from typing import Any

import pytest

from functions.bootstrap import Services
from functions.schedules import supervision
from shared.clock import FixedClock
from tests.helpers import Api, FakeQueue, FakeSms, drain, scheduled_event

CONTACTS = {"default": "+8613700000001", "县民政局": "+8613700000002", "村(社区)委员会": "+8613700000003"}


@pytest.fixture(autouse=True)
def _contacts(svc: Services, queue: FakeQueue) -> None:
    svc.notices.policy.contacts = CONTACTS
    _wired[:] = [svc, queue]


_wired: list[Any] = []


def _run(clock: FixedClock) -> Any:
    """The supervision schedule, then the staff SMS it queued, delivered."""
    out = supervision(scheduled_event(clock.now()), None)
    drain(*_wired)
    return out


def _complaint(api: Api, token: str) -> str:
    return api.call("POST", "/v1/complaints", {"content": "路灯坏了"}, token).json_body["complaint_no"]


def test_an_unreplied_complaint_past_due_is_supervised_once(api: Api, svc: Services, clock: FixedClock,
                                                            sms: FakeSms) -> None:
    token = api.citizen()
    no = _complaint(api, token)
    api.backend("POST", f"/backend/v1/complaints/{no}/events", {"status": "assigned", "department": "县民政局"})
    clock.advance(days=16)  # due 2026-10-13 (7 working days across 国庆): overdue from the 14th
    before = len(sms.sent)
    assert _run(clock) == {"supervised": 1}
    assert _run(clock) == {"supervised": 0}
    told = sms.sent[before:]
    assert [m["phone"] for m in told] == ["+8613700000002"] and no in told[0]["text"]
    seen = api.call("GET", f"/v1/complaints/{no}", token=api.citizen()).json_body
    assert seen["status"] == "assigned" and seen["supervised"] is True and seen["supervised_at"]
    assert seen["timeline"][-1]["status"] == "supervised"


def test_a_complaint_not_yet_due_or_already_replied_is_left_alone(api: Api, svc: Services, clock: FixedClock) -> None:
    token = api.citizen()
    early = _complaint(api, token)
    replied = _complaint(api, token)
    api.backend("POST", f"/backend/v1/complaints/{replied}/events", {"status": "assigned", "department": "县民政局"})
    api.backend("POST", f"/backend/v1/complaints/{replied}/events", {"status": "replied", "reply": "已修"})
    clock.advance(days=8)  # 2026-10-06: due 10-13 not reached
    assert _run(clock) == {"supervised": 0}
    clock.advance(days=8)
    assert _run(clock) == {"supervised": 1}
    assert api.backend("GET", "/backend/v1/complaints?status=replied").json_body["complaints"][0]["supervised"] is False
    assert early


def test_an_overdue_rectification_case_is_supervised_to_the_items_department(api: Api, svc: Services,
                                                                            clock: FixedClock, sms: FakeSms) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 1}, token)
    clock.advance(days=40)
    assert _run(clock) == {"supervised": 1}
    case = api.backend("GET", "/backend/v1/rectifications?status=open").json_body["rectifications"][0]
    assert case["supervised"] is True
    assert sms.sent[-1]["phone"] == "+8613700000003"
