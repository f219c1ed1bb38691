"""The local pump delivers SNS events as Lambda's asynchronous invocation does: a failing event is
tried three times in all, then goes to the function's on-failure queue — never retried forever."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import boto3

import infra.pump
from infra.pump import Pump

CALLS: list[dict[str, Any]] = []


class SNSEventConfig(SimpleNamespace):
    """Stands for chalice's SNS event source (the pump reads its name, topic and handler)."""


def always_fails(event: dict[str, Any], context: Any) -> None:
    """A consumer whose dependency is down."""
    CALLS.append(event)
    raise ConnectionError("provider down")


def test_a_failing_sns_event_is_tried_three_times_then_lands_in_the_on_failure_queue(
        aws: boto3.session.Session) -> None:
    CALLS.clear()
    sqs = aws.client("sqs")
    failed_url = sqs.create_queue(QueueName="inbound-failed")["QueueUrl"]
    source = SNSEventConfig(name="sms_inbound", topic="inbound", handler_string=f"{__name__}.always_fails")
    pump = Pump(SimpleNamespace(event_sources=[source]), aws, retry_after=0, on_failure={"sms_inbound": failed_url})
    aws.client("sns").publish(TopicArn=pump.topic_arn("inbound"), Message=json.dumps({"messageBody": "CX"}))
    kind, url, handler = pump.loops[0]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # poll well past the point where Lambda would give up
        pump.poll_once(kind, url, handler)
        time.sleep(0.05)
    assert len(CALLS) == 1 + infra.pump.ASYNC_RETRIES == 3
    dead = sqs.receive_message(QueueUrl=failed_url).get("Messages", [])
    record = json.loads(dead[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert json.loads(record["requestPayload"]["Records"][0]["Sns"]["Message"]) == {"messageBody": "CX"}
