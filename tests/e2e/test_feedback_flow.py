"""好差评 and 投诉 end to end: a level-1 rating by SMS opens a case the operator walks to
``followed_up``; a complaint left unanswered is supervised after its due date."""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta

from tests.e2e.conftest import LocalStack


def test_a_bad_sms_rating_opens_a_case_and_an_unanswered_complaint_is_supervised(stack: LocalStack) -> None:
    auth, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "c-" + secrets.token_hex(6)},
                                "420102198203040014", "钱一", "182")
    no = stack.apply(auth)
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    stack.world("POST", "/local/sms/inbound", {"from": phone, "body": f"PJ {no} 1"})
    case = None
    for _ in range(20):
        cases = stack.backend("GET", "/backend/v1/rectifications?status=open")[1]["rectifications"]
        case = next((c for c in cases if c["application_no"] == no), None)
        if case:
            break
        time.sleep(0.25)
    assert case and case["level"] == 1
    for status in ("verified", "rectified", "followed_up"):
        assert stack.backend("POST", f"/backend/v1/rectifications/{case['case_id']}/events",
                             {"status": status})[0] == 200
    done = stack.backend("GET", "/backend/v1/rectifications?status=followed_up")[1]["rectifications"]
    assert case["case_id"] in {c["case_id"] for c in done}

    status, filed = stack.api("POST", "/v1/complaints", {"content": "窗口无人", "application_no": no}, auth)
    assert status == 201
    later = (date.today() + timedelta(days=20)).isoformat()
    assert stack.world("POST", "/local/run/supervision", {"now": f"{later}T08:00:00+08:00"})[0] == 200
    seen = stack.api("GET", f"/v1/complaints/{filed['complaint_no']}", headers=auth)[1]
    assert seen["status"] == "registered" and seen["supervised"] is True
