"""The local event pump: delivers SQS messages, SNS messages and schedule runs to the app's real
handlers, as Lambda would, within about a second (docs/local.md).

SQS, as Lambda's event source with ``ReportBatchItemFailures``: succeeded items are deleted; a
failed item is left alone and comes back when the visibility timeout (the queue's, or the one
the handler set) runs out; the queue's redrive policy moves it to its dead-letter queue after
``maxReceiveCount`` receives
(https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
Rate schedules run at their rate; cron schedules on demand (``POST /local/run/{name}``).

SNS invokes Lambda asynchronously: a failed event is retried twice, then sent to the function's
on-failure destination (or dropped when it has none) — never retried forever
(https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). The
delays (1 and 2 minutes in AWS) are compressed to ``retry_after`` seconds here.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger("minqing.pump")
ASYNC_RETRIES = 2  # Lambda's default MaximumRetryAttempts for asynchronous invocations


def _handler(handler_string: str) -> Any:
    module, _, attr = handler_string.rpartition(".")
    return getattr(importlib.import_module(module), attr)


class Pump:
    """Polls the stage's queues (and queues subscribed to its topics) and calls the handlers."""

    def __init__(self, app: Any, session: Any, *, retry_after: int = 2, on_failure: dict[str, str] | None = None):
        self.app, self.retry_after, self.on_failure = app, retry_after, on_failure or {}
        self.sqs, self.sns = session.client("sqs"), session.client("sns")
        self.stop = threading.Event()
        self.loops: list[tuple[str, str, Any]] = []  # (kind, queue url, handler)
        self.functions: dict[str, str] = {}  # queue url → function name
        self.schedules: dict[str, Any] = {}
        self.rates: dict[str, int] = {}  # schedule → seconds between runs
        self.topics: dict[str, str] = {}
        for source in app.event_sources:
            kind = type(source).__name__
            if kind == "SQSEventConfig":
                url = self.sqs.get_queue_url(QueueName=source.queue)["QueueUrl"]
                self.loops.append(("sqs", url, _handler(source.handler_string)))
            elif kind == "SNSEventConfig":
                url = self._tap(source.topic)
                self.loops.append(("sns", url, _handler(source.handler_string)))
                self.functions[url] = source.name
            elif kind in ("ScheduledEventConfig", "CloudWatchEventConfig"):
                self.schedules[source.name] = _handler(source.handler_string)
                rate = getattr(source, "schedule_expression", None)
                if type(rate).__name__ == "Rate":
                    self.rates[source.name] = int(rate.value) * {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}[rate.unit]

    def _tap(self, topic: str) -> str:
        arn = self.topic_arn(topic)
        url = self.sqs.create_queue(QueueName=f"pump-{topic}")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
        return url

    def topic_arn(self, name: str) -> str:
        """The ARN of a topic of the stack."""
        if name not in self.topics:
            self.topics[name] = self.sns.create_topic(Name=name)["TopicArn"]  # idempotent: returns the existing one
        return self.topics[name]

    def start(self) -> None:
        """One polling thread per queue, one timer per rate schedule."""
        for kind, url, handler in self.loops:
            threading.Thread(target=self._loop, args=(kind, url, handler), daemon=True, name=f"pump-{url}").start()
        for name, seconds in self.rates.items():
            threading.Thread(target=self._every, args=(name, seconds), daemon=True, name=f"pump-{name}").start()

    def _every(self, name: str, seconds: int) -> None:
        while not self.stop.wait(seconds):
            try:
                self.run(name, None)
            except Exception:
                log.exception("schedule %s failed", name)

    def _loop(self, kind: str, url: str, handler: Any) -> None:
        while not self.stop.is_set():
            try:
                self.poll_once(kind, url, handler, wait=1)
            except Exception:
                log.exception("pump error on %s", url)
                self.stop.wait(1)

    def poll_once(self, kind: str, url: str, handler: Any, wait: int = 0) -> int:
        """Receive up to 10 messages, run the handler, delete what succeeded; returns the count."""
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait,
                                       AttributeNames=["All"]).get("Messages", [])
        if not got:
            return 0
        if kind == "sqs":
            try:
                result = handler(_sqs_event(got, url), None)
                failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
            except Exception:
                log.exception("handler failed; the whole batch returns to the queue")
                failed = {m["MessageId"] for m in got}
        else:  # SNS invokes Lambda asynchronously, one record per event
            failed = set()
            for message in got:
                event = _sns_event([message])
                try:
                    handler(event, None)
                except Exception as exc:
                    attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
                    if attempts <= ASYNC_RETRIES:
                        log.exception("SNS handler failed (attempt %d); Lambda retries the event", attempts)
                        failed.add(message["MessageId"])
                    else:
                        self._retries_exhausted(url, event, attempts, exc)
        for message in got:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            elif kind == "sns":  # Lambda's asynchronous retries come after a delay
                self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                                   VisibilityTimeout=self.retry_after)
            # an SQS item that failed stays invisible until its visibility timeout runs out
        return len(got)

    def _retries_exhausted(self, url: str, event: dict[str, Any], attempts: int, exc: Exception) -> None:
        """Lambda gives up on an asynchronous event: to the on-failure destination, or dropped."""
        function = self.functions.get(url, "?")
        destination = self.on_failure.get(function)
        log.error("%s failed %d times; the event goes to %s", function, attempts, destination or "nowhere (dropped)")
        if destination:
            record = {"version": "1.0", "timestamp": datetime.now(UTC).isoformat(),
                      "requestContext": {"requestId": str(uuid.uuid4()), "condition": "RetriesExhausted",
                                         "functionArn": f"arn:aws-cn:lambda:cn-north-1:123456789012:function:"
                                                        f"{function}",
                                         "approximateInvokeCount": attempts},
                      "requestPayload": event, "responseContext": {"statusCode": 200, "functionError": "Unhandled"},
                      "responsePayload": {"errorMessage": str(exc), "errorType": type(exc).__name__}}
            self.sqs.send_message(QueueUrl=destination, MessageBody=json.dumps(record, ensure_ascii=False))

    def run(self, name: str, now: str | None) -> dict[str, Any]:
        """Run a schedule as of ``now`` (ISO 8601) or the current time."""
        if name not in self.schedules:
            raise KeyError(f"no schedule named {name!r}; known: {sorted(self.schedules)}")
        at = datetime.fromisoformat(now) if now else datetime.now(UTC)
        event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "region": "cn-north-1", "resources": [f"arn:aws:events:cn-north-1:123456789012:rule/{name}"],
                 "detail": {}}
        return {"schedule": name, "result": self.schedules[name](event, None)}


def _sqs_event(messages: list[dict[str, Any]], url: str) -> dict[str, Any]:
    name = url.rsplit("/", 1)[-1]
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": m.get("MessageAttributes", {}),
        "md5OfBody": m.get("MD5OfBody", ""), "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:cn-north-1:123456789012:{name}", "awsRegion": "cn-north-1"}
        for m in messages]}


def _sns_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    records = []
    for m in messages:
        envelope = json.loads(m["Body"])
        records.append({"EventSource": "aws:sns", "EventVersion": "1.0",
                        "EventSubscriptionArn": envelope.get("TopicArn", "") + ":pump",
                        "Sns": {"Type": "Notification", "MessageId": envelope.get("MessageId", m["MessageId"]),
                                "TopicArn": envelope.get("TopicArn", ""), "Subject": envelope.get("Subject"),
                                "Message": envelope.get("Message", ""), "Timestamp": envelope.get("Timestamp", ""),
                                "MessageAttributes": envelope.get("MessageAttributes", {})}})
    return {"Records": records}
