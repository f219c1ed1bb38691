"""The promise that no message to a citizen is lost, tried on a running stack as a citizen and an
operator would (issue 11): SMS replies survive limits and provider faults, waiting is not
failing, and a long rating comment is answered once. (A citizen bound on every channel needs an
OTP a minute per bind: that case runs in simulated time, ``tests/integration/test_delivery_chaos.py``.)"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from tests.e2e.conftest import LocalStack


def _replies(stack: LocalStack, phone: str, text: str) -> list[dict[str, Any]]:
    return [m for m in stack.outbox() if m["to"] == phone and text in m["text"]]


def _citizen(stack: LocalStack, id_number: str, name: str, prefix: str) -> tuple[dict[str, str], str]:
    auth, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "c-" + secrets.token_hex(6)}, id_number, name, prefix)
    return auth, phone


def test_the_same_sms_command_twice_within_30_seconds_gets_two_replies(stack: LocalStack) -> None:
    auth, phone = _citizen(stack, "110101198002020018", "钱一", "182")
    no = stack.apply(auth)
    for body in (f"CX {no}", "帮助", f"CX {no}", "帮助"):
        assert stack.world("POST", "/local/sms/inbound", {"from": phone, "body": body})[0] == 202
    assert stack.until(lambda: len(_replies(stack, phone, no)) == 2 and len(_replies(stack, phone, "TD")) == 2,
                       timeout=60)  # the second of each waits out the provider's 30-second same-text rule
    waited = stack.backend("GET", f"/backend/v1/notices?phone={phone}")[1]["notices"]
    assert sorted(n["kind"] for n in waited) == ["reply_help_sms"] * 2 + ["reply_progress"] * 2
    assert all(n["status"] == "delivered" and [a["outcome"] for a in n["attempts"]] == ["delivered"] for n in waited)


def test_an_sms_reply_survives_a_provider_fault(stack: LocalStack) -> None:
    auth, phone = _citizen(stack, "110101198002020026", "孙二", "183")
    no = stack.apply(auth)
    stack.world("POST", "/local/faults", {"channel": "sms", "status": 500, "count": 1})
    assert stack.world("POST", "/local/sms/inbound", {"from": phone, "body": f"CX {no}"})[0] == 202
    assert stack.until(lambda: _replies(stack, phone, no), timeout=20)
    notice = stack.backend("GET", f"/backend/v1/notices?phone={phone}&kind=reply_progress")[1]["notices"][0]
    assert [a["outcome"] for a in notice["attempts"]] == ["failed_transient", "delivered"]


def test_a_rating_by_sms_with_a_long_comment_is_stored_and_answered(stack: LocalStack) -> None:
    auth, phone = _citizen(stack, "110101198002020042", "李三", "184")
    no = stack.apply(auth)
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    comment = "窗口服务很好" * 100
    assert stack.world("POST", "/local/sms/inbound", {"from": phone, "body": f"PJ {no} 5 {comment}"})[0] == 202
    assert stack.until(lambda: _replies(stack, phone, "感谢您的评价"), timeout=20)
    rating = stack.api("GET", f"/v1/applications/{no}", headers=auth)[1]["rating"]
    assert rating["level"] == 5


def test_two_reminders_with_the_same_text_both_arrive_and_waiting_is_no_attempt(stack: LocalStack) -> None:
    id_number = "110101198002020069"
    _, phone = _citizen(stack, id_number, "吴五", "186")
    today = date.today()
    expires = (today + timedelta(days=7)).isoformat()
    for n in (1, 2):  # two health certificates expiring the same day: the same reminder text
        body = {"id_number": id_number, "kind": "health_certificate", "number": f"JK{n}{secrets.token_hex(3)}",
                "expires_on": expires}
        assert stack.backend("PUT", f"/backend/v1/licences/L{secrets.token_hex(5)}", body)[0] == 200
    assert stack.world("POST", "/local/run/expiry_reminders", {})[0] == 200
    assert stack.until(lambda: len(_replies(stack, phone, "健康证明")) == 2, timeout=60)
    pending = stack.backend("GET", "/backend/v1/notices?status=pending&kind=expiry_reminder")[1]["notices"]
    assert pending == []


def test_an_oa_rating_with_a_long_comment_is_answered_once_and_stored(stack: LocalStack) -> None:
    auth, _, me = stack.bind("/v1/auth/wechat-oa", {"code": "c-" + secrets.token_hex(6)}, "110101198002020077",
                             "郑六", "187")
    openid = next(b["account"] for b in me["bindings"] if b["channel"] == "wechat_oa")
    no = stack.apply(auth)
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    reply = stack.oa_text(openid, f"评价 {no} 5 " + "办事快" * 200)
    assert "感谢您的评价" in reply
    assert stack.api("GET", f"/v1/applications/{no}", headers=auth)[1]["rating"]["level"] == 5
    assert "评价 SB1" not in stack.oa_text(openid, "评价 SB1 " + "9" * 5000)  # a clear answer, not a 500
