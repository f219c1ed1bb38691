"""Scoped backend keys over HTTP: the administrator issues, rotates and revokes them on ``/console/keys``; a
system signs with its key's id and secret; a revoked key is 401, a key without the scope 403, a key bound to a
department cannot move another department's application; every change is in the audit log."""

from __future__ import annotations

import re
from typing import Any

import pytest

from functions.bootstrap import Services
from tests.helpers import Api
from tests.integration.test_console_sign_in import FORM, PASSWORD, _cookies, _sign_in


@pytest.fixture
def jar(api: Api, svc: Services) -> dict[str, str]:
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    return {"Cookie": f"minqing_console={_cookies(_sign_in(api, 'admin', PASSWORD))['minqing_console']}"}


def _post(api: Api, jar: dict[str, str], path: str, fields: list[tuple[str, str]]) -> Any:
    from urllib.parse import urlencode

    page = api.client.http.get("/console/keys?lang=en", headers=jar).body.decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return api.client.http.post(path, headers={**FORM, **jar},
                                body=urlencode([("csrf", token), ("once", once), *fields]).encode())


def _issued(out: Any) -> tuple[str, str]:
    body = out.body.decode()
    key_id = re.search(r"X-Minqing-Key-Id: (mk_[0-9a-f]{16})", body).group(1)  # type: ignore[union-attr]
    secret = re.search(r"<pre tabindex=\"0\">(mks_[A-Za-z0-9_-]+)</pre>", body).group(1)  # type: ignore[union-attr]
    return key_id, secret


def _applications(api: Api) -> tuple[str, str]:
    """One of 县市场监督管理局 and one of 县公安局."""
    token = api.citizen()
    ours = api.submit(token, "C-SCJG-001", {"business_name": "便民小卖部", "address": "城关镇东街 1 号",
                                            "scope": "日用百货"}).json_body["application_no"]
    theirs = api.submit(token, "C-GA-001", {"reason": "有效期满"})
    assert theirs.status_code == 201, theirs.body
    return ours, theirs.json_body["application_no"]


def test_a_key_issued_on_the_console_moves_its_departments_applications_and_only_those(
        api: Api, jar: dict[str, str], svc: Services) -> None:
    out = _post(api, jar, "/console/keys?lang=en", [("label", "市场监管审批系统"), ("scope", "applications:write"),
                                                     ("department", "县市场监督管理局"), ("tier", "")])
    assert out.status_code == 201 and "shown this once" in out.body.decode()
    assert out.headers["Cache-Control"] == "no-store"
    key_id, secret = _issued(out)
    assert secret not in api.client.http.get("/console/keys", headers=jar).body.decode(), "shown once"
    ours, theirs = _applications(api)
    moved = api.backend("POST", f"/backend/v1/applications/{ours}/events", {"status": "accepted"}, key=secret,
                        key_id=key_id)
    assert moved.status_code == 200 and moved.json_body["status"] == "accepted"
    refused = api.backend("POST", f"/backend/v1/applications/{theirs}/events", {"status": "accepted"}, key=secret,
                          key_id=key_id)
    assert refused.status_code == 403 and refused.json_body["error"]["code"] == "forbidden"
    wrong_scope = api.backend("GET", "/backend/v1/complaints", key=secret, key_id=key_id)
    assert wrong_scope.status_code == 403 and "complaints:read" in wrong_scope.json_body["error"]["message"]
    entries, _ = svc.staff.audit_log(_admin(svc), svc.clock.now().strftime("%Y-%m"))
    moves = [e for e in entries if e.action == "application.accepted"]
    assert [(e.actor, e.target) for e in moves] == [(f"key:{key_id}", ours)], "the refused move left no entry"
    assert moves[0].before["status"] == "submitted" and moves[0].after["status"] == "accepted"
    assert any(e.action == "key.issue" and e.target == key_id for e in entries)


def test_a_rotated_key_works_beside_its_successor_until_revoked_and_then_is_401(
        api: Api, jar: dict[str, str]) -> None:
    old_id, old_secret = _issued(_post(api, jar, "/console/keys", [("label", "考核平台"), ("scope", "reports:read")]))
    rotated = _post(api, jar, f"/console/keys/{old_id}/rotate", [])
    new_id, new_secret = _issued(rotated)
    assert f"rotating, successor {new_id}" in api.client.http.get("/console/keys?lang=en", headers=jar).body.decode()
    path = "/backend/v1/reports/satisfaction?from=2026-01-01&to=2026-12-31"
    assert api.backend("GET", path, key=old_secret, key_id=old_id).status_code == 200
    assert api.backend("GET", path, key=new_secret, key_id=new_id).status_code == 200
    revoked = _post(api, jar, f"/console/keys/{old_id}/revoke?lang=en", [])
    assert revoked.status_code == 200 and "is revoked" in revoked.body.decode()
    out = api.backend("GET", path, key=old_secret, key_id=old_id)
    assert out.status_code == 401 and out.json_body["error"]["code"] == "unauthorized"
    assert api.backend("GET", path, key=new_secret, key_id=new_id).status_code == 200
    again = _post(api, jar, f"/console/keys/{old_id}/revoke?lang=en", [])
    assert again.status_code == 409 and "already revoked" in again.body.decode()


def test_an_issuing_form_sent_twice_issues_one_key(api: Api, jar: dict[str, str], svc: Services) -> None:
    from urllib.parse import urlencode

    page = api.client.http.get("/console/keys", headers=jar).body.decode()
    fields = {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
              for name in ("csrf", "once")}
    body = urlencode({**fields, "label": "考核平台", "scope": "reports:read"}).encode()
    first = api.client.http.post("/console/keys?lang=en", headers={**FORM, **jar}, body=body)
    again = api.client.http.post("/console/keys?lang=en", headers={**FORM, **jar}, body=body)
    assert (first.status_code, again.status_code) == (201, 409) and "mks_" not in again.body.decode()
    assert len(svc.backend_keys.listed(_admin(svc))[0]) == 1


def test_the_default_key_keeps_every_scope(api: Api) -> None:
    assert api.backend("GET", "/backend/v1/complaints").status_code == 200
    assert api.backend("GET", "/backend/v1/notices?status=failed").status_code == 200


def test_a_refused_issue_keeps_the_form_and_says_why(api: Api, jar: dict[str, str]) -> None:
    out = _post(api, jar, "/console/keys?lang=en", [("label", "乡镇系统"), ("scope", "reports:read"),
                                                     ("tier", "township")])
    assert out.status_code == 422 and "county-wide" in out.body.decode() and 'value="乡镇系统"' in out.body.decode()
    assert 'value="reports:read" style="width:auto" checked' in out.body.decode()


def test_key_pages_need_a_session_a_token_and_an_administrator(api: Api, jar: dict[str, str],
                                                               svc: Services) -> None:
    assert api.client.http.get("/console/keys").status_code == 303
    forged = api.client.http.post("/console/keys", headers={**FORM, **jar}, body=b"csrf=forged&label=x")
    assert forged.status_code == 403 and "<html" in forged.body.decode()
    svc.staff.create("gaj", "公安 李", "department_handler", PASSWORD, department="县公安局")
    handler = {"Cookie": f"minqing_console={_cookies(_sign_in(api, 'gaj', PASSWORD))['minqing_console']}"}
    page = api.client.http.get("/console/keys", headers=handler)
    assert page.status_code == 403 and "<html" in page.body.decode()


def _admin(svc: Services) -> Any:
    account = svc.uow().staff.get("admin")
    assert account is not None
    return account
