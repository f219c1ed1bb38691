"""The README's walkthrough against a real local stack over HTTP: log in, bind, apply, complete,
and find the completion notice in the local world's outbox."""

from __future__ import annotations

import re
import secrets
import time

from tests.e2e.conftest import LocalStack


def test_a_citizen_binds_applies_and_receives_the_completion_notice(stack: LocalStack) -> None:
    status, login = stack.api("POST", "/v1/auth/wechat-mini", {"code": "code-" + secrets.token_hex(4)})
    assert status == 200, login
    assert login["channel"] == "wechat_mini" and login["bound"] is False
    auth = {"Authorization": f"Bearer {login['token']}"}
    phone = "139" + str(secrets.randbelow(10**8)).zfill(8)
    assert stack.api("POST", "/v1/identity/otp", {"phone": phone}, auth)[0] == 202
    sms = stack.outbox(lambda ms: any(m["to"] == "+86" + phone for m in ms))
    code = re.search(r"\d{6}", next(m for m in sms if m["to"] == "+86" + phone)["text"]).group(0)
    status, bound = stack.api("POST", "/v1/identity/bind", {"id_number": "11010519491231002X", "name": "张三",
                                                            "phone": phone, "otp": code}, auth)
    assert status == 200, bound
    status, app = stack.api("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "入学"}},
                            {**auth, "Idempotency-Key": secrets.token_hex(8)})
    assert status == 201, app
    no = app["application_no"]
    for step in ("accepted", "in_review", "completed"):
        status, body = stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})
        assert status == 200, body
    done = stack.outbox(lambda ms: any(no in m["text"] for m in ms))
    notice = [m for m in done if no in m["text"]]
    assert len(notice) == 1 and notice[0]["channel"] == "sms" and notice[0]["to"] == "+86" + phone
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
    _, login = stack.api("POST", "/v1/auth/wechat-mini", {"code": "code-" + secrets.token_hex(4)})
    auth = {"Authorization": f"Bearer {login['token']}"}
    phone = "137" + str(secrets.randbelow(10**8)).zfill(8)
    stack.api("POST", "/v1/identity/otp", {"phone": phone}, auth)
    sms = stack.outbox(lambda ms: any(m["to"] == "+86" + phone for m in ms))
    code = re.search(r"\d{6}", next(m for m in sms if m["to"] == "+86" + phone)["text"]).group(0)
    id_number = "440524188001010014"
    assert stack.api("POST", "/v1/identity/bind", {"id_number": id_number, "name": "李四", "phone": phone,
                                                   "otp": code}, auth)[0] == 200
    no = stack.api("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "x"}},
                   {**auth, "Idempotency-Key": secrets.token_hex(8)})[1]["application_no"]
    stack.world("POST", "/local/faults", {"channel": "sms", "status": 503, "count": 1})
    stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": "rejected", "note": "材料不全"})
    done = stack.outbox(lambda ms: any(no in m["text"] for m in ms), timeout=15)
    assert len([m for m in done if no in m["text"]]) == 1
    notices = stack.backend("GET", f"/backend/v1/notices?application_no={no}")[1]["notices"]
    # no consent credit on the mini-program (permanent: next channel), then the SMS fault, then delivery
    assert [(a["channel"], a["outcome"]) for a in notices[0]["attempts"]] == [
        ("wechat_mini", "failed_permanent"), ("sms", "failed_transient"), ("sms", "delivered")]


def test_a_notice_whose_every_channel_fails_ends_failed_with_all_attempts(stack: LocalStack) -> None:
    _, login = stack.api("POST", "/v1/auth/wechat-mini", {"code": "code-" + secrets.token_hex(4)})
    auth = {"Authorization": f"Bearer {login['token']}"}
    phone = "150" + str(secrets.randbelow(10**8)).zfill(8)
    stack.api("POST", "/v1/identity/otp", {"phone": phone}, auth)
    sms = stack.outbox(lambda ms: any(m["to"] == "+86" + phone for m in ms))
    code = re.search(r"\d{6}", next(m for m in sms if m["to"] == "+86" + phone)["text"]).group(0)
    assert stack.api("POST", "/v1/identity/bind", {"id_number": "51010719881212003X", "name": "吴九", "phone": phone,
                                                   "otp": code}, auth)[0] == 200
    no = stack.api("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "x"}},
                   {**auth, "Idempotency-Key": secrets.token_hex(8)})[1]["application_no"]
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
        ("sms", "failed_transient")]
