"""The console's doors: no page without a session, CSRF on every form (sign-in included), cookies only the
server reads, lockout, sign-out; the work queue shows open complaints and cases, most overdue first."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest

from functions.bootstrap import Services
from tests.helpers import Api

PASSWORD = "县政务服务中心-管理员-2026"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def admin(svc: Services) -> str:
    svc.staff.create("admin", "县级管理员", "county_admin", PASSWORD)
    return "admin"


def _cookies(out: Any) -> dict[str, str]:
    values = out.headers.get("Set-Cookie") or []
    return dict(re.findall(r"(minqing_console\w*)=([^;]*)", " , ".join(values)))


def _sign_in(api: Api, username: str, password: str, csrf: str | None = None) -> Any:
    page = api.client.http.get("/console/login")
    pre = _cookies(page)["minqing_console_login"]
    token = csrf if csrf is not None else re.search(r'name="csrf" value="([^"]+)"', page.body.decode()).group(1)
    body = urlencode({"csrf": token, "username": username, "password": password})
    return api.client.http.post("/console/login", headers={**FORM, "Cookie": f"minqing_console_login={pre}"},
                                body=body.encode())


def test_no_console_page_opens_without_a_session(api: Api) -> None:
    out = api.client.http.get("/console/")
    assert out.status_code == 303 and out.headers["Location"] == "login"
    assert api.client.http.get("/console").headers["Location"] == "console/"


def test_signing_in_sets_a_cookie_only_the_server_reads_and_opens_the_queue(api: Api, admin: str) -> None:
    out = _sign_in(api, admin, PASSWORD)
    assert out.status_code == 303 and out.headers["Location"] == "./"
    assert any(re.fullmatch(r"minqing_console=[^;]+; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict", c)
               for c in out.headers["Set-Cookie"])
    jar = {"Cookie": f"minqing_console={_cookies(out)['minqing_console']}"}
    queue = api.client.http.get("/console/?lang=zh-CN", headers=jar)
    assert queue.status_code == 200 and "我的待办" in queue.body.decode() and "县级管理员" in queue.body.decode()
    assert queue.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in queue.headers[
        "Content-Security-Policy"]


def test_a_sign_in_form_without_its_token_is_refused(api: Api, admin: str) -> None:
    out = _sign_in(api, admin, PASSWORD, csrf="forged")
    assert out.status_code == 403 and "minqing_console" not in _cookies(out)


def test_wrong_passwords_are_answered_on_the_page_and_the_sixth_try_is_locked(api: Api, admin: str) -> None:
    for _ in range(5):
        out = _sign_in(api, admin, "guess-guess-guess")
        assert out.status_code == 401 and "wrong username, password or one-time code" in out.body.decode()
        assert 'value="admin"' in out.body.decode(), "the username is kept"
    locked = _sign_in(api, admin, PASSWORD)
    assert locked.status_code == 429 and "15 minutes" in locked.body.decode()
    assert int(locked.headers["Retry-After"]) == 15 * 60


def test_signing_out_needs_the_sessions_token_and_ends_the_session(api: Api, admin: str) -> None:
    session = _cookies(_sign_in(api, admin, PASSWORD))["minqing_console"]
    jar = {"Cookie": f"minqing_console={session}"}
    queue = api.client.http.get("/console/", headers=jar).body.decode()
    token = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)  # type: ignore[union-attr]
    assert api.client.http.post("/console/logout", headers={**FORM, **jar}, body=b"csrf=x").status_code == 403
    out = api.client.http.post("/console/logout", headers={**FORM, **jar}, body=f"csrf={token}".encode())
    assert out.status_code == 303 and out.headers["Location"] == "login"
    assert api.client.http.get("/console/", headers=jar).status_code == 303


def test_the_queue_lists_open_complaints_most_overdue_first_with_phones_masked(api: Api, admin: str,
                                                                              svc: Services) -> None:
    for text in ("第一件：排队太久 13912345678", "第二件：窗口态度"):  # filed three days apart
        assert api.call("POST", "/v1/complaints", {"content": text}, api.citizen()).status_code == 201
        svc.clock.advance(seconds=3 * 86400)
    svc.clock.advance(seconds=14 * 86400)  # both past their 7 working days
    session = _cookies(_sign_in(api, admin, PASSWORD))["minqing_console"]
    page = api.client.http.get("/console/?lang=en", headers={"Cookie": f"minqing_console={session}"}).body.decode()
    assert page.index("第一件") < page.index("第二件") and "days overdue" in page
    assert "139****5678" in page and "13912345678" not in page


def _queue_token(api: Api, session: str) -> str:
    page = api.client.http.get("/console/staff", headers={"Cookie": f"minqing_console={session}"}).body.decode()
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def test_creating_an_account_needs_the_sessions_token_and_a_refused_form_keeps_all_but_the_password(
        api: Api, admin: str) -> None:
    session = _cookies(_sign_in(api, admin, PASSWORD))["minqing_console"]
    jar = {**FORM, "Cookie": f"minqing_console={session}"}
    fields = {"username": "cun-01", "name": "东村 赵六", "role": "village_staff", "township": "城关镇",
              "password": "east-village-2026"}
    forged = api.client.http.post("/console/staff", headers=jar, body=urlencode({**fields, "csrf": "x"}).encode())
    assert forged.status_code == 403
    refused = api.client.http.post("/console/staff", headers=jar, body=urlencode(
        {**fields, "csrf": _queue_token(api, session)}).encode())
    body = refused.body.decode()
    assert refused.status_code == 422 and "village" in body and 'value="东村 赵六"' in body
    assert "east-village-2026" not in body
    made = api.client.http.post("/console/staff", headers=jar, body=urlencode(
        {**fields, "village": "东村", "csrf": _queue_token(api, session)}).encode())
    assert made.status_code == 201 and "cun-01" in made.body.decode()


def test_pages_of_the_administrator_need_a_session(api: Api) -> None:
    for path in ("/console/staff", "/console/audit"):
        out = api.client.http.get(path)
        assert out.status_code == 303 and out.headers["Location"] == "login"
    assert api.client.http.post("/console/staff", headers=FORM, body=b"csrf=x").status_code == 303


def test_the_audit_log_pages_through_a_busy_month(api: Api, admin: str, svc: Services) -> None:
    from datetime import timedelta

    from shared.contract.staff import AuditEntry

    start = svc.clock.now()
    for i in range(60):
        svc.uow().audit.add(AuditEntry(at=start + timedelta(seconds=i), actor="admin", action="staff.test",
                                       target=f"t{i:02d}"))
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    first = api.client.http.get("/console/audit?lang=en", headers=jar).body.decode()
    assert "t59" in first and "t05" not in first
    following = re.search(r'href="(audit\?[^"]+)">Next page', first).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    second = api.client.http.get(f"/console/{following}", headers=jar).body.decode()
    assert "t05" in second and "t59" not in second


def _console_routes() -> list[tuple[str, str]]:
    from app import app

    return [(method, path.replace("{no}", "TS2026").replace("{case_id}", "ZG2026").replace("{key_id}", "mk_x")
             .replace("{notice_id}", "n-1"))
            for path, methods in app.routes.items() if path.startswith("/console/") and path != "/console/login"
            for method in methods]


@pytest.mark.parametrize(("method", "path"), _console_routes())
def test_no_console_page_or_form_works_without_a_session(api: Api, method: str, path: str) -> None:
    out = api.client.http.post(path, headers=FORM, body=b"csrf=x") if method == "POST" else \
        api.client.http.get(path)
    assert out.status_code == 303 and out.headers["Location"].endswith("login")


@pytest.mark.parametrize(("method", "path"), [r for r in _console_routes() if r[0] == "POST"])
def test_every_console_form_refuses_a_missing_or_forged_token(api: Api, admin: str, method: str, path: str) -> None:
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    for body in (b"", b"csrf=forged", b"status=closed"):
        out = api.client.http.post(path, headers={**FORM, **jar}, body=body)
        assert out.status_code == 403 and "<html" in out.body.decode(), (path, body)


def test_the_notice_log_is_the_administrators_and_says_what_is_wrong_with_a_search(api: Api, admin: str,
                                                                                   svc: Services) -> None:
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    bad = api.client.http.get("/console/notices?phone=12345&lang=en", headers=jar)
    assert bad.status_code == 422 and "mainland mobile" in bad.body.decode()
    svc.staff.create("town", "城关镇", "township_staff", PASSWORD, township="城关镇")
    town = {"Cookie": f"minqing_console={_cookies(_sign_in(api, 'town', PASSWORD))['minqing_console']}"}
    assert api.client.http.get("/console/notices", headers=town).status_code == 403
    assert api.client.http.get("/console/notices/x/retry", headers=town).status_code in (403, 405)


def test_the_report_refuses_a_span_it_cannot_show_on_the_page(api: Api, admin: str) -> None:
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    for query in ("from=2026-13&to=2026-12", "from=2025-01&to=2026-06", "from=2026-09&to=2026-08"):
        out = api.client.http.get(f"/console/report?{query}&lang=en", headers=jar)
        assert out.status_code == 422 and 'role="alert"' in out.body.decode(), query
    csv_out = api.client.http.get("/console/report.csv?from=2026-01&to=2026-06", headers=jar)
    assert csv_out.status_code == 200 and csv_out.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_out.headers["Content-Disposition"]


@pytest.mark.parametrize("path", ["/console/staff?after=", "/console/audit?before=", "/console/keys?before=",
                                  "/console/?complaints_after=", "/console/audit?actor="])
def test_an_over_long_cursor_or_filter_is_a_400_page_not_a_failed_query(api: Api, admin: str, path: str) -> None:
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    out = api.client.http.get(path + "x" * 1500, headers=jar)
    assert out.status_code == 400 and 'role="alert"' in out.body.decode()


def test_an_empty_notice_id_shows_the_failed_notices(api: Api, admin: str) -> None:
    jar = {"Cookie": f"minqing_console={_cookies(_sign_in(api, admin, PASSWORD))['minqing_console']}"}
    out = api.client.http.get("/console/notices?notice_id=&lang=en", headers=jar)
    assert out.status_code == 200 and "Notice log" in out.body.decode()
    assert api.client.http.get("/console/notices?notice_id=nope", headers=jar).status_code == 404
