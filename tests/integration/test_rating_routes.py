"""``POST /v1/applications/{no}/rating`` and the 差评整改 cases it opens."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from tests.helpers import Api


def _finished(api: Api, final: str = "completed") -> tuple[str, str]:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    if final == "completed":
        api.walk(no, "accepted", "in_review", "completed")
    else:
        api.walk(no, final)
    return token, no


def test_rating_a_completed_application_answers_201_with_its_label(api: Api) -> None:
    token, no = _finished(api)
    out = api.call("POST", f"/v1/applications/{no}/rating", {"level": 5, "comment": "很快"}, token)
    assert out.status_code == 201
    assert out.json_body["rating"]["level"] == 5
    assert out.json_body["rating"]["label"] == "非常满意"
    progress = api.call("GET", f"/v1/applications/{no}", token=token).json_body
    assert progress["rating"]["label"] == "非常满意"


def test_a_rejected_application_can_be_rated(api: Api) -> None:
    token, no = _finished(api, "rejected")
    assert api.call("POST", f"/v1/applications/{no}/rating", {"level": 3}, token).status_code == 201


def test_rating_twice_is_already_rated(api: Api) -> None:
    token, no = _finished(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 4}, token)
    out = api.call("POST", f"/v1/applications/{no}/rating", {"level": 5}, token)
    assert out.status_code == 409
    assert out.json_body["error"]["code"] == "already_rated"


def test_rating_before_completion_is_not_ratable(api: Api) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    out = api.call("POST", f"/v1/applications/{no}/rating", {"level": 5}, token)
    assert out.status_code == 409
    assert out.json_body["error"]["code"] == "not_ratable"


def test_a_withdrawn_application_is_not_ratable(api: Api) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.call("POST", f"/v1/applications/{no}/withdraw", token=token)
    assert api.call("POST", f"/v1/applications/{no}/rating", {"level": 5}, token).json_body["error"]["code"] \
        == "not_ratable"


@pytest.mark.parametrize(("days", "status"), [(29, 201), (30, 201), (31, 409)])
def test_rating_window_is_30_calendar_days_from_completion(api: Api, clock: FixedClock, days: int,
                                                           status: int) -> None:
    token, no = _finished(api)
    clock.advance(days=days, seconds=-62 if days == 30 else 0)
    token = api.token()  # the old one expired; rebind the same citizen from a fresh account
    clock.advance(seconds=61)  # (past the OTP resend limit: 30 days minus 1 s in the edge case)
    assert api.bind(token).status_code == 200
    out = api.call("POST", f"/v1/applications/{no}/rating", {"level": 4}, token)
    assert out.status_code == status, out.body


@pytest.mark.parametrize("level", [0, 6, "5", 4.5, None])
def test_level_must_be_an_integer_from_1_to_5(api: Api, level: object) -> None:
    token, no = _finished(api)
    out = api.call("POST", f"/v1/applications/{no}/rating", {"level": level}, token)
    assert out.status_code == 422
    assert out.json_body["error"]["details"][0]["field"] == "level"


def test_a_bad_rating_opens_a_rectification_case_due_in_15_working_days(api: Api) -> None:
    token, no = _finished(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 2, "comment": "态度差"}, token)
    cases = api.backend("GET", "/backend/v1/rectifications?status=open").json_body["rectifications"]
    assert len(cases) == 1
    case = cases[0]
    assert case["application_no"] == no and case["level"] == 2 and case["status"] == "open"
    # 15 working days from Mon 28 Sep: 29-30 Sep, 国庆 off, 8-10 Oct (Sat 10 Oct is 调休), 12-16, 19-23
    assert case["due"] == "2026-10-23"


def test_a_good_rating_opens_no_case(api: Api) -> None:
    token, no = _finished(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 3}, token)
    assert api.backend("GET", "/backend/v1/rectifications").json_body["rectifications"] == []


def test_an_operator_walks_a_case_to_followed_up(api: Api) -> None:
    token, no = _finished(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 1}, token)
    case_id = api.backend("GET", "/backend/v1/rectifications").json_body["rectifications"][0]["case_id"]
    for status in ("verified", "rectified", "followed_up"):
        out = api.backend("POST", f"/backend/v1/rectifications/{case_id}/events", {"status": status, "note": "ok"})
        assert out.status_code == 200, out.body
        assert out.json_body["status"] == status
    assert api.backend("GET", "/backend/v1/rectifications?status=open").json_body["rectifications"] == []
    done = api.backend("GET", "/backend/v1/rectifications?status=followed_up").json_body["rectifications"]
    assert [c["case_id"] for c in done] == [case_id]


@pytest.mark.parametrize(("path", "allowed"), [
    (["verified"], True), (["dismissed"], True), (["rectified"], False), (["followed_up"], False),
    (["verified", "dismissed"], False), (["verified", "followed_up"], False),
    (["dismissed", "verified"], False), (["verified", "rectified", "followed_up", "open"], False),
])
def test_case_transitions_follow_the_state_machine(api: Api, path: list[str], allowed: bool) -> None:
    token, no = _finished(api)
    api.call("POST", f"/v1/applications/{no}/rating", {"level": 2}, token)
    case_id = api.backend("GET", "/backend/v1/rectifications").json_body["rectifications"][0]["case_id"]
    codes = [api.backend("POST", f"/backend/v1/rectifications/{case_id}/events", {"status": s}).status_code
             for s in path]
    assert codes[:-1] == [200] * (len(path) - 1)
    assert codes[-1] == (200 if allowed else 409)


def test_unknown_case_is_404_and_unknown_status_filter_is_422(api: Api) -> None:
    assert api.backend("POST", "/backend/v1/rectifications/ZGX/events", {"status": "verified"}).status_code == 404
    assert api.backend("GET", "/backend/v1/rectifications?status=nope").status_code == 422
