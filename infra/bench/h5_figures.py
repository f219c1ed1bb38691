"""Figures of the citizen H5 portal for ``make bench``: the first page's transfer size, and the server time and
DynamoDB requests of the progress page against the JSON API answering the same question.

Both run through the app in-process on moto: a citizen bound by phone with one application that was accepted,
reviewed, completed and rated badly (so the page also shows the rectification follow-up).
"""

from __future__ import annotations

import gzip
import statistics
import time
from collections import Counter
from typing import Any

RUNS = 40


def first_page() -> tuple[int, int]:
    """(bytes, gzip bytes) of ``/h5/`` as a first-time visitor gets it, everything included (one inline style
    sheet, no script, no image, no other request)."""
    body = _with_stack(lambda client, *_: client.http.get("/h5/").body)
    return len(body), len(gzip.compress(body, 9))


def progress_page() -> dict[str, float]:
    """Median server time of ``/h5/applications/<no>`` and of ``GET /v1/applications/<no>`` (the floor: the same
    application read for the same session), and the DynamoDB requests of one of each."""
    return _with_stack(_measure)


def _measure(client: Any, token: str, no: str, calls: Counter[str]) -> dict[str, float]:
    page_headers = {"Cookie": f"minqing_h5={token}"}
    api_headers = {"Authorization": f"Bearer {token}"}
    pages, apis = [], []
    for _ in range(RUNS):
        t = time.perf_counter()
        out = client.http.get(f"/h5/applications/{no}", headers=page_headers)
        pages.append(time.perf_counter() - t)
        assert out.status_code == 200 and "整改跟进" in out.body.decode(), out.status_code
        t = time.perf_counter()
        assert client.http.get(f"/v1/applications/{no}", headers=api_headers).status_code == 200
        apis.append(time.perf_counter() - t)
    calls.clear()
    client.http.get(f"/h5/applications/{no}", headers=page_headers)
    page_requests = sum(calls.values())
    calls.clear()
    client.http.get(f"/v1/applications/{no}", headers=api_headers)
    return {"page": statistics.median(pages), "api": statistics.median(apis), "page_requests": page_requests,
            "api_requests": sum(calls.values()), "bytes": len(out.body)}


def _with_stack(run: Any) -> Any:
    """``run(client, token, application_no, calls)`` against the app wired to moto, with the citizen made."""
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from infra.bench.notice_figures import _table
    from shared.contract.commands import BindSignedInPhone, RateApplication, RecordApplicationEvent, SubmitApplication
    from shared.services.notices import PendingOnlyQueue
    from shared.sessions import Principal

    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        ddb = session.client("dynamodb")
        _table(ddb, "bench")
        from shared.config import Settings

        settings = Settings(session_key="k" * 32, backend_hmac_key="h", id_pepper="p", table="bench")
        s = bootstrap(settings, session=session, dynamodb=ddb, sms=object(),  # type: ignore[arg-type]
                      queue=PendingOnlyQueue())
        install(s)
        who = Principal("sms", "+8613800138000")
        s.identity.bind_signed_in_phone(who, BindSignedInPhone(name="张三", id_number="11010519491231002X"))
        citizen = s.identity.citizen_of(who)
        no = s.applications.submit(who, citizen, SubmitApplication(item_code="C-GA-001", form={"reason": "到期"}),
                                   "bench").application_no
        for step in ("accepted", "in_review", "completed"):
            s.applications.record_event(no, RecordApplicationEvent(status=step))
        s.applications.rate(citizen, no, RateApplication(level=2, comment="等太久"), "sms")
        token = s.identity.issue_token(who).token
        calls: Counter[str] = Counter()
        ddb.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        from app import app

        with Client(app) as client:
            out = run(client, token, no, calls)
        install(None)
        return out

