"""Every sample API Gateway event in ``events/http`` through the Lambda handler, as deployed."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest

from app import app
from functions.bootstrap import Services
from shared.contract.commands import RateApplication
from shared.services.backend_auth import sign
from tests.helpers import EVENTS, Api, FakeSms, load_event

EXPECTED = {
    "health": 200, "items": 200, "answers": 200, "identity_otp": 202, "identity_bind": 200, "me": 200,
    "me_preferences": 200,
    "applications_submit": 201, "applications_list": 200, "application_progress": 200,
    "application_withdraw": 200, "application_rating": 201, "complaints_file": 201, "complaint_show": 200,
    "subscriptions_show": 200, "subscriptions_record": 200, "licences": 200,
    "backend_application_event": 200, "backend_licence_upsert": 200, "backend_notices": 200,
    "backend_rectifications": 200, "backend_rectification_event": 200, "backend_complaints": 200,
    "backend_complaint_event": 200,
}


def test_every_sample_event_has_an_expectation() -> None:
    assert {p.stem for p in (EVENTS / "http").glob("*.json")} == set(EXPECTED)


def _world(api: Api, svc: Services, sms: FakeSms, name: str) -> dict[str, str]:
    """Data the event refers to, made through the services."""
    if name == "identity_bind":
        token = api.token()
        svc.identity.otp.request("+8613800138000")
        return {"TOKEN": token, "OTP": sms.last_code("+8613800138000")}
    token = api.citizen()
    who = svc.identity.authenticate(f"Bearer {token}")
    person = svc.identity.citizen_of(who)
    no = api.submit(token).json_body["application_no"]
    values = {"TOKEN": token, "APPLICATION_NO": no}
    if name in ("application_rating", "backend_rectification_event"):
        api.walk(no, "accepted", "in_review", "completed")
        if name == "backend_rectification_event":
            svc.applications.rate(person, no, RateApplication(level=1), who.channel)
        cases = svc.rectifications.list_by_status("open")
        values["CASE_ID"] = cases[0].case_id if cases else "none"
    if "complaint" in name:
        values["COMPLAINT_NO"] = api.call("POST", "/v1/complaints", {"content": "x"}, token).json_body["complaint_no"]
    return values


def _sign(event: dict[str, Any], svc: Services) -> None:
    ts, nonce = str(int(svc.clock.now().timestamp())), secrets.token_hex(8)
    query = "&".join(f"{k}={v}" for k, vs in (event["multiValueQueryStringParameters"] or {}).items() for v in vs)
    path = event["path"] + (f"?{query}" if query else "")
    body = (event["body"] or "").encode()
    sig = sign(svc.settings.backend_hmac_key.get_secret_value(), ts, nonce, event["httpMethod"], path, body)
    event["headers"].update({"X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce, "X-Minqing-Signature": sig})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_event_is_answered_as_the_contract_says(api: Api, svc: Services, sms: FakeSms, name: str) -> None:
    event = load_event(f"http/{name}", **_world(api, svc, sms, name))
    if "X-Minqing-Signature" in event["headers"]:
        _sign(event, svc)
    out = app(event, None)
    assert out["statusCode"] == EXPECTED[name], out["body"]
    body = json.loads(out["body"])
    assert "error" not in body
    assert out["headers"]["Content-Type"].startswith("application/json")

