"""Notice figures for ``make bench``: AWS requests to queue 10,000 expiry reminders against the
batching floor (counted on moto), and one SQS batch of 10 notices against a 200 ms channel."""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

N = 10_000


def _table(client: Any, name: str) -> None:
    spec = json.loads((Path(__file__).parent / "resources.json").read_text())["Resources"]["Table"]["Properties"]
    client.create_table(TableName=name, **{k: v for k, v in spec.items() if k in (
        "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")})


def reminder_requests() -> tuple[int, int]:
    """(requests our run made, the floor: query pages + ⌈N/25⌉ batch writes + ⌈N/10⌉ batch sends)."""
    import boto3
    from moto import mock_aws

    from shared.clock import CST
    from shared.services.notices import SqsNoticeQueue
    from shared.services.reminders import ReminderService
    from shared.storage.dynamo import Table, serialize

    now = datetime(2026, 9, 28, 9, 0, tzinfo=CST)
    expires = (now + timedelta(days=7)).date().isoformat()
    class CountingSqs:
        """SQS stand-in that counts batch sends (moto's SQS checks every message on each send: O(n²))."""

        def __init__(self) -> None:
            self.calls = 0

        def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, str]]) -> dict[str, Any]:
            assert len(Entries) <= 10
            self.calls += 1
            return {"Successful": [{"Id": e["Id"]} for e in Entries]}

    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        ddb, sqs = session.client("dynamodb"), CountingSqs()
        _table(ddb, "bench")
        url = "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/bench-notices"
        for start in range(0, N, 25):
            puts = [{"PutRequest": {"Item": serialize({
                "pk": f"LIC#L{i}", "sk": "LIC", "licence_id": f"L{i}", "kind": "driving_licence", "id_hash": "h",
                "citizen_id": "c1", "gsi2pk": f"EXP#{expires}", "gsi2sk": f"L{i}"})}} for i in range(start, start + 25)]
            ddb.batch_write_item(RequestItems={"bench": puts})
        calls: Counter[str] = Counter()
        ddb.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        out = ReminderService(Table(ddb, "bench"), SqsNoticeQueue(sqs, url)).run(now)
        assert out["queued"] == N, out
        floor = calls["Query"] + math.ceil(N / 25) + math.ceil(N / 10)
        return sum(calls.values()) + sqs.calls, floor


class DeliveryTable:
    """In-memory storage for the delivery path (get, bindings query, its three updates), so the
    figure shows the worker's concurrency rather than moto's CPU cost per call."""

    def __init__(self) -> None:
        import threading

        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.name = "memory"

    def put(self, item: dict[str, Any], condition: str | None = None, **_: Any) -> None:
        with self.lock:
            self.items[(item["pk"], item["sk"])] = json.loads(json.dumps(item))

    def transact(self, actions: list[dict[str, Any]]) -> None:
        for action in actions:
            self.put(action["Put"]["Item"])

    def get(self, pk: str, sk: str, consistent: bool = True) -> dict[str, Any] | None:
        with self.lock:
            found = self.items.get((pk, sk))
            return json.loads(json.dumps(found)) if found else None

    def query(self, key: str, values: dict[str, Any], **_: Any) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(v) for (pk, sk), v in self.items.items()
                    if pk == values[":pk"] and sk.startswith(values[":b"])]

    def update(self, pk: str, sk: str, expression: str, names: dict[str, str] | None = None,
               values: dict[str, Any] | None = None, condition: str | None = None) -> dict[str, Any]:
        from shared.storage.dynamo import ConditionFailed

        names, values = names or {}, values or {}
        with self.lock:
            item = self.items[(pk, sk)]
            if expression.startswith("SET lease"):
                held = item["lease"].get(names["#ch"])
                if item["status"] != "pending" or (held is not None and held >= values[":now"]):
                    raise ConditionFailed(item)
                item["lease"][names["#ch"]] = values[":until"]
            elif "REMOVE lease" in expression:
                item["attempts"] += values[":a"]
                item["lease"].pop(names["#ch"], None)
            else:
                if item["status"] != values[":p"]:
                    raise ConditionFailed(item)
                item["status"] = values[":s"]
                item["attempts"] += values[":a"]
            return dict(item)


def batch_wall_time(latency: float = 0.2) -> float:
    """Seconds to deliver one SQS batch of 10 notices when the channel takes ``latency`` per send."""
    import boto3
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from functions.notice_worker import deliver_notices
    from shared.clock import CST, FixedClock
    from shared.config import Settings
    from shared.contract.records import Notice
    from shared.services.notices import notice_puts
    class SlowChannel:
        channel = "sms"

        def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
            time.sleep(latency)

    now = datetime(2026, 9, 28, 10, 0, tzinfo=CST)
    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        table = DeliveryTable()
        table.put({"pk": "CIT#c1", "sk": "CIT", "citizen_id": "c1", "id_hash": "h", "id_masked": "x", "name": "n",
                   "phone": "+8613800138000", "created_at": now.isoformat(),
                   "preferences": {"channels": ["sms"], "sms_opt_out": False, "locale": "zh-CN"}})
        ids = []
        for i in range(10):
            notice = Notice(notice_id=f"n{i}", kind="completion", citizen_id="c1", created_at=now,
                            data={"application_no": f"SB{i}", "item_name": "x", "status": "completed"})
            table.transact(notice_puts(notice))
            ids.append(notice.notice_id)
        settings = Settings(session_key="k" * 32, backend_hmac_key="h", id_pepper="p", table="bench")
        services = bootstrap(settings, session=session, sms=object(), queue=object(),  # type: ignore[arg-type]
                             clock=FixedClock(now), notifiers={"sms": SlowChannel()})
        from shared.services.delivery import DeliveryService

        services.delivery = DeliveryService(table, {"sms": SlowChannel()}, FixedClock(now))  # type: ignore[arg-type]
        install(services)
        event = {"Records": [{"messageId": f"m{i}", "receiptHandle": f"r{i}", "body": json.dumps({"notice_id": n}),
                              "attributes": {"ApproximateReceiveCount": "1"}} for i, n in enumerate(ids)]}
        start = time.perf_counter()
        out = deliver_notices(event, None)
        wall = time.perf_counter() - start
        install(None)
        assert out == {"batchItemFailures": []}, out
        return wall
