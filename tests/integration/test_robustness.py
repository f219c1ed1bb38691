"""No input gives a 5xx; a dependency outage is a 503 in the contract's shape; bugs still answer JSON."""

from __future__ import annotations

import json

import pytest

from functions.bootstrap import Services
from tests.helpers import Api

BAD_BODIES = ["null", "1", '"text"', "{}", '{"level": {"a": 1}}', '{"form": []}', '{"item_code": 5}',
              '{"template_ids": "TPL"}', '{"status": null}', '{"content": "' + "长" * 3000 + '"}',
              '{"phone": ["13800138000"]}', '{"channels": "sms"}', "\ud800", '{"a": 1e400}', "{" * 1000]

CITIZEN_ROUTES = [("POST", "/v1/identity/otp"), ("POST", "/v1/identity/bind"), ("PUT", "/v1/me/preferences"),
                  ("POST", "/v1/applications"), ("POST", "/v1/applications/{no}/rating"),
                  ("POST", "/v1/complaints"), ("POST", "/v1/subscriptions")]
BACKEND_ROUTES = [("POST", "/backend/v1/applications/{no}/events"), ("PUT", "/backend/v1/licences/L-1"),
                  ("POST", "/backend/v1/complaints/TS1/events"), ("POST", "/backend/v1/rectifications/ZG1/events")]


@pytest.mark.parametrize(("method", "path"), CITIZEN_ROUTES)
def test_malformed_citizen_bodies_never_give_a_5xx(api: Api, method: str, path: str) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    for body in BAD_BODIES:
        out = api.call(method, path.format(no=no), body.encode("utf-8", "surrogatepass"), token,
                       {"Idempotency-Key": "k"})
        if body == "{}" and path == "/v1/me/preferences":
            assert out.status_code == 200  # an empty change is allowed
            continue
        assert 400 <= out.status_code < 500, (body[:40], out.body)
        assert set(json.loads(out.body)["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(("method", "path"), BACKEND_ROUTES)
def test_malformed_backend_bodies_never_give_a_5xx(api: Api, method: str, path: str) -> None:
    no = api.submit(api.citizen()).json_body["application_no"]
    for body in BAD_BODIES:
        out = api.backend(method, path.format(no=no), body.encode("utf-8", "surrogatepass"))
        assert 400 <= out.status_code < 500, (body[:40], out.body)


def test_a_missing_table_is_503_unavailable(api: Api, svc: Services) -> None:
    token = api.citizen()
    svc.table.client.delete_table(TableName=svc.table.name)
    out = api.call("GET", "/v1/me", token=token)
    assert out.status_code == 503
    assert out.json_body["error"]["code"] == "unavailable"


def test_an_unexpected_bug_answers_500_in_the_contract_shape(api: Api, svc: Services,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(svc.approval, "catalogue", boom)
    out = api.call("GET", "/v1/items")
    assert out.status_code == 500
    assert out.json_body["error"]["code"] == "internal"


def test_an_unknown_method_is_405_in_the_contract_shape(api: Api) -> None:
    out = api.call("DELETE", "/v1/items")
    assert out.status_code == 405
    assert out.json_body["error"]["code"] == "method_not_allowed"
