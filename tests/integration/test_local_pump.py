"""The local pump behaves as Lambda does: a failing SNS event is tried three times in all, then goes
to the function's on-failure queue; a failed SQS item comes back only when its visibility timeout
runs out, and the queue's redrive policy dead-letters it after ``maxReceiveCount`` receives."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import boto3

import infra.local.pump
from infra.local.pump import Pump

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
    assert len(CALLS) == 1 + infra.local.pump.ASYNC_RETRIES == 3
    dead = sqs.receive_message(QueueUrl=failed_url).get("Messages", [])
    record = json.loads(dead[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert json.loads(record["requestPayload"]["Records"][0]["Sns"]["Message"]) == {"messageBody": "CX"}


class SQSEventConfig(SimpleNamespace):
    """Stands for chalice's SQS event source."""


def fails_its_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A worker that reports every item as failed."""
    CALLS.append(event)
    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]]}


def test_a_failed_sqs_item_waits_out_its_visibility_timeout_and_is_dead_lettered_by_the_redrive_policy(
        aws: boto3.session.Session) -> None:
    CALLS.clear()
    sqs = aws.client("sqs")
    dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="work", Attributes={"VisibilityTimeout": "1", "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})})
    source = SQSEventConfig(name="worker", queue="work", handler_string=f"{__name__}.fails_its_batch")
    pump = Pump(SimpleNamespace(event_sources=[source]), aws, retry_after=0)
    kind, url, handler = pump.loops[0]
    sqs.send_message(QueueUrl=url, MessageBody="job")
    assert pump.poll_once(kind, url, handler) == 1
    assert pump.poll_once(kind, url, handler) == 0  # invisible while its visibility timeout runs
    time.sleep(1.2)
    assert pump.poll_once(kind, url, handler) == 1
    assert CALLS[-1]["Records"][0]["attributes"]["ApproximateReceiveCount"] == "2"
    time.sleep(1.2)
    assert pump.poll_once(kind, url, handler) == 0  # past maxReceiveCount: moved to the dead-letter queue
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=dlq).get("Messages", [])] == ["job"]
