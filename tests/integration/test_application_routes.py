"""``/v1/items`` and ``/v1/applications``: submission, idempotency, progress, withdrawal."""

from __future__ import annotations

import json

from shared.clock import FixedClock
from tests.helpers import OTHER_ID, Api


def test_items_need_no_token_and_list_the_catalogue_with_fields(api: Api) -> None:
    out = api.call("GET", "/v1/items")
    assert out.status_code == 200
    items = out.json_body["items"]
    assert len(items) >= 60
    assert {i["tier"] for i in items} == {"county", "township", "village"}
    first = items[0]
    assert {"code", "name", "department", "tier", "promised_days", "fields", "materials", "location", "hours", "fee",
            "legal_days", "online"} <= set(first)  # the contract's fields (docs/contract.md, Catalogue items)
    assert first["materials"] and isinstance(first["online"], bool) and first["legal_days"] >= first["promised_days"]
    assert set(first["fields"][0]) == {"name", "label", "required"}


def test_submit_answers_201_with_a_readable_unique_number(api: Api) -> None:
    token = api.citizen()
    out = api.submit(token)
    assert out.status_code == 201
    body = out.json_body
    assert body["status"] == "submitted"
    assert body["item_code"] == "V-CW-001"
    assert body["submitted_at"].startswith("2026-09-28T10:00:00")
    assert body["application_no"].startswith("SB20260928")
    second = api.submit(token).json_body["application_no"]
    assert second != body["application_no"]


def test_submit_without_idempotency_key_is_400(api: Api) -> None:
    out = api.call("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "x"}}, api.citizen())
    assert out.status_code == 400
    assert out.json_body["error"]["code"] == "bad_request"


def test_same_key_and_body_returns_the_same_application(api: Api) -> None:
    token = api.citizen()
    first = api.submit(token, key="k-1")
    again = api.submit(token, key="k-1")
    assert again.status_code == 201
    assert again.json_body == first.json_body
    assert len(api.call("GET", "/v1/applications", token=token).json_body["applications"]) == 1


def test_same_key_with_another_body_is_idempotency_conflict(api: Api) -> None:
    token = api.citizen()
    api.submit(token, key="k-1")
    out = api.submit(token, form={"purpose": "另一个用途"}, key="k-1")
    assert out.status_code == 409
    assert out.json_body["error"]["code"] == "idempotency_conflict"


def test_unknown_item_is_422(api: Api) -> None:
    out = api.submit(api.citizen(), item_code="NOPE")
    assert out.status_code == 422
    assert out.json_body["error"]["details"][0]["field"] == "item_code"


def test_missing_required_field_is_422_listing_it(api: Api) -> None:
    out = api.submit(api.citizen(), item_code="C-SCJG-001", form={"business_name": "店"})
    assert out.status_code == 422
    assert {d["field"] for d in out.json_body["error"]["details"]} == {"form.address", "form.scope"}


def test_unbound_account_cannot_submit(api: Api) -> None:
    out = api.submit(api.token())
    assert out.status_code == 403


def test_submit_without_token_is_401(api: Api) -> None:
    out = api.call("POST", "/v1/applications", {"item_code": "V-CW-001"}, headers={"Idempotency-Key": "a"})
    assert out.status_code == 401


def test_malformed_json_is_400_in_the_contract_shape(api: Api) -> None:
    out = api.call("POST", "/v1/applications", "{not json", api.citizen(), {"Idempotency-Key": "a"})
    assert out.status_code == 400
    assert set(out.json_body["error"]) == {"code", "message", "details"}


def test_a_json_array_body_is_400(api: Api) -> None:
    out = api.call("POST", "/v1/applications", "[]", api.citizen(), {"Idempotency-Key": "a"})
    assert out.status_code == 400


def test_missing_body_is_400(api: Api) -> None:
    out = api.call("POST", "/v1/applications", None, api.citizen(), {"Idempotency-Key": "a"})
    assert out.status_code == 400


def test_wrong_content_type_is_400_in_the_contract_shape(api: Api) -> None:
    out = api.call("POST", "/v1/applications", "item_code=V-CW-001", api.citizen(),
                   {"Content-Type": "text/plain", "Idempotency-Key": "a"})
    assert out.status_code == 400
    assert out.json_body["error"]["code"] == "bad_request"


def test_body_over_64_kib_is_413_and_nothing_is_written(api: Api) -> None:
    token = api.citizen()
    big = json.dumps({"item_code": "V-CW-001", "form": {"purpose": "x" * 70000}})
    out = api.call("POST", "/v1/applications", big, token, {"Idempotency-Key": "big"})
    assert out.status_code == 413
    assert out.json_body["error"]["code"] == "payload_too_large"
    assert api.call("GET", "/v1/applications", token=token).json_body["applications"] == []


def test_list_shows_own_applications_newest_first(api: Api, clock: FixedClock) -> None:
    mine = api.citizen()
    first = api.submit(mine).json_body["application_no"]
    clock.advance(minutes=5)
    second = api.submit(mine).json_body["application_no"]
    clock.advance(seconds=61)
    other = api.citizen(id_number=OTHER_ID, name="李四", phone="13900139000")
    api.submit(other)
    listed = api.call("GET", "/v1/applications", token=mine).json_body["applications"]
    assert [a["application_no"] for a in listed] == [second, first]


def test_progress_shows_item_status_label_and_no_deadline_before_acceptance(api: Api) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    body = api.call("GET", f"/v1/applications/{no}", token=token).json_body
    assert body["item"] == {"code": "V-CW-001", "name": "居住证明开具"}
    assert body["status"] == "submitted" and body["status_label"] == "已提交"
    assert body["deadline"] is None and body["rating"] is None
    assert body["timeline"][0]["status"] == "submitted"


def test_progress_label_follows_the_citizen_locale(api: Api) -> None:
    token = api.citizen()
    api.call("PUT", "/v1/me/preferences", {"locale": "en"}, token)
    no = api.submit(token).json_body["application_no"]
    assert api.call("GET", f"/v1/applications/{no}", token=token).json_body["status_label"] == "Submitted"


def test_another_citizens_application_is_404(api: Api, clock: FixedClock) -> None:
    no = api.submit(api.citizen()).json_body["application_no"]
    clock.advance(seconds=61)
    other = api.citizen(id_number=OTHER_ID, name="李四", phone="13900139000")
    out = api.call("GET", f"/v1/applications/{no}", token=other)
    assert out.status_code == 404
    assert api.call("POST", f"/v1/applications/{no}/withdraw", token=other).status_code == 404


def test_unknown_application_is_404(api: Api) -> None:
    assert api.call("GET", "/v1/applications/SB20260928000000", token=api.citizen()).status_code == 404


def test_withdraw_before_completion_and_409_once_final(api: Api) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted")
    out = api.call("POST", f"/v1/applications/{no}/withdraw", token=token)
    assert out.status_code == 200
    assert out.json_body["status"] == "withdrawn"
    assert out.json_body["status_label"] == "已撤回"
    again = api.call("POST", f"/v1/applications/{no}/withdraw", token=token)
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "conflict"


def test_withdraw_after_completion_is_409(api: Api) -> None:
    token = api.citizen()
    no = api.submit(token).json_body["application_no"]
    api.walk(no, "accepted", "in_review", "completed")
    assert api.call("POST", f"/v1/applications/{no}/withdraw", token=token).status_code == 409


def test_health_answers_ok_with_the_stage(api: Api) -> None:
    out = api.call("GET", "/health")
    assert out.status_code == 200
    assert out.json_body == {"status": "ok", "stage": "test"}
    assert out.headers["X-Correlation-Id"]


def test_an_application_may_name_where_it_is_asked_for_among_the_countys_areas(api: Api) -> None:
    areas = api.call("GET", "/v1/items").json_body["areas"]
    chengguan = next(a for a in areas if a["township"] == "城关镇")
    assert "东街社区" in chengguan["villages"]
    token = api.citizen()
    body = {"item_code": "V-CW-001", "form": {"purpose": "入学"}, "township": "城关镇", "village": "柳树村"}
    refused = api.call("POST", "/v1/applications", body, token, {"Idempotency-Key": "area-1"})
    assert refused.status_code == 422 and refused.json_body["error"]["details"][0]["field"] == "village"
    body["village"] = "东街社区"
    assert api.call("POST", "/v1/applications", body, token, {"Idempotency-Key": "area-2"}).status_code == 201
