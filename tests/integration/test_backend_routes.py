"""Backend API: HMAC signing with replay protection, application events, notices, licences."""

from __future__ import annotations

import itertools

import pytest

from functions.bootstrap import Services
from shared.contract.vocabulary import AppStatus
from shared.lifecycle import APPLICATION_MOVES
from tests.helpers import Api, FakeQueue


def _app(api: Api) -> str:
    return api.submit(api.citizen()).json_body["application_no"]


def test_a_signed_request_is_accepted(api: Api) -> None:
    no = _app(api)
    out = api.backend("POST", f"/backend/v1/applications/{no}/events", {"status": "accepted", "note": "材料齐全"})
    assert out.status_code == 200
    assert out.json_body["status"] == "accepted"
    assert out.json_body["timeline"][-1]["note"] == "材料齐全"


def test_missing_signature_headers_are_401(api: Api) -> None:
    out = api.call("GET", "/backend/v1/notices?application_no=SB1")
    assert out.status_code == 401
    assert out.json_body["error"]["code"] == "unauthorized"


def test_a_forged_signature_is_401_and_changes_nothing(api: Api, svc: Services) -> None:
    no = _app(api)
    out = api.backend("POST", f"/backend/v1/applications/{no}/events", {"status": "accepted"}, key="not-the-key")
    assert out.status_code == 401
    assert svc.uow().applications.get(no).status == "submitted"  # type: ignore[union-attr]


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_outside_300_seconds_is_401(api: Api, svc: Services, skew: int) -> None:
    ts = int(svc.clock.now().timestamp()) + skew
    assert api.backend("GET", "/backend/v1/complaints", ts=ts).status_code == 401


@pytest.mark.parametrize("skew", [-300, 300])
def test_a_timestamp_within_300_seconds_is_accepted(api: Api, svc: Services, skew: int) -> None:
    ts = int(svc.clock.now().timestamp()) + skew
    assert api.backend("GET", "/backend/v1/complaints", ts=ts).status_code == 200


def test_a_replayed_nonce_is_401(api: Api) -> None:
    assert api.backend("GET", "/backend/v1/complaints", nonce="nonce-1234").status_code == 200
    again = api.backend("GET", "/backend/v1/complaints", nonce="nonce-1234")
    assert again.status_code == 401


@pytest.mark.parametrize("nonce", ["short", "has space!", "x" * 65])
def test_a_malformed_nonce_is_401(api: Api, nonce: str) -> None:
    assert api.backend("GET", "/backend/v1/complaints", nonce=nonce).status_code == 401


def test_the_query_string_is_part_of_the_signature(api: Api, svc: Services) -> None:
    no = _app(api)
    good = api.backend("GET", f"/backend/v1/notices?application_no={no}")
    assert good.status_code == 200
    from shared.services.backend_auth import sign

    ts = str(int(svc.clock.now().timestamp()))
    sig = sign(svc.settings.backend_hmac_key.get_secret_value(), ts, "nonce-qs-1", "GET", "/backend/v1/notices", b"")
    tampered = api.client.http.get(f"/backend/v1/notices?application_no={no}", headers={
        "X-Minqing-Timestamp": ts, "X-Minqing-Nonce": "nonce-qs-1", "X-Minqing-Signature": sig})
    assert tampered.status_code == 401


def test_notices_need_the_application_no_parameter(api: Api) -> None:
    out = api.backend("GET", "/backend/v1/notices")
    assert out.status_code == 422
    assert out.json_body["error"]["details"] == [
        {"field": "query", "message": "Value error, give application_no, phone, to, or status=pending|failed"}]


@pytest.mark.parametrize(("path", "field"), [
    ("/backend/v1/notices?status=lost", "status"), ("/backend/v1/notices?phone=12345", "phone"),
    ("/backend/v1/complaints?status=done", "status"), ("/backend/v1/rectifications?status=done", "status"),
    ("/backend/v1/reports/satisfaction?from=2026-13-01&to=2026-12-31", "from")])
def test_a_bad_query_value_is_a_422_naming_it(api: Api, path: str, field: str) -> None:
    out = api.backend("GET", path)
    assert out.status_code == 422 and out.json_body["error"]["code"] == "validation_error"
    assert [d["field"] for d in out.json_body["error"]["details"]] == [field]


def test_events_for_an_unknown_application_are_404(api: Api) -> None:
    assert api.backend("POST", "/backend/v1/applications/SB1/events", {"status": "accepted"}).status_code == 404


def test_an_unknown_status_is_422(api: Api) -> None:
    out = api.backend("POST", f"/backend/v1/applications/{_app(api)}/events", {"status": "done"})
    assert out.status_code == 422


def test_completion_and_supplement_produce_queued_notices(api: Api, queue: FakeQueue) -> None:
    no = _app(api)
    api.walk(no, "accepted", "in_review", "supplement_required", "in_review", "completed")
    notices = api.backend("GET", f"/backend/v1/notices?application_no={no}").json_body["notices"]
    assert [n["kind"] for n in notices] == ["supplement_required", "completion"]
    assert all(n["status"] == "pending" and n["attempts"] == [] for n in notices)
    assert queue.ids == [n["notice_id"] for n in notices]


def test_a_rejection_produces_a_completion_notice(api: Api) -> None:
    no = _app(api)
    api.walk(no, "rejected")
    notices = api.backend("GET", f"/backend/v1/notices?application_no={no}").json_body["notices"]
    assert [n["kind"] for n in notices] == ["completion"]


STATUSES = list(AppStatus)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_the_lifecycle_table_holds_for_every_pair(api: Api, svc: Services, current: str, target: str) -> None:
    no = _app(api)
    unit = svc.uow()
    stored = unit.applications.get(no)
    assert stored is not None
    unit.applications.move(stored, stored.model_copy(update={"status": current}))  # put it there, lifecycle aside
    unit.commit()
    out = api.backend("POST", f"/backend/v1/applications/{no}/events", {"status": target})
    backend_may = target in APPLICATION_MOVES[current] and target != AppStatus.WITHDRAWN
    assert out.status_code == (200 if backend_may else 409), out.body
    assert svc.uow().applications.get(no).status == (target if backend_may else current)  # type: ignore[union-attr]


def test_a_licence_is_upserted_masked_and_listed_for_its_citizen(api: Api, svc: Services) -> None:
    body = {"id_number": "11010519491231002X", "kind": "driving_licence", "number": "110105194912310020",
            "expires_on": "2027-03-01"}
    out = api.backend("PUT", "/backend/v1/licences/L-1", body)
    assert out.status_code == 200
    assert out.json_body["licence"]["number_masked"] == "110***********0020"
    token = api.citizen()
    listed = api.call("GET", "/v1/licences", token=token).json_body["licences"]
    assert listed == [{"licence_id": "L-1", "kind": "driving_licence", "number_masked": "110***********0020",
                       "expires_on": "2027-03-01"}]
    api.backend("PUT", "/backend/v1/licences/L-1", {**body, "expires_on": "2032-03-01"})
    assert api.call("GET", "/v1/licences", token=token).json_body["licences"][0]["expires_on"] == "2032-03-01"
    stored = svc.table.get("LIC#L-1", "LIC")
    assert stored["gsi2pk"] == "EXP#2032-03-01"
    assert "110105194912310020" not in str(stored) and "11010519491231002X" not in str(stored)


@pytest.mark.parametrize(("field", "value"), [("id_number", "110105194912310021"), ("kind", "passport"),
                                              ("expires_on", "next year")])
def test_a_bad_licence_is_422(api: Api, field: str, value: str) -> None:
    body = {"id_number": "11010519491231002X", "kind": "id_card", "number": "X1", "expires_on": "2030-01-01"}
    out = api.backend("PUT", "/backend/v1/licences/L-2", {**body, field: value})
    assert out.status_code == 422
    assert out.json_body["error"]["details"][0]["field"] == field
