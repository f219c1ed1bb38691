"""schemathesis against the app, from the document it serves: every operation, a fixed example budget, both
valid and invalid data, as a signed backend and as a bound citizen — no 5xx, every answer as documented, and
every operation answering with success at least once (so its success schema is checked too)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import hypothesis
import pytest
import requests
import schemathesis
from pydantic import SecretStr
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

import app  # noqa: F401  (registers every route)
from functions.docs import openapi_document
from infra.world.alipay_platform import AlipayWorld, generate_keypair
from infra.world.server import World, serve
from shared.config import Settings
from shared.contract.keys import KeyScope
from shared.contract.staff import StaffAccount
from shared.services.backend_auth import sign
from tests.helpers import Api, FakeQueue, drain

WORKFLOWS = 15  # stateful scenarios of up to 6 steps
EXAMPLES = 25  # at most, per operation and generation mode (valid, invalid); the file takes ~45 s on moto
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
CONFIG = SchemathesisConfig.from_dict({
    "generation": {"max-examples": EXAMPLES, "mode": "all", "deterministic": True},
    "phases": {"coverage": {"enabled": False}},
    # invalid data must be refused: 413 (a body over 64 KiB) is a refusal too
    "checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 409, 413, 415, 422, 429]}},
})
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


@pytest.fixture(scope="module")
def keys() -> dict[str, str]:
    """The app's and Alipay's RSA keys."""
    (app_private, app_public), (alipay_private, alipay_public) = generate_keypair(), generate_keypair()
    return {"app_private": app_private, "app_public": app_public, "alipay_private": alipay_private,
            "alipay_public": alipay_public}


@pytest.fixture
def platforms(keys: dict[str, str]) -> Iterator[dict[str, str]]:
    """A fresh local world (WeChat and Alipay) per operation — a login code works once, and every operation
    draws the same codes — so that every login answers as it would in production."""
    server = serve(World(alipay=AlipayWorld(keys["app_public"], keys["alipay_private"])), port=0)
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", **keys}
    server.shutdown()


@pytest.fixture
def settings(settings: Settings, platforms: dict[str, str]) -> Settings:
    """The test settings with every channel login configured against the local world."""
    return settings.model_copy(update={
        "wechat_api_base": platforms["url"], "wechat_oa_secret": SecretStr("s"), "wechat_mini_appid": "wxminitest0001",
        "wechat_mini_secret": SecretStr("s"), "alipay_appid": "2021000000000001",
        "alipay_private_key": SecretStr(platforms["app_private"]), "alipay_public_key": platforms["alipay_public"],
        "alipay_gateway": platforms["url"] + "/alipay/gateway.do"})


@pytest.fixture
def caller(api: Api, queue: FakeQueue) -> Iterator[dict[str, Any]]:
    """A bound citizen with applications in several states, a complaint, a rectification case and failed
    notices, and a signed backend: the world one operation's examples run in. At the end, the operation must
    have succeeded at least once (else its success answer was never checked against its schema)."""
    token = api.citizen()
    nos = [api.submit(token).json_body["application_no"] for _ in range(3)]
    for no in nos[1:]:
        api.walk(no, "accepted", "in_review", "completed")
    assert api.call("POST", f"/v1/applications/{nos[2]}/rating", {"level": 1}, token).status_code == 201
    api.sms.fail = True  # the completion notices: no consent credit on the mini-program, then SMS down
    drain(api.svc, queue)
    api.sms.fail = False
    world = {"api": api, "token": token, "statuses": [], "ids": {
        "no": nos[0], "rating": nos[1],
        "complaint": api.call("POST", "/v1/complaints", {"content": "窗口排队太久"}, token).json_body["complaint_no"],
        "case_id": api.svc.rectifications.list_by_status(None)[0].case_id,
        "notice_id": api.svc.notices.find(application_no=nos[1])[0].notice_id}}
    assert api.svc.notices.find(application_no=nos[1])[0].status == "failed"
    issued, secret = api.svc.backend_keys.issue(StaffAccount(
        username="admin", display_name="县级管理员", role="county_admin", password_hash="x",
        created_at=api.svc.clock.now()), {"label": "schemathesis", "scopes": list(KeyScope)}, "")
    world["key"] = (issued.key_id, secret)
    yield world
    if world.get("one_operation", True):
        assert any(200 <= status < 300 for status in world["statuses"]), f"never a success: {world['statuses']}"


@schema.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_every_operation_answers_as_documented(case: schemathesis.Case, caller: dict[str, Any]) -> None:
    case.validate_response(_send(caller, case), checks=CHECKS)


def test_workflows_along_the_documented_links_answer_as_documented(caller: dict[str, Any]) -> None:
    """Stateful: apply → see progress → the backend moves it → rate; file → the backend replies; list → retry."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def call(self, case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
            return _send(caller, case)

        def validate_response(self, response: schemathesis.Response, case: schemathesis.Case,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS[:-1])  # every step's answer as documented, no 5xx

    caller["one_operation"] = False
    Workflow.run(settings=hypothesis.settings(max_examples=WORKFLOWS, stateful_step_count=6, deadline=None,
                                              suppress_health_check=list(hypothesis.HealthCheck)))


def _send(caller: dict[str, Any], case: schemathesis.Case) -> schemathesis.Response:
    """One case through the app, credentials replaced by real ones where the case carries them."""
    api: Api = caller["api"]
    _with_real_ids(caller, case)
    kwargs = case.as_transport_kwargs(base_url="http://minqing.test")
    headers = {k: v for k, v in kwargs["headers"].items() if k.lower() not in (
        "authorization", "x-minqing-timestamp", "x-minqing-nonce", "x-minqing-signature", "x-minqing-key-id")}
    body = json.dumps(kwargs["json"]).encode() if "json" in kwargs else kwargs.get("data") or b""
    if isinstance(body, str):
        body = body.encode()
    path = urlsplit(kwargs["url"]).path
    if kwargs.get("params"):
        path += "?" + urlencode(kwargs["params"], doseq=True)
    sent = {k.lower() for k in kwargs["headers"]}  # a negative case may leave the credentials out: keep it so
    if "authorization" in sent:
        headers["Authorization"] = f"Bearer {caller['token']}"
    if {"x-minqing-timestamp", "x-minqing-nonce", "x-minqing-signature"} <= sent:
        ts, nonce = str(int(api.svc.clock.now().timestamp())), secrets.token_hex(8)
        key = api.svc.settings.backend_hmac_key.get_secret_value()
        if "x-minqing-key-id" in sent:  # a scoped key of every scope in place of the one generated
            headers["X-Minqing-Key-Id"], key = caller["key"]
        headers.update({"X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce,
                        "X-Minqing-Signature": sign(key, ts, nonce, case.method, path, body)})
    answer = api.client.http.request(case.method, path, headers=headers, body=body or None)
    caller["statuses"].append(answer.status_code)
    request = requests.Request(case.method, "http://minqing.test" + path, headers=headers, data=body).prepare()
    return schemathesis.Response(status_code=answer.status_code, headers={k: [v] for k, v in answer.headers.items()},
                                 content=answer.body, request=request, elapsed=0.0, verify=True, encoding="utf-8")


def _with_real_ids(caller: dict[str, Any], case: schemathesis.Case) -> None:
    """Half the time (by the generated value's length), what a client would really send: an id that exists,
    an item of the catalogue, the code the citizen just received by SMS."""
    api, ids = caller["api"], caller["ids"]
    for name, value in (case.path_parameters or {}).items():
        if len(str(value)) % 2:
            key = "complaint" if "complaints" in case.path else "rating" if case.path.endswith("rating") else name
            case.path_parameters[name] = ids.get(key, value)
    body = case.body if isinstance(case.body, dict) else {}
    if case.path == "/v1/applications" and len(str(body.get("item_code", ""))) % 2:
        case.body = {**body, "item_code": "V-CW-001", "form": {"purpose": "入学"}}
    if case.path == "/v1/identity/bind" and body.get("phone") == "13800138000":  # the documented example
        api.svc.clock.advance(seconds=61)
        if api.call("POST", "/v1/identity/otp", {"phone": "13800138000"}, caller["token"]).status_code == 202:
            case.body = {**body, "otp": api.sms.last_code("+8613800138000")}
