"""The satisfaction report on a seeded data set whose figures were worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from shared.clock import FixedClock
from tests.helpers import Api


def _rated(api: Api, token: str, item: str, form: dict[str, str], level: int) -> str:
    no = api.submit(token, item, form).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    assert api.call("POST", f"/v1/applications/{no}/rating", {"level": level}, token).status_code == 201
    return no


def _case(api: Api, no: str) -> str:
    cases = api.backend("GET", "/backend/v1/rectifications").json_body["rectifications"]
    return next(c["case_id"] for c in cases if c["application_no"] == no)


def _move(api: Api, case_id: str, *statuses: str) -> None:
    for status in statuses:
        out = api.backend("POST", f"/backend/v1/rectifications/{case_id}/events", {"status": status})
        assert out.status_code == 200


def _complaint(api: Api, token: str, department: str | None) -> str:
    no = api.call("POST", "/v1/complaints", {"content": "反映问题"}, token).json_body["complaint_no"]
    if department:
        api.backend("POST", f"/backend/v1/complaints/{no}/events", {"status": "assigned", "department": department})
    return no


def _reply(api: Api, no: str) -> None:
    out = api.backend("POST", f"/backend/v1/complaints/{no}/events", {"status": "replied", "reply": "已办"})
    assert out.status_code == 200


@pytest.fixture
def report(api: Api, clock: FixedClock) -> dict[tuple[str, str], dict[str, Any]]:
    token = api.citizen()
    village, county = ("V-CW-001", {"purpose": "x"}), ("C-GA-002", {"licence_number": "D1"})
    _rated(api, token, *village, 5)
    fixed = _rated(api, token, *village, 2)
    _move(api, _case(api, fixed), "verified", "rectified", "followed_up")  # rectified on time (same day)
    untrue = _rated(api, token, *county, 1)
    _move(api, _case(api, untrue), "dismissed")
    _rated(api, token, *county, 3)
    _rated(api, token, *village, 1)  # its case stays open
    on_time = _complaint(api, token, "县民政局")
    late = _complaint(api, token, "县民政局")
    _complaint(api, token, None)  # never assigned nor replied: late by report time
    _reply(api, on_time)
    clock.advance(days=22)  # 2026-10-20: past the 2026-10-13 due date
    _reply(api, late)
    _complaint(api, api.citizen(), None)  # registered 10-20, due later: not counted either
    out = api.backend("GET", "/backend/v1/reports/satisfaction?from=2026-09-01&to=2026-10-31")
    assert out.status_code == 200, out.body
    return {(r["department"], r["tier"]): r for r in out.json_body["rows"]}


def test_the_report_has_the_hand_worked_figures(report: dict[tuple[str, str], dict[str, Any]]) -> None:
    village = report[("村(社区)委员会", "village")]
    assert village["ratings"] == {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1}
    assert village["rating_total"] == 3 and village["satisfaction_rate"] == 0.3333
    assert village["bad_ratings"] == 2 and village["rectification_rate"] == 0.5
    assert village["rectification_on_time_rate"] == 1.0
    county = report[("县公安局交通警察大队", "county")]
    assert county["ratings"] == {"1": 1, "2": 0, "3": 1, "4": 0, "5": 0}
    assert county["satisfaction_rate"] == 0.5
    assert county["bad_ratings"] == 0 and county["rectification_rate"] is None  # the one bad rating was untrue
    civil = report[("县民政局", "county")]
    assert civil["complaints_counted"] == 2 and civil["complaint_on_time_reply_rate"] == 0.5
    assert civil["rating_total"] == 0 and civil["satisfaction_rate"] is None
    unassigned = report[("未转办", "county")]
    assert unassigned["complaints_counted"] == 1 and unassigned["complaint_on_time_reply_rate"] == 0.0  # past due


@pytest.mark.parametrize("query", ["", "?from=2026-10-01", "?from=2026-10-31&to=2026-10-01",
                                   "?from=2025-01-01&to=2026-10-01", "?from=oct&to=nov"])
def test_a_bad_period_is_422(api: Api, query: str) -> None:
    assert api.backend("GET", f"/backend/v1/reports/satisfaction{query}").status_code == 422
