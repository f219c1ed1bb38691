"""Alipay end to end: log in (RSA2 both ways), bind, consent, apply, complete, and find the
subscription message in the outbox on channel ``alipay``."""

from __future__ import annotations

import secrets

from tests.e2e.conftest import LocalStack


def test_an_alipay_citizen_gets_the_completion_as_a_subscription_message(stack: LocalStack) -> None:
    auth, _, me = stack.bind("/v1/auth/alipay", {"auth_code": f"carol-{secrets.token_hex(3)}:1"},
                             "440304198501010021", "孙七", "136")
    account = next(b["account"] for b in me["bindings"] if b["channel"] == "alipay")
    done = stack.api("GET", "/v1/subscriptions", headers=auth)[1]["templates"]["completion"]
    assert stack.api("POST", "/v1/subscriptions", {"template_ids": [done]}, auth)[0] == 200
    no = stack.apply(auth, "T-MZ-002", {"hardship": "因病"})
    for step in ("accepted", "in_review", "completed"):
        assert stack.backend("POST", f"/backend/v1/applications/{no}/events", {"status": step})[0] == 200
    sent = stack.outbox(lambda ms: any(m["channel"] == "alipay" and no in m["text"] for m in ms))
    message = next(m for m in sent if m["channel"] == "alipay" and no in m["text"])
    assert message["to"] == account and message["template"] == done
    assert stack.api("GET", "/v1/subscriptions", headers=auth)[1]["credits"][done] == 0
