"""Two-way SMS end to end: an inbound ``CX`` gets the status reply; after ``TD`` a completion
sends no SMS to that citizen."""

from __future__ import annotations

import secrets
import time

from tests.e2e.conftest import LocalStack


def test_cx_by_sms_gets_the_status_and_td_stops_sms_notices(stack: LocalStack) -> None:
    auth, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "c-" + secrets.token_hex(6)},
                                "320102198001010016", "周八", "158")
    no = stack.apply(auth)
    assert stack.world("POST", "/local/sms/inbound", {"from": phone, "body": f"CX {no}"})[0] == 202
    replies = stack.outbox(lambda ms: any(m["to"] == phone and no in m["text"] for m in ms))
    assert any(m["to"] == phone and "已提交" in m["text"] for m in replies)
    stack.world("POST", "/local/sms/inbound", {"from": phone, "body": "TD"})
    stack.outbox(lambda ms: any(m["to"] == phone and "退订" in m["text"] for m in ms))
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        notices = stack.backend("GET", f"/backend/v1/notices?application_no={no}")[1]["notices"]
        if notices and notices[0]["status"] != "pending":
            break
        time.sleep(0.2)
    assert notices[0]["status"] == "failed"  # no consent on the mini-program, SMS opted out
    assert not [m for m in stack.outbox() if m["to"] == phone and "已办结" in m["text"]]
