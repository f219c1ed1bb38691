"""Logs are JSON lines with a correlation id, and never hold a raw ID number or phone."""

from __future__ import annotations

import io
import json
import logging
import sys

from shared.clock import FixedClock
from shared.logs import configure
from tests.helpers import VALID_ID, Api, no_pii


def test_a_full_flow_logs_no_raw_id_number_or_phone(api: Api, clock: FixedClock) -> None:
    buf = io.StringIO()
    configure(stream=buf)
    try:
        token = api.token()
        api.bind(token, id_number="110105194912310021")  # a bad checksum: the 422 path
        clock.advance(seconds=61)
        assert api.bind(token).status_code == 200
        no = api.submit(token).json_body["application_no"]
        api.walk(no, "accepted", "in_review", "completed")
        comment = f"我的电话13800138000,证号{VALID_ID}"
        api.call("POST", f"/v1/applications/{no}/rating", {"level": 1, "comment": comment}, token)
        api.backend("PUT", "/backend/v1/licences/L-9", {"id_number": VALID_ID, "kind": "id_card",
                                                         "number": VALID_ID, "expires_on": "2030-01-01"})
        logging.getLogger("test").warning("citizen %s phone %s", VALID_ID, "+8613800138000")
    finally:
        configure(stream=sys.stdout)
    text = buf.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) > 10
    assert no_pii(text)
    assert "110***********002X" in text and "138****8000" in text
    requests = [line for line in lines if line["message"] == "request"]
    assert all(line["correlation_id"] != "-" for line in requests)
    assert len({line["correlation_id"] for line in requests}) == len(requests)


def test_ids_and_phones_typed_into_every_free_text_field_never_come_back_in_full(api: Api, clock: FixedClock) -> None:
    """Responses, log lines and operator views of a whole flow, with personal numbers in every free text."""
    typed = f"联系13912345678或证号{VALID_ID}"
    buf, bodies = io.StringIO(), []
    configure(stream=buf)
    try:
        token = api.citizen()
        bodies.append(api.call("GET", f"/v1/applications/{VALID_ID}", token=token).body)
        submitted = api.call("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": typed}},
                             token, {"Idempotency-Key": "leak-1"})
        no = submitted.json_body["application_no"]
        bodies += [submitted.body, api.call("GET", f"/v1/applications/{no}", token=token).body]
        bodies.append(api.backend("POST", f"/backend/v1/applications/{no}/events",
                                  {"status": "accepted", "note": typed}).body)
        api.walk(no, "in_review", "completed")
        bodies.append(api.call("POST", f"/v1/applications/{no}/rating", {"level": 1, "comment": typed}, token).body)
        filed = api.call("POST", "/v1/complaints", {"content": typed}, token)
        cno = filed.json_body["complaint_no"]
        bodies += [filed.body, api.call("GET", f"/v1/complaints/{cno}", token=token).body]
        api.backend("POST", f"/backend/v1/complaints/{cno}/events", {"status": "assigned", "department": typed})
        bodies.append(api.backend("POST", f"/backend/v1/complaints/{cno}/events",
                                  {"status": "replied", "reply": typed}).body)
        for view in ("/backend/v1/complaints?status=replied", "/backend/v1/rectifications?status=open",
                     f"/backend/v1/notices?application_no={no}", "/v1/me", "/v1/applications"):
            bodies.append((api.backend("GET", view) if view.startswith("/backend") else
                           api.call("GET", view, token=token)).body)
        bodies.append(api.call("POST", "/v1/identity/otp", {"phone": typed}, token).body)  # a 422 echo
    finally:
        configure(stream=sys.stdout)
    for body in bodies:
        assert no_pii(body.decode()), body.decode()[:300]
    assert no_pii(buf.getvalue())
    assert any("139****5678" in b.decode() for b in bodies)


def test_numbers_the_services_issue_survive_scrubbing(api: Api) -> None:
    from shared.logs import scrub

    token = api.citizen()
    number = api.submit(token).json_body["application_no"]
    complaint = api.call("POST", "/v1/complaints", {"content": "窗口等候太久"}, token).json_body["complaint_no"]
    for issued in (number, complaint):
        assert scrub(f"application {issued} completed") == f"application {issued} completed"
