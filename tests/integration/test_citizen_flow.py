"""The whole core flow through chalice's test client against moto."""

from __future__ import annotations

from tests.helpers import Api


def test_bound_citizen_submits_and_sees_the_completed_timeline(api: Api) -> None:
    token = api.citizen()
    form = {"business_name": "张三小卖部", "address": "城关镇1号", "scope": "日用品"}
    submitted = api.submit(token, "C-SCJG-001", form)
    assert submitted.status_code == 201, submitted.body
    no = submitted.json_body["application_no"]
    assert no.startswith("SB20260928") and len(no) == 16
    api.walk(no, "accepted", "in_review", "completed")
    progress = api.call("GET", f"/v1/applications/{no}", token=token)
    assert progress.status_code == 200
    body = progress.json_body
    assert [e["status"] for e in body["timeline"]] == ["submitted", "accepted", "in_review", "completed"]
    assert body["status_label"] == "已办结"
    assert body["deadline"] == "2026-10-08"  # 3 working days from Mon 28 Sep: 29, 30 Sep, then 8 Oct after 国庆
    notices = api.backend("GET", f"/backend/v1/notices?application_no={no}")
    assert [n["kind"] for n in notices.json_body["notices"]] == ["completion"]
