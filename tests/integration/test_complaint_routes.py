"""Complaints: citizen routes and the operator's closed loop."""

from __future__ import annotations

import pytest

from shared.clock import FixedClock
from tests.helpers import OTHER_ID, Api, FakeQueue


def _file(api: Api, token: str, **extra: str) -> str:
    out = api.call("POST", "/v1/complaints", {"content": "窗口人员态度不好", **extra}, token)
    assert out.status_code == 201, out.body
    assert out.json_body["status"] == "registered"
    return out.json_body["complaint_no"]


def test_a_citizen_files_and_reads_a_complaint(api: Api) -> None:
    token = api.citizen()
    no = _file(api, token)
    assert no.startswith("TS20260928")
    out = api.call("GET", f"/v1/complaints/{no}", token=token)
    assert out.status_code == 200
    assert out.json_body["status"] == "registered"
    assert out.json_body["reply"] is None
    assert [e["status"] for e in out.json_body["timeline"]] == ["registered"]


def test_a_complaint_about_ones_own_application_is_accepted(api: Api) -> None:
    token = api.citizen()
    app_no = api.submit(token).json_body["application_no"]
    no = _file(api, token, application_no=app_no)
    listed = api.backend("GET", "/backend/v1/complaints?status=registered").json_body["complaints"]
    assert [(c["complaint_no"], c["application_no"]) for c in listed] == [(no, app_no)]


def test_a_complaint_naming_anothers_application_is_422(api: Api, clock: FixedClock) -> None:
    app_no = api.submit(api.citizen()).json_body["application_no"]
    clock.advance(seconds=61)
    other = api.citizen(id_number=OTHER_ID, name="李四", phone="13900139000")
    out = api.call("POST", "/v1/complaints", {"content": "x", "application_no": app_no}, other)
    assert out.status_code == 422


def test_empty_content_is_422_and_unbound_is_403(api: Api) -> None:
    assert api.call("POST", "/v1/complaints", {"content": "  "}, api.citizen()).status_code == 422
    assert api.call("POST", "/v1/complaints", {"content": "x"}, api.token()).status_code == 403


def test_anothers_complaint_is_404(api: Api, clock: FixedClock) -> None:
    no = _file(api, api.citizen())
    clock.advance(seconds=61)
    other = api.citizen(id_number=OTHER_ID, name="李四", phone="13900139000")
    assert api.call("GET", f"/v1/complaints/{no}", token=other).status_code == 404


def test_the_closed_loop_sends_the_reply_to_the_citizen(api: Api, queue: FakeQueue) -> None:
    token = api.citizen()
    no = _file(api, token)
    steps = [{"status": "assigned", "department": "县政务服务中心"},
             {"status": "replied", "reply": "已对窗口人员批评教育"},
             {"status": "followed_up", "note": "电话回访满意"},
             {"status": "closed"}]
    for step in steps:
        out = api.backend("POST", f"/backend/v1/complaints/{no}/events", step)
        assert out.status_code == 200, out.body
        assert out.json_body["status"] == step["status"]
    seen = api.call("GET", f"/v1/complaints/{no}", token=token).json_body
    assert seen["reply"] == "已对窗口人员批评教育"
    assert [e["status"] for e in seen["timeline"]] == ["registered", "assigned", "replied", "followed_up", "closed"]
    assert len(queue.ids) == 1
    notice = api.svc.uow().notices.get(queue.ids[0])
    assert notice is not None and (notice.kind, notice.complaint_no) == ("complaint_reply", no)


@pytest.mark.parametrize(("body", "status"), [
    ({"status": "replied", "reply": "x"}, 409),
    ({"status": "closed"}, 409),
    ({"status": "assigned"}, 422),
    ({"status": "registered"}, 409),
    ({"status": "unknown"}, 422),
])
def test_forbidden_complaint_moves_are_refused(api: Api, body: dict[str, str], status: int) -> None:
    no = _file(api, api.citizen())
    assert api.backend("POST", f"/backend/v1/complaints/{no}/events", body).status_code == status


def test_replying_without_a_reply_is_422(api: Api) -> None:
    no = _file(api, api.citizen())
    api.backend("POST", f"/backend/v1/complaints/{no}/events", {"status": "assigned", "department": "县民政局"})
    assert api.backend("POST", f"/backend/v1/complaints/{no}/events", {"status": "replied"}).status_code == 422


def test_complaints_list_filters_by_status_and_carries_the_due_date(api: Api) -> None:
    token = api.citizen()
    first, second = _file(api, token), _file(api, token)
    api.backend("POST", f"/backend/v1/complaints/{first}/events", {"status": "assigned", "department": "县民政局"})
    registered = api.backend("GET", "/backend/v1/complaints?status=registered").json_body["complaints"]
    assert [c["complaint_no"] for c in registered] == [second]
    assert registered[0]["due"] == "2026-10-13"  # 7 working days: 29, 30 Sep, 8, 9, 10 (调休), 12, 13 Oct
    everything = api.backend("GET", "/backend/v1/complaints").json_body["complaints"]
    assert {c["complaint_no"] for c in everything} == {first, second}
    assert api.backend("GET", "/backend/v1/complaints?status=nope").status_code == 422


def test_unknown_complaint_is_404(api: Api) -> None:
    assert api.call("GET", "/v1/complaints/TS1", token=api.citizen()).status_code == 404
    assert api.backend("POST", "/backend/v1/complaints/TS1/events", {"status": "assigned"}).status_code == 404
