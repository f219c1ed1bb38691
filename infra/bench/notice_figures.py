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
    from shared.storage.dynamo_unit import DynamoUnitOfWork

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
                "number_masked": "x", "number_hash": "y", "expires_on": expires, "updated_at": now.isoformat(),
                "citizen_id": "c1", "gsi2pk": f"EXP#{expires}", "gsi2sk": f"L{i}"})}} for i in range(start, start + 25)]
            ddb.batch_write_item(RequestItems={"bench": puts})
        calls: Counter[str] = Counter()
        ddb.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        table = Table(ddb, "bench")

        def uow() -> DynamoUnitOfWork:
            return DynamoUnitOfWork(table)

        out = ReminderService(uow, NoticeService(uow, SqsNoticeQueue(sqs, url), FixedClock(now))).run(now)
        assert out["queued"] == N, out
        floor = calls["Query"] + math.ceil(N / 100) + math.ceil(N / 25) + math.ceil(N / 10)
        return sum(calls.values()) + sqs.calls, floor


def batch_wall_time(latency: float = 0.2) -> float:
    """Seconds to deliver one SQS batch of 10 notices when the channel takes ``latency`` per send."""
    import boto3
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from functions.notice_worker import deliver_notices
    from shared.clock import CST, FixedClock
    from shared.config import Settings
    from shared.contract.records import Citizen, Notice, Preferences
    from shared.storage.memory import MemoryStore

    class SlowChannel:
        channel = "sms"

        def consent_template(self, kind: str) -> None:
            return None

        def deliver(self, kind: str, data: dict[str, str], account: str, locale: str) -> None:
            time.sleep(latency)

    now = datetime(2026, 9, 28, 10, 0, tzinfo=CST)
    with mock_aws():
        session = boto3.session.Session(region_name="cn-north-1")
        store = MemoryStore()  # the worker's concurrency, not moto's CPU cost per call
        unit, ids = store.unit_of_work(), []
        unit.citizens.add(Citizen(citizen_id="c1", id_hash="h", id_masked="x", name="n", phone="+8613800138000",
                                  created_at=now, preferences=Preferences(channels=["sms"])))
        for i in range(10):
            notice = Notice(notice_id=f"n{i}", kind="completion", citizen_id="c1", created_at=now,
                            data={"application_no": f"SB{i}", "item_name": "x", "status": "completed"})
            unit.notices.add(notice)
            ids.append(notice.notice_id)
        unit.commit()
        settings = Settings(session_key="k" * 32, backend_hmac_key="h", id_pepper="p", table="bench")
        services = bootstrap(settings, session=session, sms=object(), queue=object(),  # type: ignore[arg-type]
                             clock=FixedClock(now), notifiers={"sms": SlowChannel()})
        from shared.services.delivery import DeliveryService

        services.delivery = DeliveryService(store.unit_of_work, {"sms": SlowChannel()}, FixedClock(now),
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
