"""Chaos figures for ``make bench`` (and the chaos tests): the whole delivery pipeline in process —
the real app and handlers on moto, the real channel adapters over HTTP to the local world — with
providers failing at random, one channel down throughout, and time simulated, so the production
retry settings (30 s base, 15 min cap, 5 tries a channel) play out in seconds.

The notice queue is simulated like SQS with a redrive policy: a message is visible after its
delay; a batch failure brings it back after the visibility timeout; the eighth receive moves it
to the dead-letter queue, whose consumer runs too.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import secrets
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from infra.deploy import RESOURCES

CHANNELS = ("wechat_mini", "wechat_oa", "alipay", "sms")
# The fewest AWS requests one notice delivered at its first try can cost: a tenth of a queue send (ten
# messages a batch), the try's claim of the notice, the read of the person's channels, the write that
# closes it — plus one to take a consent credit on a channel that needs one.
FLOOR = 3.1


def _queue_rules() -> tuple[int, int]:
    """(visibility timeout, maxReceiveCount) of the notice queue in ``infra/deploy/resources.json``."""
    queue = json.loads(RESOURCES.read_text())["Resources"]["NoticeQueue"]["Properties"]
    return int(queue["VisibilityTimeout"]), int(queue["RedrivePolicy"]["maxReceiveCount"])


class SimulatedQueue:
    """The notice queue in simulated time (implements ``shared.ports.NoticeQueue``)."""

    def __init__(self, clock: Any):
        self.clock, self.heap, self.seq = clock, [], itertools.count()
        self.visibility, self.max_receives = _queue_rules()
        self.batch_calls, self.dead_lettered = 0, 0

    def _now(self) -> float:
        return float(self.clock.now().timestamp())

    def enqueue(self, notice_ids: list[str], *, delay: int = 0, gen: int = 0) -> None:
        """One SendMessageBatch per ten messages."""
        self.batch_calls += (len(notice_ids) + 9) // 10
        for nid in notice_ids:
            heapq.heappush(self.heap, (self._now() + min(delay, 900), next(self.seq), nid, gen, 0))

    def run(self, worker: Callable[..., Any], dead_letters: Callable[..., Any],
            before: Callable[[float], None] | None = None, limit: int = 100_000) -> int:
        """Deliver every message as Lambda's event source would, moving the clock to each; returns receives."""
        receives = 0
        while self.heap and receives < limit:
            due = self.heap[0][0]
            if due > self._now():
                self.clock.at = datetime.fromtimestamp(due, self.clock.at.tzinfo)
            if before:
                before(due)
            batch = []  # what is visible now, ten at most, as one event
            while self.heap and self.heap[0][0] <= self._now() and len(batch) < 10:
                batch.append(heapq.heappop(self.heap))
            receives += len(batch)
            event = {"Records": [_record(nid, gen, count + 1) for _, _, nid, gen, count in batch]}
            failed = {f["itemIdentifier"] for f in worker(event, None)["batchItemFailures"]}
            for record, (_, _, nid, gen, count) in zip(event["Records"], batch, strict=True):
                if record["messageId"] not in failed:
                    continue
                if count + 1 >= self.max_receives:
                    self.dead_lettered += 1
                    dead_letters({"Records": [record]}, None)
                else:
                    heapq.heappush(self.heap, (self._now() + self.visibility, next(self.seq), nid, gen, count + 1))
        return receives


def _record(notice_id: str, gen: int, receives: int) -> dict[str, Any]:
    return {"messageId": secrets.token_hex(8), "receiptHandle": "r",
            "body": json.dumps({"notice_id": notice_id, "gen": gen}),
            "attributes": {"ApproximateReceiveCount": str(receives)}, "messageAttributes": {},
            "eventSource": "aws:sqs", "awsRegion": "cn-north-1"}


class Chaos:
    """A county in a box: citizens bound on every channel, the app, the world, simulated time."""

    def __init__(self, app: Any, svc: Any, world: Any, queue: SimulatedQueue, calls: Counter[str]):
        from chalice.test import Client

        self.svc, self.world, self.queue, self.calls = svc, world, queue, calls
        self.client = Client(app)
        self.api_calls = 0

    def _call(self, method: str, path: str, body: Any = None, token: str | None = None,
              headers: dict[str, str] | None = None) -> Any:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        out = getattr(self.client.http, method.lower())(path, headers=hdrs, body=json.dumps(body) if body else None)
        return out.status_code, json.loads(out.body) if out.body else None

    def backend(self, method: str, path: str, body: Any = None) -> Any:
        """A signed backend call."""
        from shared.services.backend_auth import sign

        raw = json.dumps(body).encode() if body is not None else b""
        ts, nonce = str(int(self.svc.clock.now().timestamp())), secrets.token_hex(8)
        headers = {"X-Minqing-Timestamp": ts, "X-Minqing-Nonce": nonce,
                   "X-Minqing-Signature": sign(self.svc.settings.backend_hmac_key.get_secret_value(), ts, nonce,
                                               method, path, raw)}
        return self._call(method, path, body, headers=headers)

    def citizen(self, n: int, credits: int = 0) -> dict[str, str]:
        """Citizen ``n`` bound on the mini-program, the OA and Alipay with one phone; ``credits`` consents
        for the completion template on the mini-program and Alipay. Returns tokens and the phone."""
        from shared.sessions import Principal

        phone, out = f"+86150{n:08d}", {}
        id_number = _resident_id(n)
        for channel, account in (("wechat_mini", f"omini{n:06d}"), ("wechat_oa", f"ooa{n:06d}"),
                                 ("alipay", f"2088{n:012d}")):
            token = self.svc.identity.issue_token(Principal(channel, account)).token
            assert self._call("POST", "/v1/identity/otp", {"phone": phone}, token)[0] == 202
            code = next(m["data"]["code"] for m in reversed(self.world.outbox) if m["to"] == phone)
            status, body = self._call("POST", "/v1/identity/bind", {"id_number": id_number, "name": "陈民",
                                                                      "phone": phone, "otp": code}, token)
            assert status == 200, body
            if credits and channel != "wechat_oa":
                template = self._call("GET", "/v1/subscriptions", token=token)[1]["templates"]["completion"]
                assert self._call("POST", "/v1/subscriptions", {"template_ids": [template] * credits}, token)[0] == 200
            out[channel], out[f"{channel.split('_')[-1]}_openid"] = token, account
            self.svc.clock.advance(seconds=61)  # one OTP a minute per phone
        out["phone"] = phone
        return out

    def complete(self, token: str) -> str:
        """Apply and have the backend complete it; the application number."""
        status, body = self._call("POST", "/v1/applications", {"item_code": "V-CW-001", "form": {"purpose": "x"}},
                                  token, {"Idempotency-Key": secrets.token_hex(8)})
        assert status == 201, body
        for step in ("accepted", "in_review", "completed"):
            assert self.backend("POST", f"/backend/v1/applications/{body['application_no']}/events",
                                {"status": step})[0] == 200
        return str(body["application_no"])

    def owe(self, people: list[dict[str, str]], n: int) -> list[str]:
        """``n`` completion notices to ``people`` in turn, written by the outbox writer in batches (as the
        schedules write theirs) and queued; their application numbers."""
        from shared.services.notices import new_notice
        from shared.sessions import Principal

        owed, now = [], self.svc.clock.now()
        for i in range(n):
            citizen = self.svc.identity.citizen_of(Principal("wechat_mini", people[i % len(people)]["mini_openid"]))
            no = f"SB{now:%Y%m%d}{i:06d}"
            owed.append(new_notice("completion", citizen.citizen_id, now, application_no=no, data={
                "application_no": no, "item_name": "居住证明开具", "status": "completed", "note": "",
                "origin": "wechat_mini"}))
        self.svc.notices.write(owed)
        return [n.application_no or "" for n in owed]

    def deliver(self, before: Callable[[float], None] | None = None) -> int:
        """Run the queue dry through the real notice worker and dead-letter consumer; receives."""
        from functions.notice_worker import deliver_notices, mark_dead_letters

        return self.queue.run(deliver_notices, mark_dead_letters, before)

    def fail(self, channel: str, rate: float, seed: int) -> None:
        """Make a provider fail at ``rate`` (HTTP 500), seeded."""
        import random

        self.world.flaky[channel] = (rate, {"status": 500}, random.Random(seed))  # noqa: S311

    def notices(self, no: str) -> list[dict[str, Any]]:
        """The notices of one application, as operators see them."""
        return list(self.backend("GET", f"/backend/v1/notices?application_no={no}")[1]["notices"])


def _resident_id(n: int) -> str:
    """A valid GB 11643 resident ID for citizen ``n``."""
    body = f"110105{1950 + n % 50}0101{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@contextmanager
def chaos_county() -> Iterator[Chaos]:
    """The app wired to the local world (production retry settings), on moto, with simulated time."""
    import boto3
    from moto import mock_aws

    from functions.bootstrap import bootstrap, install
    from infra.local.stack import stage_env
    from infra.world.alipay_platform import AlipayWorld, local_keys
    from infra.world.server import World, serve
    from infra.world.sms_platform import SmsWorld
    from shared.clock import CST, FixedClock
    from shared.config import load_settings

    with mock_aws(), tempfile.TemporaryDirectory() as tmp:
        keys = local_keys(Path(tmp) / "keys")
        world = World(alipay=AlipayWorld(keys["app_public"], keys["alipay_private"]))
        server = serve(world, port=0)
        env = stage_env({"aws": 5000, "api": 8000, "world": server.server_address[1]})
        world.sms = SmsWorld(env["MINQING_ALIYUN_ACCESS_KEY_ID"], env["MINQING_ALIYUN_ACCESS_KEY_SECRET"],
                             env["MINQING_SMS_SIGN_NAME"])
        world.wechat.whitelists[env["MINQING_WECHAT_OA_APPID"]] = {"127.0.0.1"}
        env.update({"MINQING_ALIPAY_PRIVATE_KEY": keys["app_private"],
                    "MINQING_ALIPAY_PUBLIC_KEY": keys["alipay_public"],
                    "MINQING_RETRY_BASE_SECONDS": "30", "MINQING_RETRY_CAP_SECONDS": "900",
                    "MINQING_MAX_TRANSIENT_ATTEMPTS": "5", "MINQING_TABLE": "chaos", "MINQING_NOTICE_QUEUE_URL": "",
                    "MINQING_CHAT_QUEUE_URL": "", "AWS_DEFAULT_REGION": "cn-north-1"})
        session = boto3.session.Session(region_name="cn-north-1")
        ddb = session.client("dynamodb")
        spec = json.loads(RESOURCES.read_text())["Resources"]["Table"]["Properties"]
        ddb.create_table(TableName="chaos", **{k: v for k, v in spec.items() if k in (
            "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")})
        calls: Counter[str] = Counter()
        ddb.meta.events.register("before-call", lambda model, **_: calls.update([model.name]))
        clock = FixedClock(datetime(2026, 9, 28, 10, 0, tzinfo=CST))
        queue = SimulatedQueue(clock)
        svc = bootstrap(load_settings(env), session=session, dynamodb=ddb, queue=queue, clock=clock)
        install(svc)
        import logging

        import app as minqing

        logging.disable(logging.INFO)  # thousands of tries: the figures tell the story, not the log lines
        try:
            yield Chaos(minqing.app, svc, world, queue, calls)
        finally:
            logging.disable(logging.NOTSET)
            install(None)
            server.shutdown()


def outbox_count(world: Any, needle: str) -> int:
    """Messages in the world's outbox that carry ``needle`` (an application number) — duplicates show."""
    return sum(1 for m in world.outbox if needle in m["text"] or needle in json.dumps(m["data"], ensure_ascii=False))


def notice_chaos(n: int = 200, citizens: int = 20, rate: float = 0.3, down: str | None = "wechat_mini",
                 seed: int = 7) -> dict[str, Any]:
    """``n`` completion notices to citizens bound on all four channels, every provider failing at ``rate``
    and ``down`` failing always: delivered / failed / stuck / duplicates, simulated minutes to settle,
    AWS requests per delivered notice (the delivery phase) and dead letters."""
    with chaos_county() as county:
        people = [county.citizen(i, credits=n // citizens + 1) for i in range(citizens)]
        numbers = county.owe(people, n)
        for i, channel in enumerate(CHANNELS):
            county.fail(channel, 1.0 if channel == down else rate, seed + i)
        start, before_calls, before_sends = county.svc.clock.now(), sum(county.calls.values()), county.queue.batch_calls
        county.queue.batch_calls = 0
        county.deliver()
        settled = (county.svc.clock.now() - start) / timedelta(minutes=1)
        requests = sum(county.calls.values()) - before_calls + county.queue.batch_calls + before_sends
        views = {no: county.notices(no)[0] for no in numbers}
        status = {no: v["status"] for no, v in views.items()}
        floor = sum(FLOOR + (1 if county.svc.delivery.notifiers[v["attempts"][-1]["channel"]].consent_template(
            "completion") else 0) for v in views.values() if v["status"] == "delivered")
        sent = {no: outbox_count(county.world, no) for no in numbers}
        statuses = Counter(status.values())
        delivered = statuses.get("delivered", 0)
        return {"notices": n, "delivered": delivered, "failed": statuses.get("failed", 0),
                "stuck": statuses.get("pending", 0), "duplicates": sum(max(0, c - 1) for c in sent.values()),
                "unsent_but_delivered": sum(1 for no in numbers if status[no] == "delivered" and not sent[no]),
                "minutes": settled, "dead_lettered": county.queue.dead_lettered,
                "requests_per_delivered": requests / max(1, delivered),
                "floor_per_delivered": floor / max(1, delivered)}


def reply_chaos(queries: int = 50, citizens: int = 20, down_seconds: int = 60, seed: int = 11) -> dict[str, Any]:
    """``queries`` inbound ``CX`` SMS (each delivered twice by SNS) while the SMS provider is down for the first
    ``down_seconds``: replies expected, replies that arrived, duplicates, replies still pending."""
    from functions.sms_inbound import receive

    with chaos_county() as county:
        people = [county.citizen(i) for i in range(citizens)]
        numbers = [county.complete(p["wechat_mini"]) for p in people]
        county.deliver()  # the completion notices
        county.world.outbox.clear()
        county.fail("sms", 1.0, seed)
        start = county.svc.clock.now().timestamp()
        for q in range(queries):
            i = q % citizens
            body = json.dumps({"originationNumber": people[i]["phone"], "messageBody": f"CX {numbers[i]}",
                               "inboundMessageId": f"in-{q}", "destinationNumber": "+8610690000"})
            event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": "arn:sub",
                                  "Sns": {"Type": "Notification", "MessageId": f"sns-{q}", "TopicArn": "arn:topic",
                                          "Subject": None, "Message": body, "Timestamp": "2026-09-28T02:00:00Z",
                                          "MessageAttributes": {}}}]}
            receive(event, None)
            receive(event, None)  # SNS delivers at least once

        def provider_back(now: float) -> None:
            if now >= start + down_seconds:
                county.world.flaky.pop("sms", None)

        county.deliver(provider_back)
        replies = [m for m in county.world.outbox if m["channel"] == "sms" and re.search(r"SB\d+", m["text"])]
        expected = Counter(people[q % citizens]["phone"] for q in range(queries))
        got = Counter(m["to"] for m in replies)
        pending = county.backend("GET", "/backend/v1/notices?status=pending")[1]["notices"]
        return {"queries": queries, "replies": len(replies), "missing": sum((expected - got).values()),
                "duplicates": sum((got - expected).values()), "pending": len(pending)}
