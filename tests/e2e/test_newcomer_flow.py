"""The README's walkthrough against a real local stack over HTTP: log in, bind, apply, complete,
and find the completion notice in the local world's outbox."""

from __future__ import annotations

import secrets
import time

from tests.e2e.conftest import LocalStack


def _mini(stack: LocalStack, id_number: str, name: str, prefix: str) -> tuple[dict[str, str], str]:
    auth, phone, _ = stack.bind("/v1/auth/wechat-mini", {"code": "code-" + secrets.token_hex(4)}, id_number, name,
                                prefix)
    return auth, phone


def test_a_citizen_binds_applies_and_receives_the_completion_notice(stack: LocalStack) -> None:
    auth, phone = _mini(stack, "11010519491231002X", "张三", "139")
    no = stack.apply(auth, form={"purpose": "入学"})
    for step in ("accepted", "in_review", "completed"):
        status, body = stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})
        assert status == 200, body
    done = stack.outbox(lambda ms: any(no in m["text"] for m in ms))
    notice = [m for m in done if no in m["text"]]
    assert len(notice) == 1 and notice[0]["channel"] == "sms" and notice[0]["to"] == phone
    assert "已办结" in notice[0]["text"]
    status, progress = stack.api("GET", f"/v1/applications/{no}", headers=auth)
    assert progress["status"] == "completed"
    status, notices = stack.backend("GET", f"/backend/v1/notices?application_no={no}")
    assert notices["notices"][0]["status"] == "delivered"


def test_a_reused_login_code_is_refused(stack: LocalStack) -> None:
    code = "code-" + secrets.token_hex(4)
    assert stack.api("POST", "/v1/auth/wechat-mini", {"code": code})[0] == 200
    status, body = stack.api("POST", "/v1/auth/wechat-mini", {"code": code})
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_an_sms_provider_fault_is_retried_until_delivered(stack: LocalStack) -> None:
    auth, _ = _mini(stack, "440524188001010014", "李四", "137")
    no = stack.apply(auth)
    stack.world("POST", "/local/faults", {"channel": "sms", "status": 503, "count": 1})
    stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": "rejected", "note": "材料不全"})
    done = stack.outbox(lambda ms: any(no in m["text"] for m in ms), timeout=15)
    assert len([m for m in done if no in m["text"]]) == 1
    notices = stack.backend("GET", f"/backend/v1/notices?application_no={no}")[1]["notices"]
    # no consent credit on the mini-program (permanent: next channel), then the SMS fault, then delivery
    assert [(a["channel"], a["outcome"]) for a in notices[0]["attempts"]] == [
        ("wechat_mini", "failed_permanent"), ("sms", "failed_transient"), ("sms", "delivered")]


def test_a_notice_whose_every_channel_fails_ends_failed_with_all_attempts(stack: LocalStack) -> None:
    auth, _ = _mini(stack, "51010719881212003X", "吴九", "150")
    no = stack.apply(auth)
    stack.world("POST", "/local/faults", {"channel": "sms", "status": 503, "count": 20})
    try:
        stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": "rejected"})
        deadline, notice = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            notice = stack.backend("GET", f"/backend/v1/notices?application_no={no}")[1]["notices"][0]
            if notice["status"] != "pending":
                break
            time.sleep(0.5)
    finally:
        stack.world("DELETE", "/local/faults")
    assert notice["status"] == "failed"
    assert [(a["channel"], a["outcome"]) for a in notice["attempts"]] == [
        ("wechat_mini", "failed_permanent"), ("sms", "failed_transient"), ("sms", "failed_transient"),
        ("sms", "failed_transient"), ("minqing", "failed")]
