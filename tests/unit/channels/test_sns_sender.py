"""SMS through Amazon SNS direct publish, against moto."""

from __future__ import annotations

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from channels.sms.sns import SnsSmsSender


def _sent(region: str) -> dict[str, tuple[str, str]]:
    return dict(sns_backends[DEFAULT_ACCOUNT_ID][region].sms_messages)


def test_send_publishes_the_rendered_text_to_the_phone(aws: boto3.session.Session) -> None:
    sender = SnsSmsSender(aws.client("sns"))
    text = "【民情直通车】您的申办 SB20260928123456 已办结。"
    message_id = sender.send("+8613800138000", "completion", {"no": "SB20260928123456"}, text)
    assert _sent(aws.region_name) == {message_id: ("+8613800138000", text)}


def test_each_send_is_a_separate_message_with_its_own_id(aws: boto3.session.Session) -> None:
    sender = SnsSmsSender(aws.client("sns"), sender_id="County")
    first = sender.send("+8613800138000", "otp", {"code": "123456"}, "验证码 123456")
    second = sender.send("+8613900139000", "otp", {"code": "654321"}, "验证码 654321")
    assert isinstance(first, str) and first
    assert first != second
    assert _sent(aws.region_name) == {first: ("+8613800138000", "验证码 123456"),
                                      second: ("+8613900139000", "验证码 654321")}
