"""Alipay end to end: log in (RSA2 both ways), bind, consent, apply, complete, and find the
subscription message in the outbox on channel ``alipay``."""

from __future__ import annotations

import re
import secrets

from tests.e2e.conftest import LocalStack


def test_an_alipay_citizen_gets_the_completion_as_a_subscription_message(stack: LocalStack) -> None:
    status, login = stack.api("POST", "/v1/auth/alipay", {"auth_code": f"carol-{secrets.token_hex(3)}:1"})
    assert status == 200, login
    assert login["channel"] == "alipay"
    auth = {"Authorization": f"Bearer {login['token']}"}
    phone = "136" + str(secrets.randbelow(10**8)).zfill(8)
    assert stack.api("POST", "/v1/identity/otp", {"phone": phone}, auth)[0] == 202
    sms = stack.outbox(lambda ms: any(m["to"] == "+86" + phone for m in ms))
    code = re.search(r"\d{6}", next(m for m in sms if m["to"] == "+86" + phone)["text"]).group(0)
    status, bound = stack.api("POST", "/v1/identity/bind", {"id_number": "440304198501010021", "name": "孙七",
                                                            "phone": phone, "otp": code}, auth)
    assert status == 200, bound
    account = next(b["account"] for b in bound["citizen"]["bindings"] if b["channel"] == "alipay")
    done = stack.api("GET", "/v1/subscriptions", headers=auth)[1]["templates"]["completion"]
    assert stack.api("POST", "/v1/subscriptions", {"template_ids": [done]}, auth)[0] == 200
    status, app = stack.api("POST", "/v1/applications", {"item_code": "T-MZ-002", "form": {"hardship": "因病"}},
                            {**auth, "Idempotency-Key": secrets.token_hex(8)})
    assert status == 201, app
    no = app["application_no"]
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    sent = stack.outbox(lambda ms: any(m["channel"] == "alipay" and no in m["text"] for m in ms))
    message = next(m for m in sent if m["channel"] == "alipay" and no in m["text"])
    assert message["to"] == account and message["template"] == done
    assert stack.api("GET", "/v1/subscriptions", headers=auth)[1]["credits"][done] == 0
