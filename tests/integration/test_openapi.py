"""The published contract: every route is in /openapi.json, the committed copy is what the app serves, the
declared auth is the enforced auth, and /docs shows every operation without fetching anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import Api

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_PREFIXES = ("/v1/", "/backend/v1/")


def _served(api: Api) -> dict:
    out = api.call("GET", "/openapi.json")
    assert out.status_code == 200
    return json.loads(out.body)


def test_every_citizen_and_backend_route_is_in_the_document(api: Api) -> None:
    from app import app

    doc = _served(api)
    routes = {(path, method.lower()) for path, methods in app.routes.items() for method in methods
              if path.startswith(CONTRACT_PREFIXES)}
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert routes, "no routes found"
    assert routes - documented == set(), "routes missing from /openapi.json"
    assert documented - routes <= {("/health", "get")}


def test_the_committed_copy_is_what_the_app_serves(api: Api) -> None:
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    served = api.call("GET", "/openapi.json").body.decode("utf-8")
    assert committed == served, "docs/openapi.json is stale: run `make openapi` and commit it"


def test_the_document_is_openapi_3_1_with_both_security_schemes(api: Api) -> None:
    doc = _served(api)
    assert doc["openapi"] == "3.1.0"
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert {schemes[n]["name"] for n in ("MinqingTimestamp", "MinqingNonce", "MinqingSignature")} == {
        "X-Minqing-Timestamp", "X-Minqing-Nonce", "X-Minqing-Signature"}
    submit = doc["paths"]["/v1/applications"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SubmitApplication"}
    assert {"201", "400", "401", "403", "409", "413", "422", "503"} <= set(submit["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in submit["parameters"])
    rating = doc["components"]["schemas"]["RateApplication"]
    assert rating["properties"]["level"]["minimum"] == 1 and rating["properties"]["level"]["maximum"] == 5
    assert doc["components"]["schemas"]["AlipayLogin"]["required"] == ["auth_code"]


def test_the_document_is_a_valid_openapi_3_1_document(api: Api) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    doc = _served(api)
    errors = [e.message for e in OpenAPIV31SpecValidator(doc).iter_errors()]
    assert errors == []
    ops = [op for item in doc["paths"].values() for op in item.values()]
    assert len({op["operationId"] for op in ops}) == len(ops), "operationIds must be unique"


def _operations(doc: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()]


def test_declared_authentication_is_enforced(api: Api) -> None:
    """No credentials: 401 wherever a scheme is declared. A token of an account not yet bound: 403 exactly on
    the routes declared to act for a citizen (``auth="citizen"``), never on the others."""
    from functions.web import OPERATIONS

    doc, unbound = _served(api), api.token()
    for_citizen = {(op.method.lower(), op.path) for op in OPERATIONS if op.auth == "citizen"}
    for path, method, op in _operations(doc):
        url = re.sub(r"{\w+}", "X1", path)
        out = api.client.http.request(method.upper(), url, headers={"Content-Type": "application/json"}, body=b"{}")
        if op["security"]:
            assert out.status_code == 401, (method, path, out.status_code)
        else:
            assert out.status_code != 401, (method, path)
        if op["security"] == [{"bearer": []}]:
            out = api.client.http.request(method.upper(), url, body=b"{}", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {unbound}"})
            assert (out.status_code == 403) == ((method, path) in for_citizen), (method, path, out.status_code)
            assert "403" in op["responses"] or (method, path) not in for_citizen


@pytest.mark.parametrize(("lang", "switch"), [("zh-CN", "English"), ("en", "中文")])
def test_the_docs_page_shows_every_operation_in_both_languages(api: Api, lang: str, switch: str) -> None:
    doc = _served(api)
    out = api.client.http.get(f"/docs?lang={lang}")
    assert out.status_code == 200 and out.headers["Content-Type"].startswith("text/html")
    html = out.body.decode("utf-8")
    assert f'<html lang="{lang}">' in html and switch in html
    for path, method, op in _operations(doc):
        assert f'id="{op["operationId"]}"' in html, (method, path)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "the page must fetch nothing from outside"
    assert "<script" not in html


def test_the_docs_page_follows_the_browser_language(api: Api) -> None:
    out = api.client.http.get("/docs", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in out.body.decode("utf-8")
    assert '<html lang="zh-CN">' in api.client.http.get("/docs").body.decode("utf-8")
