"""schemathesis against the app, from the document it serves: every operation, a fixed example budget, both
valid and invalid data, as a signed backend and as a bound citizen — no 5xx, every answer as documented."""

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
from shared.services.backend_auth import sign
from tests.helpers import Api

WORKFLOWS = 15  # stateful scenarios of up to 6 steps
EXAMPLES = 25  # at most, per operation and generation mode (valid, invalid); the run takes ~20 s on moto
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
def platforms() -> Iterator[dict[str, str]]:
    """The local world (WeChat and Alipay), so that every login answers as it would in production."""
    app_private, app_public = generate_keypair()
    alipay_private, alipay_public = generate_keypair()
    server = serve(World(alipay=AlipayWorld(app_public, alipay_private)), port=0)
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}", "app_private": app_private,
           "alipay_public": alipay_public}
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
def caller(api: Api) -> Iterator[dict[str, Any]]:
    """A bound citizen with one application and a signed backend, shared by one operation's examples."""
    token = api.citizen()
    submitted = api.submit(token)
    assert submitted.status_code == 201, submitted.body
    yield {"api": api, "token": token, "application_no": json.loads(submitted.body)["application_no"]}


@schema.parametrize()
@hypothesis.settings(deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
def test_every_operation_answers_as_documented(case: schemathesis.Case, caller: dict[str, Any]) -> None:
    if case.path_parameters and len(case.path_parameters.get("no", "")) % 2:  # half the time, a real one
        case.path_parameters["no"] = caller["application_no"]
    case.validate_response(_send(caller, case), checks=CHECKS)


def test_workflows_along_the_documented_links_answer_as_documented(caller: dict[str, Any]) -> None:
    """Stateful: apply → see progress → the backend moves it → rate; file → the backend replies; list → retry."""

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def call(self, case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
            return _send(caller, case)

        def validate_response(self, response: schemathesis.Response, case: schemathesis.Case,
                              additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS[:-1])  # every step's answer as documented, no 5xx

    Workflow.run(settings=hypothesis.settings(max_examples=WORKFLOWS, stateful_step_count=6, deadline=None,
                                              suppress_health_check=list(hypothesis.HealthCheck)))


def _send(caller: dict[str, Any], case: schemathesis.Case) -> schemathesis.Response:
    """One case through the app, credentials replaced by real ones where the case carries them."""
    api: Api = caller["api"]
    if case.path == "/v1/applications" and case.method == "POST" and isinstance(case.body, dict) \
            and len(str(case.body.get("item_code", ""))) % 2:  # half the time, an item of the catalogue
        case.body = {**case.body, "item_code": "V-CW-001", "form": {"purpose": "入学"}}
    kwargs = case.as_transport_kwargs(base_url="http://minqing.test")
    headers = {k: v for k, v in kwargs["headers"].items() if k.lower() not in ("authorization", "x-minqing-timestamp",
                                                                              "x-minqing-nonce", "x-minqing-signature")}
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
        headers.update({"X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce,
                        "X-Minqing-Signature": sign(key, ts, nonce, case.method, path, body)})
    answer = api.client.http.request(case.method, path, headers=headers, body=body or None)
    request = requests.Request(case.method, "http://minqing.test" + path, headers=headers, data=body).prepare()
    return schemathesis.Response(status_code=answer.status_code, headers={k: [v] for k, v in answer.headers.items()},
                                 content=answer.body, request=request, elapsed=0.0, verify=True, encoding="utf-8")
