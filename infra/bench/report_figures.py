"""The console's heaviest page for ``make bench``: ``/console/report`` over six months of a county-sized data set
(50,000 applications, 60 % of them rated, 5,000 complaints) on moto — its server time against the floor of
reading the same items bare (each month's rating log, complaints and cases once), and the DynamoDB requests
it made against the requests those reads need."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from infra.bench.notice_figures import _table

APPLICATIONS, COMPLAINTS, MONTHS = 50_000, 5_000, ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")
DEPARTMENTS = (("县市场监督管理局", "county"), ("县公安局", "county"), ("县人力资源和社会保障局", "county"),
               ("乡镇人民政府民政办", "township"), ("乡镇派出所", "township"), ("村(社区)委员会", "village"))


def _items(rng: random.Random, applications: int, complaints: int) -> list[dict[str, Any]]:
    """Applications, the rating log, rectification cases and complaints, as the services write them."""
    from shared.clock import CST

    items: list[dict[str, Any]] = []
    for i in range(applications):
        month = MONTHS[i % len(MONTHS)]
        at = datetime.fromisoformat(f"{month}-{1 + i % 28:02d}T10:00:00").replace(tzinfo=CST)
        no, (department, tier) = f"SB{at:%Y%m%d}{i:06d}", DEPARTMENTS[i % len(DEPARTMENTS)]
        items.append({"pk": f"APP#{no}", "sk": "APP", "application_no": no, "citizen_id": f"c{i % 9000}",
                      "account": "wechat_mini#o", "item_code": "V-CW-001", "item_name": "居住证明开具",
                      "status": "completed", "submitted_at": at.isoformat(), "finished_at": at.isoformat(),
                      "timeline": [{"status": "submitted", "at": at.isoformat()}],
                      "gsi1pk": f"CIT#c{i % 9000}", "gsi1sk": f"APP#{at.isoformat()}#{no}"})
        if i % 10 >= 6:
            continue
        level = rng.choices((5, 4, 3, 2, 1), (60, 20, 12, 5, 3))[0]
        rated = at + timedelta(days=1)
        entry = {"pk": f"RATINGS#{rated:%Y-%m}", "sk": f"{rated.isoformat()}#{no}", "application_no": no,
                 "level": level, "rated_at": rated.isoformat(), "department": department, "tier": tier}
        if level <= 2:
            case_id = f"ZG{i:08d}"
            entry["case_id"] = case_id
            status = rng.choice(("open", "verified", "rectified", "followed_up", "dismissed"))
            due = (rated + timedelta(days=21)).date()
            done = rated + timedelta(days=rng.randint(3, 30))
            items.append({"pk": f"CASE#{case_id}", "sk": "CASE", "case_id": case_id, "application_no": no,
                          "citizen_id": "c", "department": department, "tier": tier, "level": level,
                          "status": status, "due": due.isoformat(), "gsi1pk": f"CASES#{status}",
                          "gsi1sk": f"{due}#{case_id}", "timeline": [
                              {"status": "open", "at": rated.isoformat()},
                              *([{"status": status, "at": done.isoformat()}] if status != "open" else [])]})
        items.append(entry)
    for i in range(complaints):
        month = MONTHS[i % len(MONTHS)]
        at = datetime.fromisoformat(f"{month}-{1 + i % 28:02d}T15:00:00").replace(tzinfo=CST)
        no, department = f"TS{at:%Y%m%d}{i:06d}", DEPARTMENTS[i % 4][0]
        replied = at + timedelta(days=rng.randint(1, 14))
        due = (at + timedelta(days=9)).date()
        items.append({"pk": f"CMP#{no}", "sk": "CMP", "complaint_no": no, "citizen_id": "c", "account": "a",
                      "content": "窗口排队时间太长，希望增加周末服务。", "status": "replied", "department": department,
                      "reply": "已增加周六上午窗口。", "due": due.isoformat(), "gsi1pk": "CMPS#replied",
                      "gsi1sk": f"{due}#{no}", "gsi2pk": f"CMPREG#{at:%Y-%m}", "gsi2sk": f"{at.isoformat()}#{no}",
                      "timeline": [{"status": "registered", "at": at.isoformat()},
                                   {"status": "assigned", "at": at.isoformat(), "note": department},
                                   {"status": "replied", "at": replied.isoformat()}]})
    return items


def report_page(applications: int = APPLICATIONS, complaints: int = COMPLAINTS) -> dict[str, float]:
    """Server time of the report over six months, the bare reads' floor, and request counts (once each: moto
    answers an index query by reading every item, so each pass takes most of a minute)."""
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from shared.clock import CST, FixedClock
    from shared.config import Settings
    from shared.storage.dynamo import serialize

    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        ddb = session.client("dynamodb")
        _table(ddb, "bench")
        items = _items(random.Random(7), applications, complaints)  # noqa: S311 (a reproducible data set, not a secret)
        for start in range(0, len(items), 25):
            ddb.batch_write_item(RequestItems={"bench": [{"PutRequest": {"Item": serialize(i)}}
                                                         for i in items[start:start + 25]]})
        settings = Settings(session_key="k" * 32, backend_hmac_key="h", id_pepper="p", table="bench")
        services = bootstrap(settings, session=session, dynamodb=ddb, sms=object(), queue=object(),  # type: ignore[arg-type]
                             clock=FixedClock(datetime(2026, 9, 30, 17, 0, tzinfo=CST)))
        install(services)
        services.staff.create("admin", "县级管理员", "county_admin", "bench-admin-password")
        sid, _ = services.staff.sign_in("admin", "bench-admin-password")
        calls: Counter[str] = Counter()
        ddb.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        from app import app

        with Client(app) as client:
            calls.clear()
            started = time.perf_counter()
            out = client.http.get("/console/report?from=2026-04&to=2026-09&lang=zh-CN",
                                  headers={"Cookie": f"minqing_console={sid}"})
            page = time.perf_counter() - started
            assert out.status_code == 200 and "运营报告" in out.body.decode(), out.status_code
        made = sum(calls.values())
        calls.clear()
        started = time.perf_counter()
        _bare_reads(ddb)
        floor = time.perf_counter() - started
        install(None)
        return {"page": page, "floor": floor, "requests": made, "floor_requests": sum(calls.values()),
                "items": len(items), "bytes": len(out.body)}


def _bare_reads(ddb: Any) -> None:
    """The reads the figures cannot do without: each month's rating log and complaints, every case once."""
    case_ids = []
    for month in MONTHS:
        for page in ddb.get_paginator("query").paginate(TableName="bench", KeyConditionExpression="pk = :p",
                                                       ExpressionAttributeValues={":p": {"S": f"RATINGS#{month}"}}):
            case_ids += [i["case_id"]["S"] for i in page["Items"] if "case_id" in i]
        for _ in ddb.get_paginator("query").paginate(TableName="bench", IndexName="gsi2",
                                                    KeyConditionExpression="gsi2pk = :p",
                                                    ExpressionAttributeValues={":p": {"S": f"CMPREG#{month}"}}):
            pass
    for start in range(0, len(case_ids), 100):
        keys = [{"pk": {"S": f"CASE#{c}"}, "sk": {"S": "CASE"}} for c in case_ids[start:start + 100]]
        ddb.batch_get_item(RequestItems={"bench": {"Keys": keys}})
