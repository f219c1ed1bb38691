"""Notice figures for ``make bench``: AWS requests to queue 10,000 expiry reminders against the
batching floor (counted on moto), and one SQS batch of 10 notices against a 200 ms channel."""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from infra.deploy import RESOURCES

N = 10_000


def _table(client: Any, name: str) -> None:
    spec = json.loads(RESOURCES.read_text())["Resources"]["Table"]["Properties"]
    client.create_table(TableName=name, **{k: v for k, v in spec.items() if k in (
        "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")})


def reminder_requests() -> tuple[int, int]:
    """(requests our run made, the floor: query pages + ⌈N/100⌉ consistent reads of the reminder ids (so a
    lagging index never rewrites a sent one) + ⌈N/25⌉ batch writes + ⌈N/10⌉ batch sends)."""
    import boto3
    from moto import mock_aws

    from shared.aws import SqsNoticeQueue
    from shared.clock import CST, FixedClock
    from shared.services.notices import NoticeService
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
        table = Table(ddb, "bench")
        out = ReminderService(table, NoticeService(table, SqsNoticeQueue(sqs, url), FixedClock(now))).run(now)
        assert out["queued"] == N, out
        floor = calls["Query"] + math.ceil(N / 100) + math.ceil(N / 25) + math.ceil(N / 10)
        return sum(calls.values()) + sqs.calls, floor


class DeliveryTable:
    """In-memory storage for the delivery path (the claim, the person's channels, the closing write), so
    the figure shows the worker's concurrency rather than moto's CPU cost per call."""

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

    def query(self, key: str, values: dict[str, Any], **_: Any) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(json.dumps(v)) for (pk, _), v in self.items.items() if pk == values[":pk"]]

    def update(self, pk: str, sk: str, expression: str, names: dict[str, str] | None = None,
               values: dict[str, Any] | None = None, condition: str | None = None) -> dict[str, Any]:
        """The claim (``SET lease_until``) and the closing write of ``DeliveryService``, with their conditions."""
        from shared.storage.dynamo import ConditionFailed

        values = values or {}
        with self.lock:
            item = self.items[(pk, sk)]
            if expression.startswith("SET lease_until"):
                if item["status"] != "pending" or item.get("gen", 0) != values[":g"] or \
                        item.get("lease_until", 0) >= values[":now"]:
                    raise ConditionFailed(item)
                item["lease_until"] = values[":until"]
            else:
                if item.get("gen", 0) != values[":g"] or item.get("lease_until", 0) != values[":mine"]:
                    raise ConditionFailed(item)
                item["status"], item["lease_until"] = values[":s"], 0
                item["attempts"] = item.get("attempts", []) + values[":a"]
            return json.loads(json.dumps(item))


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

        def consent_template(self, kind: str) -> None:
            return None

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

        services.delivery = DeliveryService(table, {"sms": SlowChannel()}, FixedClock(now),  # type: ignore[arg-type]
                                            services.notices)
        install(services)
        event = {"Records": [{"messageId": f"m{i}", "receiptHandle": f"r{i}", "body": json.dumps({"notice_id": n}),
                              "attributes": {"ApproximateReceiveCount": "1"}} for i, n in enumerate(ids)]}
        start = time.perf_counter()
        out = deliver_notices(event, None)
        wall = time.perf_counter() - start
        install(None)
        assert out == {"batchItemFailures": []}, out
        return wall
