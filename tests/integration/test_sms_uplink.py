"""Uplink SMS pushed by Aliyun (the China-region path): authenticated by the URL's token, published
on the inbound topic and answered by the one inbound consumer, once per provider sequence id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from chalice.test import Client

from functions.bootstrap import Services, bootstrap, install
from functions.sms_inbound import receive
from shared.clock import FixedClock
from shared.config import Settings
from shared.storage.dynamo import Table
from tests.helpers import Api, FakeQueue, FakeSms, drain, load_event

TOKEN = "uplink-token-" + "x" * 24


@pytest.fixture
def topic(aws: boto3.session.Session) -> tuple[str, str]:
    sns, sqs = aws.client("sns"), aws.client("sqs")
    arn = sns.create_topic(Name="minqing-inbound-sms-test")["TopicArn"]
    url = sqs.create_queue(QueueName="tap")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "false"})
    return arn, url


@pytest.fixture
def uplink_api(aws: boto3.session.Session, table: Table, settings: Settings, sms: FakeSms, queue: FakeQueue,
               clock: FixedClock, topic: tuple[str, str]) -> Iterator[Api]:
    from app import app

    configured = Settings(**{**settings.model_dump(), "sms_uplink_token": TOKEN, "inbound_sms_topic_arn": topic[0]})
    built: Services = bootstrap(configured, session=aws, dynamodb=table.client, sms=sms, queue=queue, clock=clock)
    install(built)
    _built[:] = [built, queue]
    with Client(app) as client:
        yield Api(client, built, sms)
    install(None)


_built: list[Any] = []


def _push(api: Api, token: str, body: str, sequence: str, phone: str = "13800138000") -> Any:
    raw = json.dumps(load_event("aliyun/sms_uplink", PHONE=phone, BODY=body, SEQUENCE=sequence), ensure_ascii=False)
    return api.client.http.post(f"/sms/aliyun/uplink?token={token}", body=raw.encode(),
                                headers={"Content-Type": "application/json"})


def _deliver_published(aws: boto3.session.Session, url: str) -> int:
    """Hand what the topic received to the consumer, as SNS → Lambda would."""
    got = aws.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for message in got:
        envelope = json.loads(message["Body"])
        event = load_event("sns/inbound_sms", FROM="", BODY="", INBOUND_ID="")
        event["Records"][0]["Sns"].update(MessageId=envelope["MessageId"], Message=envelope["Message"])
        receive(event, None)
    drain(_built[0], _built[1])  # the replies leave through the outbox
    return len(got)


def test_a_pushed_cx_is_answered_by_the_progress_template(uplink_api: Api, sms: FakeSms, aws: boto3.session.Session,
                                                          topic: tuple[str, str]) -> None:
    token = uplink_api.citizen()
    no = uplink_api.submit(token).json_body["application_no"]
    out = _push(uplink_api, TOKEN, f"CX {no}", "9001")
    assert out.status_code == 200 and json.loads(out.body) == {"code": 0, "msg": "接收成功"}
    assert _deliver_published(aws, topic[1]) == 1
    assert sms.sent[-1]["template"] == "reply_progress" and sms.sent[-1]["params"]["application_no"] == no
    assert sms.sent[-1]["phone"] == "+8613800138000"


def test_a_push_repeated_by_the_provider_is_answered_once(uplink_api: Api, sms: FakeSms, aws: boto3.session.Session,
                                                          topic: tuple[str, str]) -> None:
    uplink_api.citizen()
    for _ in range(2):
        assert _push(uplink_api, TOKEN, "帮助", "9002").status_code == 200
    assert _deliver_published(aws, topic[1]) == 2
    assert [m["template"] for m in sms.sent if m["template"].startswith("reply_")] == ["reply_help_sms"]


@pytest.mark.parametrize("token", ["", "wrong-token-0123456789abcdef", TOKEN[:-1]])
def test_rejects_a_forged_uplink_push(uplink_api: Api, aws: boto3.session.Session, topic: tuple[str, str],
                                      token: str) -> None:
    out = _push(uplink_api, token, "TD", "9003")
    assert out.status_code == 401 and json.loads(out.body)["error"]["code"] == "unauthorized"
    assert _deliver_published(aws, topic[1]) == 0


def test_a_malformed_push_is_refused_whole(uplink_api: Api, aws: boto3.session.Session,
                                           topic: tuple[str, str]) -> None:
    raw = json.dumps([{"phone_number": "13800138000", "content": "CX", "sequence_id": "1"}, {"content": "x"}])
    out = uplink_api.client.http.post(f"/sms/aliyun/uplink?token={TOKEN}", body=raw.encode(),
                                      headers={"Content-Type": "application/json"})
    assert out.status_code == 400 and json.loads(out.body)["error"]["code"] == "bad_request"
    assert _deliver_published(aws, topic[1]) == 0
