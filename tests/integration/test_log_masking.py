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
